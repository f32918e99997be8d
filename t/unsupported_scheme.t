# Credentials of a scheme that is not enabled here: 401 with the
# challenges of the schemes that are, reason unsupported_scheme.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use Apache::TestRequest qw(GET);
use AuthGateTest qw(challenges watch_log denials);

my @cases = (
    [ 'Bearer SeCrEt.tok3n',       'Bearer where only Basic is enabled' ],
    [ 'Negotiate SeCrEtYWJj',      'Negotiate, which the gate does not know' ],
    [ 'Digest username="SeCrEt"',  'Digest, not enabled' ],
    [ 'ApiKey SeCrEt-k1',          'ApiKey, not enabled' ],
    [ 'X-Custom a=SeCrEt',         'a scheme name nobody knows' ],
);

plan tests => 4 * @cases;

for my $case (@cases) {
    my ($value, $what) = @$case;
    my ($res, $log) = watch_log(sub {
        GET '/basic/index.html', Authorization => $value });
    ok t_cmp($res->code, 401, "$what: 401");
    ok t_cmp(challenges($res), ['Basic realm="api"'],
             "$what: the challenges of the enabled schemes");
    ok t_cmp(denials($log), ['unsupported_scheme'],
             "$what: reason unsupported_scheme");
    ok t_cmp(scalar(grep { /SeCrEt/ } @$log), 0,
             "$what: the credentials are not logged");
}
