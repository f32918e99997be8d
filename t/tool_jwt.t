# authgate jwt sign | verify and authgate jwks: output and exit codes
# (0 success, 1 refused, 2 usage or input error), with the keys of
# t/setup/bearer.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use FindBin;
use lib "$FindBin::Bin/lib";
use AuthGate::Bearer;
use JSON::PP ();
use MIME::Base64 ();

plan tests => 72;

# (exit code, standard output) of ../authgate ARGS, with STDIN if given;
# with WHAT 'all', standard error follows standard output.
sub run_with {
    my ($what, $stdin, @args) = @_;
    my $in = File::Temp->new;
    print $in $stdin // '';
    close $in;
    my $err = $what eq 'all' ? '2>&1' : '2>/dev/null';
    my $out = `../authgate @{[ map { quotemeta } @args ]} < $in $err`;
    return ($? >> 8, $out);
}
sub run { return run_with('stdout', @_) }
use File::Temp ();

my $claims = JSON::PP->new->canonical->encode(claims(scope => 'read write'));
my ($rc, $out, $tok);

($rc, $tok) = run(undef, qw(jwt sign --key keys/rsa.key --alg RS256 --kid k9), $claims);
chomp $tok;
ok $rc == 0 && $tok =~ /^[\w-]+\.[\w-]+\.[\w-]+$/;
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub), $tok);
ok $rc == 0 && $out eq "ok user=alice alg=RS256 kid=k9 scope=read write\n"
    or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/other.pub), $tok);
ok $rc == 1 && $out =~ /^refused reason=bad_signature \(signature verification failed\) kid=k9$/
    or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --aud api), $tok);
ok $rc == 1 && $out =~ /^refused reason=missing_claim \(missing claim: aud\)/;
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --alg ES256), $tok);
ok $rc == 1 && $out =~ /^refused reason=alg_not_allowed/;
($rc, $out) = run("$tok\n", qw(jwt verify --key keys/keys.jwks -));
ok $rc == 1 && $out =~ /^refused reason=unknown_kid .* kid=k9$/
    or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key file:keys/hs.secret),
                  sign(key => 'file:keys/hs.secret', alg => 'HS512'));
ok $rc == 0 && $out =~ /^ok user=alice alg=HS512$/ or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --leeway 0),
                  sign(key => 'keys/rsa.key', claims => claims(exp => time - 5)));
ok $rc == 1 && $out =~ /^refused reason=token_expired/;

# the policy options no other case runs
my $iss_a = sign(key => 'keys/issuer-a.key', alg => 'ES256', kid => 'ka',
                 claims => claims(iss => 'https://a.test', jti => 'jti-fine',
                                  email => 'alice@a.test',
                                  scope => 'read', perms => 'orders:read orders:write'));
($rc, $out) = run(undef, qw(jwt verify --key keys/issuer-a.pub --iss https://a.test), $iss_a);
ok $rc == 0 && $out eq "ok user=alice alg=ES256 kid=ka scope=read\n" or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/issuer-a.pub --iss https://b.test), $iss_a);
ok $rc == 1 && $out =~ /^refused reason=wrong_issuer \(issuer not accepted\) kid=ka iss=https:\/\/a\.test$/
    or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --iss https://a.test), $tok);
ok $rc == 1 && $out =~ /^refused reason=missing_claim \(missing claim: iss\)/ or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --require jti), $tok);
ok $rc == 1 && $out =~ /^refused reason=missing_claim \(missing claim: jti\)/ or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/issuer-a.pub --require jti --require email), $iss_a);
ok $rc == 0 or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/issuer-a.pub --user-claim email), $iss_a);
ok $rc == 0 && $out =~ /^ok user=alice\@a\.test alg=ES256 / or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --user-claim email), $tok);
ok $rc == 1 && $out =~ /^refused reason=missing_claim \(missing claim: email\)/ or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --max-size), length($tok), $tok);
ok $rc == 0 or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --max-size), length($tok) - 1, $tok);
ok $rc == 1 && $out =~ /^refused reason=malformed \(token too large\)/ or print "# $out";
# a secret file longer than AuthGateJWTSecret reads (4096 bytes)
my $long = File::Temp->new;
print $long 'k' x 4097;
close $long;
($rc) = run(undef, qw(jwt verify --key), "file:$long", $tok);
ok $rc == 2 or print "# a secret file of 4097 bytes: $rc\n";
# the bounds of AuthGateJWTMaxSize and AuthGateJWTLeeway
for my $bad ([qw(--max-size 15)], [qw(--max-size 16385)], [qw(--leeway 86401)]) {
    ($rc) = run(undef, qw(jwt verify --key keys/rsa.pub), @$bad, $tok);
    ok $rc == 2 or print "# @$bad: $rc\n";
}
($rc, $out) = run(undef, qw(jwt verify --key keys/issuer-a.pub --scope-claim perms), $iss_a);
ok $rc == 0 && $out =~ / scope=orders:read orders:write$/ or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/issuer-a.pub --scope-claim roles), $iss_a);
ok $rc == 0 && $out eq "ok user=alice alg=ES256 kid=ka\n" or print "# $out";

