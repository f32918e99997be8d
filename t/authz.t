# Behind the gate, httpd's Require decides: 403 for an authenticated
# user it refuses (AuthzSendForbiddenOnFailure On), mod_authz_core's 401
# with the gate's challenges without it, and `Require auth-scheme`.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use Apache::TestRequest qw(GET);
use AuthGateTest qw(basic challenges watch_log denials);

plan tests => 18;

my $alice = basic(alice => $AuthGateTest::PASSWORD{alice});

# Require user someone-else, AuthzSendForbiddenOnFailure On
my ($res, $log) = watch_log(sub {
    GET '/forbidden/index.html', Authorization => $alice });
ok t_cmp($res->code, 403, 'authenticated, refused by Require user: 403');
ok t_cmp(challenges($res), [], 'a Basic 403 carries no challenge');
ok t_cmp(denials($log), [],
         'the gate logged no denial: authentication succeeded');

# The same without AuthzSendForbiddenOnFailure: mod_authz_core answers 401
# and note_auth_failure adds the challenges.
$res = GET '/refused401/index.html', Authorization => $alice;
ok t_cmp($res->code, 401, 'refused without AuthzSendForbiddenOnFailure: 401');
ok t_cmp(challenges($res), ['Basic realm="api"'],
         "mod_authz_core's 401 carries the gate's challenges, once");

# Require valid-user
$res = GET '/basic/index.html';
ok t_cmp($res->code, 401, 'Require valid-user, no credentials: 401');
ok t_cmp(challenges($res), ['Basic realm="api"'],
         'Require valid-user, no credentials: the challenges');
$res = GET '/basic/index.html', Authorization => $alice;
ok t_cmp($res->code, 200, 'Require valid-user with a good user: 200');

# Require auth-scheme
$res = GET '/scheme-basic/index.html', Authorization => $alice;
ok t_cmp($res->code, 200, 'Require auth-scheme basic grants a Basic user');
$res = GET '/scheme-basic/index.html';
ok t_cmp($res->code, 401,
         'Require auth-scheme basic without credentials: 401');
ok t_cmp(challenges($res), ['Basic realm="api"'],
         'Require auth-scheme without credentials: the challenges');

($res, $log) = watch_log(sub {
    GET '/scheme-bearer/index.html', Authorization => $alice });
ok t_cmp($res->code, 403,
         'Require auth-scheme bearer digest refuses a Basic user: 403');
ok t_cmp(challenges($res), [], 'that 403 carries no challenge');
ok t_cmp(scalar(grep { /AG00310: Require auth-scheme bearer digest refused reason=unsupported_scheme scheme=basic .*user=alice/ }
                @$log), 1,
         'the refusal is logged once, with its reason, the scheme and the user');

# A plain user is still refused where auth-scheme and user are combined.
$res = GET '/scheme-all/index.html', Authorization => $alice;
ok t_cmp($res->code, 403,
         '<RequireAll> auth-scheme basic + user bob refuses alice');
$res = GET '/scheme-all/index.html',
    Authorization => basic(bob => $AuthGateTest::PASSWORD{bob});
ok t_cmp($res->code, 200,
         '<RequireAll> auth-scheme basic + user bob lets bob in');
($res, $log) = watch_log(sub {
    GET '/scheme-any/index.html', Authorization => $alice });
ok t_cmp($res->code, 200,
         '<RequireAny> auth-scheme bearer or user alice lets alice in');
ok t_cmp(scalar(grep { /AG00310/ } @$log), 0,
         'the auth-scheme line that refused her is no denial in the log');
