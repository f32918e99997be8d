# A section with all four schemes.  Every 401 carries one challenge per
# scheme, whichever scheme's credentials earned it (a Bearer token that is
# not a JWT included: its 401 is invalid_token, reason malformed); a 400
# carries Bearer's invalid_request challenge where Bearer is concerned and
# no challenge otherwise.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use Apache::TestRequest qw(GET);
use AuthGateTest qw(challenges watch_log denials);

plan tests => 17;

my $url = '/bearer/all/';

# The schemes of RES's challenges, in order.
sub schemes_of {
    my ($res) = @_;
    return join ' ', map { /^(\S+)/ ? $1 : '?' } @{ challenges($res) };
}

my ($res, $log) = watch_log(sub { GET $url });
ok t_cmp($res->code, 401, 'no credentials: 401');
ok t_cmp(schemes_of($res), 'Bearer Digest Digest ApiKey Basic',
         'one challenge per scheme (Digest: SHA-256 and MD5), in order');
ok t_cmp(denials($log), ['no_credentials'], 'reason no_credentials');

# A Bearer token that is not a JWT: 401 invalid_token, and the client may
# still turn to another scheme, so every challenge is there.
($res, $log) = watch_log(sub { GET $url, Authorization => 'Bearer not-a-jwt' });
ok t_cmp($res->code, 401, 'a Bearer token that is not a JWT: 401');
ok t_cmp(schemes_of($res), 'Bearer Digest Digest ApiKey Basic',
         '... with every scheme\'s challenge');
ok t_cmp(challenges($res)->[0], qr/^Bearer realm="api", error="invalid_token"/,
         '... Bearer\'s saying invalid_token');
ok t_cmp(scalar(grep { /^Digest .*nonce="/ } @{ challenges($res) }), 2,
         '... Digest\'s with fresh nonces');
ok t_cmp(denials($log), ['malformed'], '... reason malformed');

# A wrong API key: 401, every challenge.
($res, $log) = watch_log(sub { GET $url, 'X-API-Key' => 'ag_0123456789abcdef_' . ('A' x 43) });
ok t_cmp($res->code, 401, 'an unknown API key: 401');
ok t_cmp(schemes_of($res), 'Bearer Digest Digest ApiKey Basic',
         '... with every scheme\'s challenge');

# 400s: Bearer's is told invalid_request (RFC 6750 §3.1); the others get
# no challenge, as a 400 asks for none.
($res, $log) = watch_log(sub { GET $url, Authorization => 'Bearer a b' });
ok t_cmp($res->code, 400, 'Bearer credentials that do not parse: 400');
ok t_cmp(join('|', @{ challenges($res) }),
         'Bearer realm="api", error="invalid_request"',
         '... with Bearer\'s invalid_request challenge alone');
ok t_cmp(denials($log), ['malformed'], '... reason malformed');

($res, $log) = watch_log(sub { GET $url, Authorization => 'Digest a="x' });
ok t_cmp($res->code, 400, 'Digest credentials that do not parse: 400');
ok t_cmp(scalar @{ challenges($res) }, 0, '... and no challenge');

($res, $log) = watch_log(sub { GET $url, Authorization => 'ApiKey a b' });
ok t_cmp($res->code, 400, 'ApiKey credentials that do not parse: 400');
ok t_cmp(scalar @{ challenges($res) }, 0, '... and no challenge');
