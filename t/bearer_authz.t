# Bearer tokens past authentication: Require scope, Require claim, the
# identity the application sees, and ?access_token=.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest qw(GET);
use FindBin;
use lib "$FindBin::Bin/lib";
use AuthGate::Bearer;
use AuthGateTestKeys qw(%KEY);

plan tests => 36;

my $rsa = 'keys/rsa.key';
my $hs  = 'file:keys/hs.secret';
my $scope403 = qr/^Bearer realm="api", error="insufficient_scope", scope="read write"$/;

# --- Require scope ----------------------------------------------------------
case('Require scope: a granted scope (string claim)', '/bearer/scope/',
     sign(key => $rsa, claims => claims(scope => 'openid write')));
case('Require scope: a granted scope (array claim)', '/bearer/scope/',
     sign(key => $rsa, claims => claims(scope => ['read'])));
case('Require scope: scp when scope is absent', '/bearer/scope/',
     sign(key => $rsa, claims => claims(scp => 'read')));
case('Require scope refused: 403 naming the scopes', '/bearer/scope/',
     sign(key => $rsa, claims => claims(scope => 'openid')),
     status => 403, challenge => $scope403, reason => 'none',
     logged => qr/AG00310: Require scope read write refused reason=insufficient_scope scheme=bearer .* user=alice/);
case('behind ProxyPass, a granted scope: the origin answers',
     '/bearer/reverse/index.html',
     sign(key => $rsa, claims => claims(scope => 'read')),
     body => qr/hello from the gate/);
case('behind ProxyPass, a refused scope: 403 naming the scopes',
     '/bearer/reverse/index.html',
     sign(key => $rsa, claims => claims(scope => 'openid')),
     status => 403, challenge => $scope403);
case('Require scope refused without AuthzSendForbiddenOnFailure: 401',
     '/bearer/scope401/', sign(key => $rsa, claims => claims(scope => 'x')),
     status => 401,
     challenge => qr/^Bearer realm="api", error="insufficient_scope", scope="admin"$/,
     once => qr/AG00310: Require scope admin refused reason=insufficient_scope/);

# --- Require claim ----------------------------------------------------------
case('nested Require claim: both lines match', '/bearer/claim/',
     sign(key => $rsa, claims => claims(realm_access => {roles => ['dev', 'admin']},
                                        tier => 'silver')));
case('nested Require claim: one line refuses: 403 without scope=',
     '/bearer/claim/',
     sign(key => $rsa, claims => claims(realm_access => {roles => ['dev']},
                                        tier => 'gold')),
     status => 403,
     challenge => qr/^Bearer realm="api", error="insufficient_scope"$/,
     logged => qr/AG00310: Require claim refused reason=claim_mismatch/);
case('Require claim is case-sensitive', '/bearer/claim/',
     sign(key => $rsa, claims => claims(realm_access => {roles => ['Admin']},
                                        tier => 'gold')),
     status => 403);
case('RequireAny granted by the claim: no insufficient_scope challenge',
     '/bearer/any/', sign(key => $rsa, claims => claims(tier => 'gold')),
     no_challenge => 1);
case('RequireAny granted by the claim: the scope line\'s refusal is no denial in the log',
     '/bearer/any/', sign(key => $rsa, claims => claims(tier => 'gold')),
     not_logged => qr/AG00310/);
case('RequireAny granted by the claim: the application sees no AUTHGATE_ERROR',
     '/bearer/any/env', sign(key => $rsa, claims => claims(tier => 'gold')),
     body => qr/\AAUTHGATE_SCHEME=bearer\n(?!.*AUTHGATE_ERROR)/s);
case('RequireAny refused by both: 403 naming the scope', '/bearer/any/',
     sign(key => $rsa, claims => claims(tier => 'tin')),
     status => 403,
     challenge => qr/^Bearer realm="api", error="insufficient_scope", scope="admin"$/);
case('RequireAny refused by both: one log line naming both', '/bearer/any/',
     sign(key => $rsa, claims => claims(tier => 'tin')),
     status => 403,
     once => qr/AG00310: Require scope admin; claim refused reason=claim_mismatch scheme=bearer .* user=alice/);

# --- 403s: the challenge is authz's alone ----------------------------------
case('a 403 of the handler after authz granted: no challenge',
     '/bearer-noexec', sign(key => $rsa), status => 403, no_challenge => 1);
case('a refusal served by a local ErrorDocument keeps its challenge',
     '/bearer/errdoc/', sign(key => $rsa, claims => claims(scope => 'read')),
     status => 403,
     challenge => qr/^Bearer realm="api", error="insufficient_scope", scope="admin"$/,
     body => qr/hello from the gate/,
     once => qr/AG00310: Require scope admin refused reason=insufficient_scope/);

