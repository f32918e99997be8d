# Bearer tokens: what is accepted, what is refused and why.  Tokens are
# signed now, by ../authgate or by hand; one assertion per case.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use FindBin;
use lib "$FindBin::Bin/lib";
use AuthGate::Bearer;

plan tests => 52;

my $rsa = 'keys/rsa.key';
my $hs  = 'file:keys/hs.secret';
my $invalid = qr/^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/;
my %refused = (status => 401, challenge => $invalid);

# --- no credentials, bad syntax -------------------------------------------
case('no credentials: a plain challenge, no error', '/bearer/rs/', undef,
     status => 401, challenge => qr/^Bearer realm="api"$/,
     reason => 'no_credentials');
case('a default location (no AuthGateSchemes) asks for Bearer', '/bearer/ec/',
     undef, status => 401, challenge => qr/^Bearer realm="api"$/);
case('Bearer with two words is malformed: 400 invalid_request',
     '/bearer/rs/', 'abc def', status => 400,
     challenge => qr/^Bearer realm="api", error="invalid_request"/,
     reason => 'malformed');

# --- good tokens ----------------------------------------------------------
case('good HS256 (secret file)', '/bearer/hs/',
     sign(key => $hs, alg => 'HS256'));
case('good RS256 (PEM)', '/bearer/rs/', sign(key => $rsa, alg => 'RS256'));
case('good ES256 (PEM)', '/bearer/ec/',
     sign(key => 'keys/ec.key', alg => 'ES256'));
case('good RS256 (JWKS)', '/bearer/jwks/',
     sign(key => $rsa, alg => 'RS256', kid => 'rsa-1'));
case('good ES256 (JWKS)', '/bearer/jwks/',
     sign(key => 'keys/ec.key', alg => 'ES256', kid => 'ec-1'));
case('good HS256 (JWKS oct key)', '/bearer/jwks/',
     sign(key => 'base64:' . slurp('keys/oct.b64url'), alg => 'HS256',
          kid => 'oct-1'));

# --- algorithms -----------------------------------------------------------
my $good = sign(key => $rsa, alg => 'RS256');
my ($gh, $gp, $gs) = split /\./, $good;
for my $none (qw(none None NONE)) {
    my $unsigned = raw_token({alg => $none, typ => 'JWT'}, claims());
    case("alg $none without signature", '/bearer/rs/', $unsigned,
         %refused, reason => 'alg_not_allowed');
    (my $signed = $unsigned) =~ s/\.$/.$gs/;
    case("alg $none with a signature", '/bearer/rs/', $signed,
         %refused, reason => 'alg_not_allowed');
}
my $pem = slurp('keys/rsa.pub');
case('HS256 signed with the RSA public key PEM as the secret', '/bearer/rs/',
     hs256_raw({alg => 'HS256', typ => 'JWT'}, claims(), $pem),
     %refused, reason => 'alg_not_allowed');
case('the same where HS256 is allowed: the PEM is no secret',
     '/bearer/jwks/',
     hs256_raw({alg => 'HS256', typ => 'JWT'}, claims(), $pem),
     %refused, reason => 'bad_signature');
case('stripped signature', '/bearer/rs/', "$gh.$gp.",
     %refused, reason => 'bad_signature');
case("another key's signature", '/bearer/rs/',
     sign(key => 'keys/other.key', alg => 'RS256'),
     %refused, reason => 'bad_signature');
case('an ES256 token where only an RSA key is configured', '/bearer/rs/',
     sign(key => 'keys/ec.key', alg => 'ES256'),
     %refused, reason => 'alg_not_allowed');

# --- time -----------------------------------------------------------------
case('expired beyond the leeway', '/bearer/rs/',
     sign(key => $rsa, claims => claims(exp => time - 120)),
     %refused, reason => 'token_expired');
case('expired within the leeway (60 s)', '/bearer/rs/',
     sign(key => $rsa, claims => claims(exp => time - 30)));
case('nbf ahead', '/bearer/rs/',
     sign(key => $rsa, claims => claims(nbf => time + 300)),
     %refused, reason => 'token_not_yet_valid');
case('iat in the future', '/bearer/rs/',
     sign(key => $rsa, claims => claims(iat => time + 300)),
     %refused, reason => 'token_not_yet_valid');
case('missing exp', '/bearer/rs/',
     sign(key => $rsa, claims => claims(exp => undef)),
     %refused, reason => 'missing_claim');
case('exp as a string', '/bearer/rs/',
     sign(key => $rsa, claims => claims(exp => '' . (time + 300))),
     %refused, reason => 'malformed');

# --- issuer, audience, user -----------------------------------------------
case('right iss and aud', '/bearer/policy/',
     sign(key => $rsa, claims => claims(iss => 'https://idp.test',
                                        aud => 'api')));
