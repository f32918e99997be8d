# Configuration errors of the Digest directives stop `apache2 -t`, naming
# the directive, the file and the line.  Each case is a small
# configuration of its own, checked with the suite's httpd.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use Apache::TestUtil qw(t_cmp t_write_file);
use File::Temp qw(tempdir);
use AuthGateTest qw(configtest);

my $dir = tempdir(CLEANUP => 1);

t_write_file("$dir/users", "alice:digest:MD5=2279c5d6024f12bd75b27724f6d364e7\n");
t_write_file("$dir/users-bad", "alice:digest:MD5=2279c5d6024f12bd75b27724f6d364e7\n"
                               . "# fine\nbroken line\n");
t_write_file("$dir/secret", "x" x 48 . "\n");
t_write_file("$dir/secret-short", "x" x 31 . "\n");

# `apache2 -t` on LOCATION (the body of a <Location> for Digest) and
# SERVER (server-level lines), with only the modules Digest needs and
# ServerRoot in DIR: (exit status, output, the configuration's path, the
# line of LOCATION, the line of SERVER).
# MODULES, when given, replaces that list.
sub digest_configtest {
    my ($location, $server, $modules) = @_;
    return configtest(
        name => 'httpd', dir => $dir, root => $dir, minimal => 0,
        modules => $modules || [ qw(mpm_prefork authn_core authz_core
                                    authz_user authn_file authn_anon) ],
        server => $server, location => '/x',
        section => [ 'AuthType AuthGate', 'AuthGateSchemes Digest',
                     'Require valid-user' ],
        body => $location);
}

my ($rc, $out) = digest_configtest([
    'AuthGateDigestProvider authgate file',
    'AuthGateUserFile users',
    'AuthUserFile users',
    'AuthGateDigestAlgorithms SHA-512-256 SHA-256-sess MD5',
    'AuthGateDigestQop auth auth-int',
    'AuthGateNonceLifetime 600' ],
    [ 'AuthGateStateStore shm:32M', "AuthGateNonceSecret file:$dir/secret" ]);
ok $rc == 0 && $out =~ /Syntax OK/, 'every Digest directive, well used: Syntax OK'
    or diag $out;

# [lines inside the <Location>, server-level lines, the message after
#  "line N of CONF:", what, how far below the first line given (in the
#  <Location> if any, else at server level) N is]
my @cases = (
    ['AuthGateDigestProvider anon', undef,
     qr/AuthGateDigestProvider: authn provider 'anon' cannot supply Digest realm hashes/,
     'a provider without realm hashes (anon)'],
    ['AuthGateDigestProvider nosuch', undef,
     qr/AuthGateDigestProvider: unknown authn provider 'nosuch'/,
     'an unknown provider'],
    ['AuthGateDigestAlgorithms SHA-512', undef,
     qr/AuthGateDigestAlgorithms: unknown algorithm 'SHA-512'/,
     'plain SHA-512'],
    ['AuthGateDigestAlgorithms MD5 md5', undef,
     qr/AuthGateDigestAlgorithms: algorithm 'md5' named twice/,
     'an algorithm twice'],
    ['AuthGateDigestQop auth-conf', undef,
     qr/AuthGateDigestQop: unknown qop 'auth-conf'/,
     'an unknown qop'],
    ['AuthGateNonceLifetime 0', undef,
     qr/AuthGateNonceLifetime: '0' is not a number of seconds/,
     'a lifetime of 0'],
    ['AuthGateNonceLifetime 5m', undef,
     qr/AuthGateNonceLifetime: '5m' is not a number of seconds/,
     'a lifetime with a unit'],
    ['AuthGateUserFile missing', undef,
     qr/AuthGateUserFile: cannot load '\S+missing': cannot read file/,
     'a missing user file'],
    ['AuthGateUserFile users-bad', undef,
     qr/AuthGateUserFile: cannot load '\S+users-bad': line 3: not USER:REALM:HASHES/,
     'a malformed user file, naming its line'],
    [undef, 'AuthGateStateStore shm:1K',
     qr/AuthGateStateStore: size '1K' is under the minimum of 64K/,
     'a store too small'],
    [undef, 'AuthGateStateStore socache:redis',
     qr/AuthGateStateStore: socache stores are not built into this version/,
     'a socache store'],
    [undef, "<VirtualHost 127.0.0.1:1>\nAuthGateStateStore shm\n</VirtualHost>",
     qr/AuthGateStateStore cannot occur within <VirtualHost> section/,
     'AuthGateStateStore in a virtual host', 1],
    [undef, "AuthGateNonceSecret file:$dir/secret-short",
     qr/AuthGateNonceSecret: \S+secret-short: the secret is shorter than 32 bytes/,
     'a short nonce secret'],
    [undef, "AuthGateNonceSecret file:$dir/none",
     qr/AuthGateNonceSecret: cannot read \S+none/,
     'a missing nonce secret'],
    [undef, 'AuthGateNonceSecret base64:c2VjcmV0',
     qr/AuthGateNonceSecret: give the secret as file:\/path/,
     'a nonce secret not given as a file'],
    ['AuthGateNonceSecret file:secret', undef,
     qr/AuthGateNonceSecret not allowed in <Location> context/,
     'AuthGateNonceSecret in a <Location>'],
);
for my $case (@cases) {
    my ($location, $server, $message, $what, $below) = @$case;
    my ($rc, $out, $conf, $location_line, $server_line) =
        digest_configtest($location, $server);
    my $line = (defined $location ? $location_line : $server_line)
               + ($below || 0);
    ok $rc != 0 && $out =~ /line $line of \Q$conf\E:\n$message/,
       "configtest refuses $what" or diag $out;
}

