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

plan tests => 16;

# (exit code, standard output) of ../authgate ARGS, with STDIN if given.
sub run {
    my ($stdin, @args) = @_;
    my $in = File::Temp->new;
    print $in $stdin // '';
    close $in;
    my $out = `../authgate @{[ map { quotemeta } @args ]} < $in 2>/dev/null`;
    return ($? >> 8, $out);
}
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