case('wrong iss', '/bearer/policy/',
     sign(key => $rsa, claims => claims(iss => 'https://evil.test',
                                        aud => 'api')),
     %refused, reason => 'wrong_issuer');
case('aud wrong', '/bearer/policy/',
     sign(key => $rsa, claims => claims(iss => 'https://idp.test',
                                        aud => 'web')),
     %refused, reason => 'wrong_audience');
case('aud an array containing the right one', '/bearer/policy/',
     sign(key => $rsa, claims => claims(iss => 'https://idp.test',
                                        aud => ['web', 'api'])));
case('no user claim: refused, never anonymous', '/bearer/rs/',
     sign(key => $rsa, claims => claims(sub => undef)),
     %refused, reason => 'missing_claim');

# --- two issuers on one path, each key bound to its issuer ----------------
my %iss = (a => 'https://a.test', b => 'https://b.test');
case("issuer a's token, a's key", '/bearer/issuers/',
     sign(key => 'keys/issuer-a.key', alg => 'ES256',
          claims => claims(iss => $iss{a})));
case("issuer b's token, b's key", '/bearer/issuers/',
     sign(key => 'keys/issuer-b.key', alg => 'ES256',
          claims => claims(iss => $iss{b})));
case("a's key does not vouch for a token saying iss b", '/bearer/issuers/',
     sign(key => 'keys/issuer-a.key', alg => 'ES256',
          claims => claims(iss => $iss{b})),
     %refused, reason => 'bad_signature');
case('no key serves a third issuer', '/bearer/issuers/',
     sign(key => 'keys/issuer-a.key', alg => 'ES256',
          claims => claims(iss => 'https://c.test')),
     %refused, reason => 'wrong_issuer');

# --- kid and header parameters --------------------------------------------
case('unknown kid', '/bearer/jwks/',
     sign(key => $rsa, kid => 'nope'), %refused, reason => 'unknown_kid');
case('kid ../../../../dev/null is only a name', '/bearer/jwks/',
     sign(key => $rsa, kid => '../../../../dev/null'),
     %refused, reason => 'unknown_kid');
case('jku pointing elsewhere is ignored', '/bearer/rs/',
     sign(key => $rsa, header => {jku => 'https://evil.test/jwks.json',
                                  x5u => 'https://evil.test/k.pem'}));
case('unknown crit', '/bearer/rs/',
     sign(key => $rsa, header => {crit => ['urn:x'], 'urn:x' => 1}),
     %refused, reason => 'malformed');

# --- structure ------------------------------------------------------------
case('five segments', '/bearer/rs/', "$good.a.b",
     %refused, reason => 'malformed');
(my $bad64 = $good) =~ s/^(.{20})./$1+/;
case('bad base64url', '/bearer/rs/', $bad64, %refused, reason => 'malformed');
case('a header that is not JSON', '/bearer/rs/',
     b64u('alg: RS256') . ".$gp.$gs", %refused, reason => 'malformed');
case('a token over AuthGateJWTMaxSize (3 KB at 2 KB): refused unparsed',
     '/bearer/strict/', 'eyJ' . ('A' x 3_000) . '.e30.AAAA',
     %refused, reason => 'malformed', max_seconds => 2);
# httpd itself refuses a header line over LimitRequestFieldSize (8190)
case('a 100 KB token: 400 quickly, never 5xx', '/bearer/rs/',
     'eyJ' . ('A' x 100_000) . '.e30.AAAA', status => 400,
     max_seconds => 2);

# --- HS256 and its revocation list ----------------------------------------
case('HS256 with a wrong secret', '/bearer/hs/',
     hs256_raw({alg => 'HS256'}, claims(), 'x' x 64),
     %refused, reason => 'bad_signature');
case('a revoked jti', '/bearer/hs/',
     sign(key => $hs, alg => 'HS256', claims => claims(jti => 'jti-revoked')),
     %refused, reason => 'revoked');
case('a jti not revoked', '/bearer/hs/',
     sign(key => $hs, alg => 'HS256', claims => claims(jti => 'jti-fine')));
case('HS384 with the same 64-byte secret', '/bearer/hs/',
     sign(key => $hs, alg => 'HS384'));

# --- the strict location: another user claim, required jti, no leeway ----
case('AuthGateUserClaim email', '/bearer/strict/',
     sign(key => $rsa, claims => claims(email => 'a@x.test', jti => 'j1')));
case('AuthGateJWTRequireClaims: jti missing', '/bearer/strict/',
     sign(key => $rsa, claims => claims(email => 'a@x.test')),
     %refused, reason => 'missing_claim');
case('AuthGateJWTLeeway 0', '/bearer/strict/',
     sign(key => $rsa, claims => claims(email => 'a@x.test', jti => 'j1',
                                        exp => time - 5)),
     %refused, reason => 'token_expired');

ok !token_in_logs();