# --key-option: the words after AuthGateJWTKeyFile's or AuthGateJWTSecret's
# file, with the module's reasons
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --key-option kid=k9), $tok);
ok $rc == 0 && $out =~ /^ok user=alice alg=RS256 kid=k9 / or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --key-option kid=k8), $tok);
ok $rc == 1 && $out =~ /^refused reason=unknown_kid \(unknown key id\) kid=k9$/ or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --key-option kid=k8
                            --key keys/rsa.pub --key-option kid=k9), $tok);
ok $rc == 0 or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/issuer-a.pub --key-option issuer=https://a.test), $iss_a);
ok $rc == 0 or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/issuer-a.pub --key-option ISSUER=https://b.test), $iss_a);
ok $rc == 1 && $out =~ /^refused reason=wrong_issuer \(issuer not accepted\) kid=ka iss=https:\/\/a\.test$/
    or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/issuer-a.pub --key-option kid=ka
                            --key-option issuer=https://b.test), $iss_a);
ok $rc == 1 && $out =~ /^refused reason=wrong_issuer / or print "# $out";
my $rsa1 = sign(key => 'keys/rsa.key', kid => 'rsa-1');
($rc, $out) = run(undef, qw(jwt verify --key keys/pem.jwks), $rsa1);
ok $rc == 0 or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/pem.jwks --key-option issuer=https://a.test), $rsa1);
ok $rc == 1 && $out eq "refused reason=wrong_issuer (issuer not accepted) kid=rsa-1\n" or print "# $out";
my $oct = 'base64:' . slurp('keys/oct.b64url');
my $hs = sign(key => $oct, alg => 'HS256', kid => 's2');
($rc, $out) = run(undef, qw(jwt verify --key), $oct, qw(--key-option kid=s2), $hs);
ok $rc == 0 && $out eq "ok user=alice alg=HS256 kid=s2\n" or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key), $oct, qw(--key-option kid=s1), $hs);
ok $rc == 1 && $out =~ /^refused reason=unknown_kid .* kid=s2$/ or print "# $out";
$hs = sign(key => 'file:keys/hs.secret', alg => 'HS256', claims => claims(iss => 'https://b.test'));
($rc, $out) = run(undef, qw(jwt verify --key file:keys/hs.secret --key-option issuer=https://a.test), $hs);
ok $rc == 1 && $out =~ /^refused reason=wrong_issuer .* iss=https:\/\/b\.test$/ or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --key-option colour=blue), $tok);
ok $rc == 2 && $out eq '';
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --key-option kid=), $tok);
ok $rc == 2 && $out eq '';
($rc, $out) = run(undef, qw(jwt verify --key-option kid=k9 --key keys/rsa.pub), $tok);
ok $rc == 2 && $out eq '';
($rc, $out) = run(undef, qw(jwt verify --key keys/keys.jwks --key-option kid=rsa-1), $tok);
ok $rc == 2 && $out eq '';

