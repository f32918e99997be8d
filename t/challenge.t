# A request without credentials: 401, one WWW-Authenticate line per
# enabled scheme, in AuthGateSchemes order, and nothing else added.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use Apache::TestRequest qw(GET);
use AuthGateTest qw(challenges watch_log denials);

plan tests => 12;

my ($res, $log) = watch_log(sub { GET '/basic/index.html' });

ok t_cmp($res->code, 401, 'no credentials: 401');
ok t_cmp(scalar @{ challenges($res) }, 1,
         'one WWW-Authenticate line for one enabled scheme');
ok t_cmp(challenges($res)->[0], 'Basic realm="api"',
         'the challenge is exactly Basic realm="api"');
# /basic enables Basic alone; the order of several schemes' challenges is
# t/challenge_all.t's.
ok t_cmp(join('|', @{ challenges($res) }), join('|', 'Basic realm="api"'),
         'the one enabled scheme, the one challenge');
ok t_cmp(scalar @{ challenges($res, 'Proxy-Authenticate') }, 0,
         'no Proxy-Authenticate on an origin 401');
ok t_cmp($res->header('Retry-After'), undef, 'no Retry-After on a 401');
ok t_cmp($res->header('Authentication-Info'), undef,
         'no Authentication-Info on a 401');
ok t_cmp(denials($log), ['no_credentials'],
         'one denial logged, reason no_credentials');
ok t_cmp(scalar(grep { /AG00001: .*scheme=- client=127\.0\.0\.1 user=- / }
                @$log), 1,
         'the denial names no scheme and no user, and the client');

# AuthName "say \"hi\" \\ bye": httpd's config reader leaves
# say "hi"  bye (the double backslash does not survive it), and
# mod_authn_core stores that escaped for a quoted-string.
$res = GET '/realm-escape/index.html';
ok t_cmp(challenges($res)->[0], 'Basic realm="say \"hi\"  bye"',
         'DQUOTE in AuthName is escaped once, not twice');
ok t_cmp(challenges($res)->[0],
         challenges(GET '/realm-escape-httpd/index.html')->[0],
         'the realm reads as mod_auth_basic writes it');

$res = GET '/index.html';
ok t_cmp(scalar @{ challenges($res) }, 0,
         'no challenge outside the gate');
