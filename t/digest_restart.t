# A graceful restart keeps issued nonces valid and their used counts used:
# the nonce secret, the shared memory and its mutex are kept by the parent
# across generations.  The test starts an httpd of its own (so that the
# suite's server, whose log other tests read, is not restarted), with the
# suite's MPM, and restarts it with `apache2 -k graceful`.  The server
# runs in the foreground, as a child of this test, so that its exit status
# is seen: httpd must exit cleanly after a restart, not crash on the way
# out in a cleanup of an unloaded module.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use File::Temp qw(tempdir);
use IO::Socket::INET;
use LWP::UserAgent;
use POSIX qw(WNOHANG setsid);
use Time::HiRes qw(sleep time);
use AuthGateTest qw(module_dir);
use DigestTest;

my $root = Apache::Test::vars('serverroot');
my $httpd = Apache::Test::vars('httpd');
my $mpm = $ENV{AUTHGATE_MPM} || 'event';
my $moddir = module_dir();
my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;

# A free port: bound, read and let go.
my $sock = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                 Proto => 'tcp', Listen => 1) or die $!;
my $port = $sock->sockport;
close $sock;

mkdir "$dir/htdocs";
mkdir "$dir/logs";
open my $fh, '>', "$dir/htdocs/index.html" or die $!;
print $fh "restart ok\n";
close $fh;
open $fh, '>', "$dir/httpd.conf" or die $!;
print $fh <<"EOF";
ServerRoot "$dir"
ServerName 127.0.0.1
Listen 127.0.0.1:$port
PidFile "$dir/logs/httpd.pid"
DefaultRuntimeDir "$dir/logs"
ErrorLog "$dir/logs/error_log"
LogLevel warn authgate:debug
LoadModule mpm_${mpm}_module "$moddir/mod_mpm_$mpm.so"
LoadModule authn_core_module "$moddir/mod_authn_core.so"
LoadModule authz_core_module "$moddir/mod_authz_core.so"
LoadModule authz_user_module "$moddir/mod_authz_user.so"
LoadModule authgate_module "$root/../mod_authgate.so"
DocumentRoot "$dir/htdocs"
StartServers 2
<Location "/">
    AuthType AuthGate
    AuthName "digest"
    AuthGateSchemes Digest
    AuthGateDigestProvider authgate
    AuthGateUserFile "$root/conf/digest.users"
    Require valid-user
    AuthzSendForbiddenOnFailure On
</Location>
EOF
close $fh;

my $base = "http://127.0.0.1:$port/index.html";
my $ua = LWP::UserAgent->new(keep_alive => 0, timeout => 10);

sub server_log {
    open my $f, '<', "$dir/logs/error_log" or return '';
    local $/;
    return scalar <$f>;
}

sub wait_for {
    my ($what, $cond) = @_;
    my $deadline = time + 30;
    sleep 0.1 until $cond->() || time > $deadline;
    return $cond->();
}

sub challenge {
    my $res = $ua->get($base);
    my ($c) = grep { $_->{algorithm} eq 'SHA-256' } challenges($res);
    return $c;
}

sub alice {
    my ($c, %o) = @_;
    return $ua->get($base, Authorization => scalar digest_auth(
        challenge => $c, user => 'alice', password => 'wonderland',
        uri => '/index.html', %o))->code;
}

my ($pid, $status);
# a test that dies half-way leaves no server behind
END { kill 'TERM', $pid if $pid && !defined $status }
$pid = fork // die "fork: $!";
if ($pid == 0) {
    # a session of its own, as a daemon has: prefork's parent stops its
    # children by signalling its process group
    setsid();
    open STDOUT, '>', "$dir/logs/stdout" or die $!;
    open STDERR, '>&', \*STDOUT or die $!;
    exec $httpd, '-f', "$dir/httpd.conf", '-DFOREGROUND' or exit 127;
}
ok wait_for(start => sub { server_log() =~ /resuming normal operations/ }),
    "an httpd of its own ($mpm) is up";

my $used = challenge();
my $fresh = challenge();
ok $used && $fresh, 'two nonces issued';
is alice($used, nc => 1), 200, 'one used once before the restart';
is alice($used, nc => 3), 200, '... and with count 3';

my $out = `$httpd -f $dir/httpd.conf -k graceful 2>&1`;
is $?, 0, 'apache2 -k graceful' or diag $out;
ok wait_for(restart => sub {
        my @g = server_log() =~ /resuming normal operations/g;
        @g >= 2;
    }), 'the new generation is up';
like server_log(), qr/AG00403: state store: [^\n]*kept across the restart/,
    'the state store was kept across the restart';

is alice($used, nc => 2), 200,
    'the nonce used before the restart: count 2 accepted (no stale)';
is alice($fresh, nc => 1), 200,
    'the nonce issued before the restart and never used: accepted';
my $mark = length server_log();
is alice($used, nc => 1), 401, 'count 1, used before the restart: refused';
like substr(server_log(), $mark), qr/AG00001: denied reason=digest_replay/,
    '... as a replay';
is alice($used, nc => 3), 401, 'count 3 too';
is alice(challenge()), 200, 'a nonce of the new generation works';

$out = `$httpd -f $dir/httpd.conf -k stop 2>&1`;
ok wait_for(stop => sub {
        $status = $? if !defined $status && waitpid($pid, WNOHANG) == $pid;
        defined $status;
    }), 'the httpd stops' or kill 'KILL', $pid;
is $status, 0, '... and exits with status 0 (no signal)';
unlike server_log(), qr/\[authgate:(error|crit)\]|Segmentation fault|exit signal/,
    'no error and no crash in its log';

done_testing;