# --revocation: AuthGateRevocationFile's list (keys/revoked.txt lists
# jti-revoked)
my $revoked = sign(key => 'keys/rsa.key', kid => 'k9', claims => claims(jti => 'jti-revoked'));
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --revocation keys/revoked.txt), $revoked);
ok $rc == 1 && $out eq "refused reason=revoked (token revoked) kid=k9\n" or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub), $revoked);
ok $rc == 0 && $out =~ /^ok user=alice / or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/issuer-a.pub --revocation keys/revoked.txt), $iss_a);
ok $rc == 0 or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --revocation keys/revoked.txt), $tok);
ok $rc == 0 or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/other.pub --revocation keys/revoked.txt), $revoked);
ok $rc == 1 && $out =~ /^refused reason=bad_signature / or print "# $out";
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --revocation keys/missing.txt), $revoked);
ok $rc == 2 && $out eq '';
($rc, $out) = run(undef, qw(jwt verify --key keys/rsa.pub --revocation keys/revoked.txt
                            --revocation keys/revoked.txt), $revoked);
ok $rc == 2 && $out eq '';

# sign: one token a line of standard input
($rc, $out) = run(qq({"sub":"a","exp":4102444800}\n{"sub":"b","exp":4102444800}\n),
                  qw(jwt sign --key keys/ec.key --alg ES256 -));
my @two = split /\n/, $out;
ok $rc == 0 && @two == 2 && $two[0] ne $two[1];
($rc, $out) = run(undef, qw(jwt verify --key keys/ec.pub), $two[1]);
ok $rc == 0 && $out =~ /^ok user=b alg=ES256$/;

# usage and input errors: 2
($rc) = run(undef, qw(jwt sign --key keys/rsa.key --alg none), $claims);
ok $rc == 2;
($rc) = run(undef, qw(jwt sign --key keys/rsa.key --alg RS256 [1]));
ok $rc == 2;
($rc) = run(undef, qw(jwt verify --key keys/missing.pub), $tok);
ok $rc == 2;
# an HMAC key as long as the module requires (RFC 7518 §3.2), so that
# what is signed here can be verified there
my $key40 = 'base64:' . MIME::Base64::encode_base64('k' x 40, '');
($rc, $out) = run_with(all => undef, qw(jwt sign --alg HS384 --key), $key40, $claims);
ok $rc == 2 && $out =~ /HMAC key of 40 bytes is too short for HS384/ or print "# $out";
($rc, $out) = run(undef, qw(jwt sign --alg HS256 --key), $key40, $claims);
ok $rc == 0 && $out =~ /^[\w-]+\.[\w-]+\.[\w-]+\n\z/ or print "# $out";
($rc, $out) = run_with(all => undef, qw(jwt sign --alg HS256 --key),
                       'base64:' . MIME::Base64::encode_base64('k' x 12, ''), $claims);
ok $rc == 2 && $out =~ /HMAC key of 12 bytes is shorter than the hash/ or print "# $out";
# a secret file is read as AuthGateJWTSecret reads it: its CRLF is no
# part of the key, named as a plain path or as file:
my $crlf = File::Temp->new;
print $crlf 'k' x 32, "\r\n";
close $crlf;
($rc, $tok) = run(undef, qw(jwt sign --alg HS256 --key), $crlf->filename, $claims);
chomp $tok;
($rc, $out) = run(undef, qw(jwt verify --key), 'file:' . $crlf->filename, $tok);
ok $rc == 0 && $out =~ /^ok user=alice alg=HS256\b/ or print "# $out";
# a spec that is not base64: said so, and the spec (a secret) not echoed
($rc, $out) = run_with(all => undef, qw(jwt sign --alg HS256 --key),
                       'base64:c2VjcmV0 c2VjcmV0', $claims);
ok $rc == 2 && $out =~ /base64: is not followed by base64/ && $out !~ /c2VjcmV0/
    or print "# $out";