# Where the realm hashes come from is settled at start too: a section
# that could only answer 503 stops the start, naming the section (and
# the AuthGateSchemes line that enables Digest), each with its file and
# line.
($rc, $out) = digest_configtest('AuthUserFile users');
ok $rc == 0 && $out =~ /Syntax OK/,
   'no AuthGateDigestProvider, mod_authn_file loaded: the default, file, is used'
    or diag $out;
my ($conf, $location_line);
($rc, $out, $conf, undef, undef, $location_line) = digest_configtest([], undef,
    [ qw(mpm_prefork authn_core authz_core authz_user) ]);
my $schemes_line = $location_line + 2;   # the section's second line
ok t_cmp($rc != 0, 1,
         'Digest with no provider and mod_authn_file not loaded: configtest fails');
ok t_cmp($out, qr/AG00320: <Location \/x> \(\Q$conf\E:$location_line\): Digest is enabled \(AuthGateSchemes at \Q$conf\E:$schemes_line\) but no AuthGateDigestProvider applies and the default provider, file, is not loaded/,
         'configtest refuses Digest with no provider and mod_authn_file not loaded');
my $provider_line;
($rc, $out, $conf, $provider_line, undef, $location_line) =
    digest_configtest('AuthGateDigestProvider file authgate');
ok t_cmp($rc != 0, 1,
         'the authgate provider without AuthGateUserFile: configtest fails');
ok t_cmp($out, qr/AG00320: <Location \/x> \(\Q$conf\E:$location_line\): AuthGateDigestProvider at \Q$conf\E:$provider_line asks for the authgate provider but no AuthGateUserFile applies/,
         'configtest refuses the authgate provider without AuthGateUserFile, naming the section and the provider line');

# Stock mod_auth_digest asking the authgate provider (AuthDigestProvider
# authgate) for what no AuthGateUserFile gives: the same.
my @stock = (name => 'httpd', dir => $dir, root => $dir, minimal => 0,
             modules => [ qw(mpm_prefork authn_core authz_core authz_user
                             auth_digest) ],
             location => '/x',
             section => [ 'AuthType Digest', 'AuthName "digest"',
                          'AuthDigestProvider authgate',
                          'Require valid-user' ]);
($rc, $out, $conf, undef, undef, $location_line) = configtest(@stock);
$provider_line = $location_line + 3;   # the section's third line
ok t_cmp($rc != 0, 1,
         'stock Digest with the authgate provider and no AuthGateUserFile: configtest fails');
ok t_cmp($out, qr/AG00320: <Location \/x> \(\Q$conf\E:$location_line\): AuthDigestProvider at \Q$conf\E:$provider_line asks for the authgate provider but no AuthGateUserFile applies/,
         '... naming the section and the AuthDigestProvider line');
($rc, $out) = configtest(@stock, body => qq{AuthGateUserFile "$dir/users"});
ok $rc == 0 && $out =~ /Syntax OK/,
   'stock Digest with the authgate provider and AuthGateUserFile: Syntax OK'
    or diag $out;

done_testing;