# --- what the application sees ---------------------------------------------
my $env_token = sign(key => $hs, alg => 'HS256', kid => 'k-42',
                     claims => claims(scope => ['read', 'write'],
                                      email => 'alice@example.test',
                                      realm_access => {roles => ['a', 'b']}));
my $env_want = join '', map { "$_\n" }
    'AUTHGATE_CLAIM_EMAIL=alice@example.test',
    'AUTHGATE_CLAIM_REALM_ACCESS_ROLES=["a","b"]',
    'AUTHGATE_KEY_ID=k-42', 'AUTHGATE_SCHEME=bearer',
    'AUTHGATE_SCOPE=read write', 'AUTHGATE_USER=alice', 'AUTH_TYPE=Bearer',
    'REMOTE_USER=alice';
{
    my $res = bearer_get('/bearer/hs/env', $env_token);
    ok $res->code == 200 && $res->content eq $env_want
        or print "# got:\n", map { "#   $_\n" } split /\n/, $res->content;
}
case('a cached token gives the application the same', '/bearer/hs/env',
     $env_token, body => qr/\A\Q$env_want\E\z/);

# --- ?access_token= ------------------------------------------------------------
my $q = sign(key => $rsa);
case('the query token where AuthGateBearerQuery is On',
     "/bearer/query/?x=1&access_token=$q", undef);
case('the query token where it is not: no credentials',
     "/bearer/rs/?access_token=$q", undef, status => 401,
     challenge => qr/^Bearer realm="api"$/, reason => 'no_credentials');
case('a token in both header and query: 400 invalid_request',
     "/bearer/query/?access_token=$q", $q, status => 400,
     challenge => qr/^Bearer realm="api", error="invalid_request", error_description="token in both header and query"$/,
     reason => 'malformed');
case('access_token twice: 400', "/bearer/query/?access_token=$q&access_token=$q",
     undef, status => 400,
     challenge => qr/error="invalid_request"/, reason => 'malformed');
case('access_token without a value: 400', '/bearer/query/?x=1&access_token',
     undef, status => 400,
     challenge => qr/error="invalid_request"/, reason => 'malformed');
case('access_token= empty: 400', '/bearer/query/?access_token=&x=1',
     undef, status => 400,
     challenge => qr/error="invalid_request"/, reason => 'malformed');
case('a bad query token: 401 invalid_token', '/bearer/query/?access_token=abc.def.ghi',
     undef, status => 401, challenge => qr/error="invalid_token"/,
     reason => 'malformed');
{
    # the application does not see the token either
    my $res = GET("/bearer/query/env?access_token=$q");
    ok $res->code == 200 && $res->content =~ /^REMOTE_USER=alice$/m;
}

# --- other schemes' credentials, and the proxy form -------------------------
case('Basic credentials where only Bearer is enabled', '/bearer/rs/', undef,
     headers => [Authorization => 'Basic YWxpY2U6c2VjcmV0'], status => 401,
     challenge => qr/^Bearer realm="api"$/, reason => 'unsupported_scheme');

# --- Require claim on a token from the cache (one connection, one process)
Apache::TestRequest::user_agent(keep_alive => 1, reset => 1);
my $admin = sign(key => $rsa, claims => claims(realm_access => {roles => ['admin']},
                                               tier => 'gold'));
my $dev = sign(key => $rsa, claims => claims(realm_access => {roles => ['dev']},
                                             tier => 'gold'));
bearer_get('/bearer/claim/', $_) for $admin, $dev;
case('Require claim grants a token served from the cache', '/bearer/claim/',
     $admin, logged => qr/AG00306/);
case('and refuses one', '/bearer/claim/', $dev, status => 403,
     logged => [qr/AG00306/, qr/reason=claim_mismatch/]);
bearer_get('/bearer/hs/env', $env_token);
case('AuthGateClaimEnv on a token from the cache', '/bearer/hs/env',
     $env_token, body => qr/\A\Q$env_want\E\z/, logged => qr/AG00306/);
bearer_get('/bearer/scope/', $dev);
case('a cached token refused by Require scope: the challenge names it',
     '/bearer/scope/', $dev, status => 403, challenge => $scope403,
     logged => qr/AG00306/);

# --- other schemes: scopes and revocation are not only the tokens' --------
case('an API key granting the scope', '/bearer/apikey/', undef,
     headers => [Authorization => "ApiKey $KEY{alice}"]);
case('an API key listed in AuthGateRevocationFile', '/bearer/apikey/', undef,
     headers => [Authorization => "ApiKey $KEY{quinn}"], status => 401,
     reason => 'revoked');
case('an API key without the scope: 403, no Bearer challenge',
     '/bearer/apikey/', undef,
     headers => [Authorization => "ApiKey $KEY{fred}"], status => 403,
     no_challenge => 1, logged => qr/AG00310: Require scope write refused reason=insufficient_scope scheme=apikey/);
ok !token_in_logs();