($rc) = run(undef, qw(jwt verify), $tok);
ok $rc == 2;

# jwks: a document the module loads, naming the keys as told
($rc, $out) = run(undef, qw(jwks --kid r keys/rsa.key keys/ec.pub));
my $jwks = eval { JSON::PP::decode_json($out) } || {};
ok $rc == 0 && @{$jwks->{keys} || []} == 2 && $jwks->{keys}[0]{kid} eq 'r'
    && $jwks->{keys}[0]{kty} eq 'RSA' && $jwks->{keys}[1]{alg} eq 'ES256'
    && length($jwks->{keys}[1]{kid}) == 43;
($rc) = run(undef, qw(jwks keys/revoked.txt));
ok $rc == 2;
($rc, $out) = run(undef, qw(jwks));
ok $rc == 2 && $out eq '';

# --help: the usage on standard output, exit 0
($rc, $out) = run(undef, qw(jwt sign --help));
ok $rc == 0 && $out =~ /^usage: authgate jwt sign --key FILE --alg ALG /;
($rc, $out) = run(undef, qw(jwt verify --help));
ok $rc == 0 && $out =~ /^usage: authgate jwt verify --key FILE \[--key-option WORD\.\.\.\]/
    && $out =~ /--scope-claim CLAIM/ && $out =~ /--revocation FILE/;
($rc, $out) = run(undef, qw(jwks --help));
ok $rc == 0 && $out =~ /^usage: authgate jwks /;

# --- the tool and the module, on the same tokens -------------------------
# For each location of t/conf/bearer.conf.in below, `jwt verify` with the
# options that mirror its directives prints the reason the module logs
# for the same token (or ok where the module lets it in), and that is the
# answer the token calls for.
my @same = (
    [ '/bearer/policy/', [qw(--key keys/rsa.pub --iss https://idp.test --aud api)],
      'keys/rsa.key', 'RS256',
      [ [ ok => claims(iss => 'https://idp.test', aud => 'api') ],
        [ token_expired => claims(iss => 'https://idp.test', aud => 'api',
                                  exp => time - 3600) ],
        [ wrong_audience => claims(iss => 'https://idp.test', aud => 'other') ],
        [ wrong_issuer => claims(iss => 'https://other.test', aud => 'api') ],
        [ missing_claim => claims(aud => 'api') ] ] ],
    [ '/bearer/hs/', [qw(--key file:keys/hs.secret --revocation keys/revoked.txt)],
      'file:keys/hs.secret', 'HS256',
      [ [ revoked => claims(jti => 'jti-revoked') ],
        [ ok => claims(jti => 'jti-fine') ],
        [ token_not_yet_valid => claims(nbf => time + 3600) ] ] ],
    [ '/bearer/issuers/', [qw(--key keys/issuer-a.pub --key-option issuer=https://a.test
                            --key keys/issuer-b.pub --key-option issuer=https://b.test)],
      'keys/issuer-a.key', 'ES256',
      [ [ ok => claims(iss => 'https://a.test') ],
        [ bad_signature => claims(iss => 'https://b.test') ] ] ],
);
for my $loc (@same) {
    my ($path, $opts, $key, $alg, $cases) = @$loc;
    for my $case (@$cases) {
        my ($want, $c) = @$case;
        my $token = sign(key => $key, alg => $alg, claims => $c);
        Apache::TestUtil::t_start_error_log_watch();
        my $res = bearer_get($path, $token);
        my ($logged) = map { /AG00001: denied reason=(\w+)/ ? $1 : () }
                       Apache::TestUtil::t_finish_error_log_watch();
        my $module = $res->code == 200 ? 'ok' : $logged // 'none';
        my (undef, $said) = run(undef, qw(jwt verify), @$opts, $token);
        my $tool = $said =~ /^ok / ? 'ok'
                 : $said =~ /^refused reason=(\w+)/ ? $1 : 'none';
        ok $tool eq $want && $module eq $want
            or print "# $path, $want: the module: $module, the tool: $tool\n";
    }
}
