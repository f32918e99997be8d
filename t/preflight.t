# A CORS preflight (OPTIONS with Origin and Access-Control-Request-Method)
# passes the gate without credentials where AuthGatePreflight is On (the
# default); anything less than a preflight does not.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use Apache::TestRequest qw(OPTIONS GET);
use AuthGateTest qw(basic challenges watch_log denials);

plan tests => 17;

my @preflight = (Origin => 'https://app.example',
                 'Access-Control-Request-Method' => 'POST');

my ($res, $log) = watch_log(sub { OPTIONS '/cors/index.html', @preflight });
ok t_cmp($res->code, 200, 'a preflight passes without credentials');
ok t_cmp(challenges($res), [], 'and is not challenged');
ok t_cmp(denials($log), [], 'and is not logged as a denial');

$res = OPTIONS '/cors/index.html';
ok t_cmp($res->code, 401, 'a plain OPTIONS is not a preflight: 401');
ok t_cmp(challenges($res), ['Basic realm="api"'],
         'a plain OPTIONS gets the challenges');

$res = OPTIONS '/cors/index.html', Origin => 'https://app.example';
ok t_cmp($res->code, 401, 'OPTIONS with Origin alone: 401');
$res = OPTIONS '/cors/index.html', 'Access-Control-Request-Method' => 'POST';
ok t_cmp($res->code, 401,
         'OPTIONS with Access-Control-Request-Method alone: 401');

$res = GET '/cors/index.html', @preflight;
ok t_cmp($res->code, 401, 'a GET with the preflight headers: 401');

($res, $log) = watch_log(sub { OPTIONS '/cors/off/index.html', @preflight });
ok t_cmp($res->code, 401, 'AuthGatePreflight Off: the preflight gets 401');
ok t_cmp(challenges($res), ['Basic realm="api"'],
         'AuthGatePreflight Off: with the challenges');
ok t_cmp(denials($log), ['no_credentials'],
         'AuthGatePreflight Off: reason no_credentials');

$res = OPTIONS '/index.html', @preflight;
ok t_cmp($res->code, 200, 'outside the gate nothing changes');

# Require lines that need no user are judged first (mod_authz_core), so
# they refuse a preflight as they refuse anything else.
$res = OPTIONS '/cors/ip/index.html', @preflight;
ok t_cmp($res->code, 403, 'RequireAll with an ip the client is not: the preflight gets 403');
ok t_cmp(challenges($res), [], '... and no challenge');
$res = OPTIONS '/cors/denied/index.html', @preflight;
ok t_cmp($res->code, 403, 'Require all denied: the preflight gets 403');
$res = OPTIONS '/cors/any/index.html', @preflight;
ok t_cmp($res->code, 200,
         'RequireAny of that ip or a user: a user may still come, the preflight passes');
$res = GET '/cors/ip/index.html', Authorization => basic(alice => $AuthGateTest::PASSWORD{alice});
ok t_cmp($res->code, 403, 'and a GET with good credentials from that client: 403');
