# Keys and revocations change while the server runs: key rotation by
# rewriting a JWKS, a file that turns bad keeps the last good keys, a
# revocation reaches tokens already in the verified-token cache and in the
# connection's memo of its last token.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest ();
use FindBin;
use lib "$FindBin::Bin/lib";
use AuthGate::Bearer;

plan tests => 13;

# One connection, so that every request meets the same process and its
# cache; files are checked at most once a second.
Apache::TestRequest::user_agent(keep_alive => 1, reset => 1);
sub settle { select undef, undef, undef, 1.3 }
my $memo_hit = qr/AG00306: token found in the verified-token cache \(the connection's last token\)/;

my $old = sign(key => 'keys/rot-old.key', alg => 'ES256', kid => 'old');
my $new = sign(key => 'keys/rot-new.key', alg => 'ES256', kid => 'new');
my $jwks = 'keys/rotate.jwks';
my $first = slurp($jwks);

case('before rotation: the old kid', '/bearer/rotate/', $old);
case('the same token again comes from the cache', '/bearer/rotate/', $old,
     logged => qr/AG00306: token found in the verified-token cache/);
case('and the third time from the connection\'s memo of it', '/bearer/rotate/',
     $old, logged => $memo_hit);
case('before rotation: the new kid is unknown', '/bearer/rotate/', $new,
     status => 401, reason => 'unknown_kid');

# within the second of the regular check, the unknown kid itself asks for
# an early one
spit($jwks, slurp('keys/rotate-next.jwks'));
select undef, undef, undef, 0.3;
case('after rotation: the new kid, at once', '/bearer/rotate/', $new,
     logged => qr/AG00301: AuthGateJWTKeyFile \S+rotate.jwks: reloaded/);
case('after rotation: the old kid, cached before, is refused',
     '/bearer/rotate/', $old, status => 401, reason => 'unknown_kid');

spit($jwks, '{"keys": [ this is not JSON');
settle();
case('a JWKS that turns invalid keeps the last good keys', '/bearer/rotate/',
     $new, logged => qr/AG00302: AuthGateJWTKeyFile \S+rotate.jwks: .*the last good version stays in use/);
unlink $jwks;
settle();
case('so does one that disappears', '/bearer/rotate/', $new);
spit($jwks, $first);

# revocation of a token the cache holds
my $later = sign(key => 'file:keys/hs.secret', alg => 'HS256',
                 claims => claims(jti => 'jti-later'));
case('a token before its revocation', '/bearer/hs/', $later);
case('and again, from the cache', '/bearer/hs/', $later,
     logged => qr/AG00306/);
case('and again, from the connection\'s memo', '/bearer/hs/', $later,
     logged => $memo_hit);
spit('keys/revoked.txt', slurp('keys/revoked.txt') . "jti-later\n");
settle();
case('the revocation reaches the cached token', '/bearer/hs/', $later,
     status => 401, reason => 'revoked',
     challenge => qr/error="invalid_token", error_description="token revoked"/);

ok !token_in_logs();
