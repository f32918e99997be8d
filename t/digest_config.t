# Configuration errors of the Digest directives stop `apache2 -t`, naming
# the directive, the file and the line.  Each case is a small
# configuration of its own, checked with the suite's httpd.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use File::Temp qw(tempdir);

my $root = Apache::Test::vars('serverroot');
my $httpd = Apache::Test::vars('httpd');
my $module = "$root/../mod_authgate.so";
my $moddir = `apxs -q LIBEXECDIR`;
chomp $moddir;
my $dir = tempdir(CLEANUP => 1);

sub write_file {
    my ($path, $text) = @_;
    open my $fh, '>', $path or die "$path: $!";
    print $fh $text;
    close $fh;
}

write_file("$dir/users", "alice:digest:MD5=2279c5d6024f12bd75b27724f6d364e7\n");
write_file("$dir/users-bad", "alice:digest:MD5=2279c5d6024f12bd75b27724f6d364e7\n"
                             . "# fine\nbroken line\n");
write_file("$dir/secret", "x" x 48 . "\n");
write_file("$dir/secret-short", "x" x 31 . "\n");

# The configuration around SERVER (server-level lines) and LOCATION (the
# body of a <Location>); line 21 is the first line of LOCATION.
sub conf {
    my ($location, $server) = @_;
    my @head = (
        "ServerRoot $dir",
        "ServerName localhost",
        "Listen 127.0.0.1:1",
        "PidFile $dir/httpd.pid",
        "ErrorLog $dir/error_log",
        "LoadModule mpm_prefork_module $moddir/mod_mpm_prefork.so",
        "LoadModule authn_core_module $moddir/mod_authn_core.so",
        "LoadModule authz_core_module $moddir/mod_authz_core.so",
        "LoadModule authz_user_module $moddir/mod_authz_user.so",
        "LoadModule authn_file_module $moddir/mod_authn_file.so",
        "LoadModule authn_anon_module $moddir/mod_authn_anon.so",
        "LoadModule authgate_module $module",
        $server // '#',
    );
    push @head, '#' while @head < 17;
    return join("\n", @head, '<Location /x>', '    AuthType AuthGate',
                '    AuthGateSchemes Digest', $location,
                '    Require valid-user', '</Location>', '');
}

# `apache2 -t` on the configuration: (exit status, output).
sub configtest {
    write_file("$dir/httpd.conf", conf(@_));
    my $out = `$httpd -t -f $dir/httpd.conf 2>&1`;
    return ($? >> 8, $out);
}

my ($rc, $out) = configtest(join("\n",
    '    AuthGateDigestProvider authgate file',
    '    AuthGateUserFile users',
    '    AuthUserFile users',
    '    AuthGateDigestAlgorithms SHA-512-256 SHA-256-sess MD5',
    '    AuthGateDigestQop auth auth-int',
    '    AuthGateNonceLifetime 600'),
    "AuthGateStateStore shm:32M\nAuthGateNonceSecret file:$dir/secret");
ok $rc == 0 && $out =~ /Syntax OK/, 'every Digest directive, well used: Syntax OK'
    or diag $out;

my @cases = (
    ['    AuthGateDigestProvider anon', undef,
     qr/line 21 of \S+httpd\.conf:\nAuthGateDigestProvider: authn provider 'anon' cannot supply Digest realm hashes/,
     'a provider without realm hashes (anon)'],
    ['    AuthGateDigestProvider nosuch', undef,
     qr/line 21 of .*\nAuthGateDigestProvider: unknown authn provider 'nosuch'/,
     'an unknown provider'],
    ['    AuthGateDigestAlgorithms SHA-512', undef,
     qr/line 21 of .*\nAuthGateDigestAlgorithms: unknown algorithm 'SHA-512'/,
     'plain SHA-512'],
    ['    AuthGateDigestAlgorithms MD5 md5', undef,
     qr/line 21 of .*\nAuthGateDigestAlgorithms: algorithm 'md5' named twice/,
     'an algorithm twice'],
    ['    AuthGateDigestQop auth-conf', undef,
     qr/line 21 of .*\nAuthGateDigestQop: unknown qop 'auth-conf'/,
     'an unknown qop'],
    ['    AuthGateNonceLifetime 0', undef,
     qr/line 21 of .*\nAuthGateNonceLifetime: '0' is not a number of seconds/,
     'a lifetime of 0'],
    ['    AuthGateNonceLifetime 5m', undef,
     qr/line 21 of .*\nAuthGateNonceLifetime: '5m' is not a number of seconds/,
     'a lifetime with a unit'],
    ['    AuthGateUserFile missing', undef,
     qr/line 21 of .*\nAuthGateUserFile: cannot load '\S+missing': cannot read file/,
     'a missing user file'],
    ['    AuthGateUserFile users-bad', undef,
     qr/line 21 of .*\nAuthGateUserFile: cannot load '\S+users-bad': line 3: not USER:REALM:HASHES/,
     'a malformed user file, naming its line'],
    ['#', 'AuthGateStateStore shm:1K',
     qr/line 13 of .*\nAuthGateStateStore: size '1K' is under the minimum of 64K/,
     'a store too small'],
    ['#', 'AuthGateStateStore socache:redis',
     qr/line 13 of .*\nAuthGateStateStore: socache stores are not built into this version/,
     'a socache store'],
    ['#', "<VirtualHost 127.0.0.1:1>\nAuthGateStateStore shm\n</VirtualHost>",
     qr/line 14 of .*\nAuthGateStateStore cannot occur within <VirtualHost> section/,
     'AuthGateStateStore in a virtual host'],
    ['#', "AuthGateNonceSecret file:$dir/secret-short",
     qr/line 13 of .*\nAuthGateNonceSecret: \S+secret-short: the secret is shorter than 32 bytes/,
     'a short nonce secret'],
    ['#', "AuthGateNonceSecret file:$dir/none",
     qr/line 13 of .*\nAuthGateNonceSecret: cannot read \S+none/,
     'a missing nonce secret'],
    ['#', 'AuthGateNonceSecret base64:c2VjcmV0',
     qr/line 13 of .*\nAuthGateNonceSecret: give the secret as file:\/path/,
     'a nonce secret not given as a file'],
    ['    AuthGateNonceSecret file:secret', undef,
     qr/line 21 of .*\nAuthGateNonceSecret not allowed in <Location> context/,
     'AuthGateNonceSecret in a <Location>'],
);
for my $case (@cases) {
    my ($loc, $server, $re, $what) = @$case;
    ($rc, $out) = configtest($loc, $server);
    ok $rc != 0 && $out =~ $re, "configtest refuses $what" or diag $out;
}

done_testing;
