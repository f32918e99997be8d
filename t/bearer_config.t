# Configuration errors stop `apachectl configtest`, naming the directive
# and where it is: each case runs httpd -t on a small configuration.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use File::Temp ();
use FindBin;
use lib "$FindBin::Bin/lib";
use AuthGate::Bearer;
use AuthGateTest qw(configtest);

plan tests => 21;

my $t = $FindBin::Bin;
my $dir = File::Temp->newdir;

# An error on line N (from 0) of the body, where httpd's message starts
# with the file and the line: [N, the message that follows].
sub at {
    my ($n, $want) = @_;
    return [ $n, $want ];
}

# One assertion: httpd -t on BODY inside <Location /x> (and OUTSIDE at
# server level) fails (or passes, for WANT undef) and says WANT.
sub refused {
    my ($name, $body, $want, $outside) = @_;
    my ($rc, $out, $conf, $line) = configtest(
        name => 'httpd', dir => "$dir", server => $outside,
        location => '/x',
        section => [ 'AuthType AuthGate', 'AuthName "api"',
                     'Require valid-user' ],
        body => $body);
    if (ref $want eq 'ARRAY') {
        my ($n, $message) = @$want;
        $want = qr/line ${\ ($line + $n)} of \Q$conf\E:\s+$message/;
    }
    my $good = defined $want ? $rc != 0 && $out =~ $want
                             : $rc == 0 && $out =~ /Syntax OK/;
    print "# $name: exit $rc: $out" unless $good;
    return ok $good;
}

my $pub = "$t/keys/rsa.pub";
refused('a good configuration passes',
        qq{AuthGateJWTKeyFile "$pub"}, undef);
refused('an unreadable key file',
        qq{AuthGateJWTKeyFile "$t/keys/missing.pub"},
        at(0, qr/AuthGateJWTKeyFile: cannot load '\S+missing.pub': cannot read file/));
refused('a key file that is no key',
        qq{AuthGateJWTKeyFile "$t/keys/revoked.txt"},
        qr/AuthGateJWTKeyFile: cannot load '\S+revoked.txt': not a PEM public key/);
refused('a private key where a public key belongs',
        qq{AuthGateJWTKeyFile "$t/keys/rsa.key"},
        qr/AuthGateJWTKeyFile: cannot load '\S+rsa.key': holds a private key/);
refused('an unknown algorithm',
        qq{AuthGateJWTKeyFile "$pub"\nAuthGateJWTAlgorithms RS256 XS256},
        at(1, qr/AuthGateJWTAlgorithms: unknown algorithm 'XS256'/));
refused('none in the allow-list',
        qq{AuthGateJWTKeyFile "$pub"\nAuthGateJWTAlgorithms None},
        qr/AuthGateJWTAlgorithms: 'none' is never accepted/);
refused('an HMAC key shorter than the hash',
        'AuthGateJWTSecret base64:c2hvcnQgc2VjcmV0',
        qr/AuthGateJWTSecret: HMAC key of 12 bytes is shorter than the hash/);
refused('a secret that is neither file: nor base64:',
        'AuthGateJWTSecret s3cret', qr/AuthGateJWTSecret: a secret is/);
refused('AuthGateTokenCache inside a Location',
        qq{AuthGateJWTKeyFile "$pub"\nAuthGateTokenCache 10},
        qr/AuthGateTokenCache not allowed in <Location> context/);
refused('an unknown key option',
        qq{AuthGateJWTKeyFile "$pub" issuer=x colour=blue},
        qr/AuthGateJWTKeyFile: unknown option 'colour=blue'/);

# A section with nothing to check tokens against stops the start, naming
# the section with its file and line.  Two assertions: httpd -t on BODY
# inside <Location /x> fails, and says "AG00320: <Location /x>
# (FILE:LINE): " and then what WANT returns for FILE and the line of
# BODY.
sub section_refused {
    my ($name, $body, $want) = @_;
    my ($rc, $out, $conf, $line, undef, $location_line) = configtest(
        name => 'httpd', dir => "$dir", location => '/x',
        section => [ 'AuthType AuthGate', 'AuthName "api"',
                     'Require valid-user' ],
        body => $body);
    my $message = $want->($conf, $line);
    ok t_cmp($rc != 0, 1, "$name: httpd -t fails");
    ok t_cmp($out,
             qr/AG00320: <Location \/x> \(\Q$conf\E:$location_line\): $message/,
             "$name: the section named with its file and line");
}

section_refused('Bearer enabled by default with no key', '',
    sub { qr/Bearer is enabled \(AuthGateSchemes, whose default is Bearer\) but no AuthGateJWTKeyFile or AuthGateJWTSecret applies/ });
section_refused('Bearer enabled by AuthGateSchemes with no key',
    'AuthGateSchemes Bearer',
    sub { my ($conf, $line) = @_;
          qr/Bearer is enabled \(AuthGateSchemes at \Q$conf\E:$line\) but no AuthGateJWTKeyFile or AuthGateJWTSecret applies/ });
section_refused('an allow-list that fits none of the keys',
    qq{AuthGateJWTKeyFile "$pub"\nAuthGateJWTAlgorithms ES256},
    sub { qr/AuthGateJWTAlgorithms ES256 allows none of the algorithms of the keys/ });

# An HMAC key of 32 bytes checks HS256 only: an allow-list that also names
# HS384 asks for tokens that no key could check (RFC 7518 section 3.2).
my $secret32 = 'base64:' . 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=';
section_refused('an allow-list naming an HMAC algorithm the key is too short for',
    qq{AuthGateJWTSecret $secret32\nAuthGateJWTAlgorithms HS256 HS384},
    sub { qr/AuthGateJWTAlgorithms allows HS384, but no HMAC key can check it: its key must be at least as long as its hash, 48 bytes \(the keys allow HS256\)/ });
refused('an allow-list of HS256 with a 32-byte key passes',
        qq{AuthGateJWTSecret $secret32\nAuthGateJWTAlgorithms HS256}, undef);
refused('HS256 and HS512 with a 32-byte and a 64-byte key pass',
        qq{AuthGateJWTSecret $secret32\nAuthGateJWTSecret base64:a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2traw==\nAuthGateJWTAlgorithms HS256 HS512}, undef);

# A JWKS entry that cannot be used is skipped with a warning at start,
# naming the directive and the file; the file's other keys load.
my $jwks = "$dir/mixed.jwks";
open my $fh, '>', $jwks or die "$jwks: $!";
print $fh '{"keys": [{"kty": "oct", "kid": "good", "k": '
        . '"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0ISE"}, '
        . '{"kty": "oct", "kid": "enc-only", "use": "enc", "k": '
        . '"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0ISE"}]}';
close $fh;
my ($rc, $out) = configtest(
    name => 'httpd', dir => "$dir", location => '/x',
    section => [ 'AuthType AuthGate', 'AuthName "api"', 'Require valid-user' ],
    body => qq{AuthGateJWTKeyFile "$jwks"});
my $good = $rc == 0 && $out =~ /Syntax OK/ &&
    $out =~ /AG00303: AuthGateJWTKeyFile \Q$jwks\E: key 1 \(kid enc-only\) skipped: /;
print "# exit $rc: $out" unless $good;
ok $good;   # an unusable JWKS entry: a warning naming directive and file
