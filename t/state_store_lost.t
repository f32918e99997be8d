# The state store's mutex lost while the server runs, as happens when its
# System V semaphore is removed (ipcrm, or systemd-logind's RemoveIPC=yes
# for the user the server was started as): what needs the store fails
# closed with 503 and backend_unavailable, never a grant; what does not
# need it goes on.  The test starts an httpd of its own with
# `Mutex sysvsem authgate-state`, finds the one semaphore set that start
# made, and removes it; a graceful restart then makes the mutex anew.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use Digest::SHA qw(sha1_base64);
use File::Temp qw(tempdir);
use IPC::SysV qw(IPC_RMID);
use LWP::UserAgent;
use MIME::Base64 qw(encode_base64);
use AuthGateTest qw(module_dir);
use DigestTest;
use OwnServer;

my $SEMS = '/proc/sysvipc/sem';
plan skip_all => "no $SEMS: the kernel has no System V semaphores"
    unless -r $SEMS;

# The ids of the semaphore sets there are now.
sub semaphore_sets {
    open my $fh, '<', $SEMS or die "$SEMS: $!";
    <$fh>;    # the heading
    return map { (split)[1] } <$fh>;
}

my $root = Apache::Test::vars('serverroot');
my $moddir = module_dir();
my $files = tempdir(CLEANUP => 1);
chmod 0755, $files;
open my $fh, '>', "$files/htpasswd" or die $!;
print $fh 'bob:{SHA}' . sha1_base64('builder') . "=\n";
close $fh;
my $server = OwnServer->new(body => <<"EOF");
LoadModule authn_file_module "$moddir/mod_authn_file.so"
Mutex sysvsem authgate-state
<Location "/">
    AuthType AuthGate
    AuthName "digest"
    AuthGateSchemes Digest Basic
    AuthGateDigestProvider authgate
    AuthGateBasicProvider file
    AuthGateUserFile "$root/conf/digest.users"
    AuthUserFile "$files/htpasswd"
    Require valid-user
</Location>
<Location "/limit/">
    AuthGateFailureLimit 5 60
</Location>
<Location "/authgate-status">
    SetHandler authgate-status
    Require all granted
</Location>
EOF

mkdir $server->dir . '/htdocs/limit' or die $!;
open $fh, '>', $server->dir . '/htdocs/limit/index.html' or die $!;
print $fh "limited\n";
close $fh;

my $ua = LWP::UserAgent->new(keep_alive => 0, timeout => 10);
my $basic = 'Basic ' . encode_base64('bob:builder', '');

# A Digest request for alice on PATH, from a fresh challenge: its status.
sub digest_status {
    my ($path, $c) = @_;
    $c //= (grep { $_->{algorithm} eq 'SHA-256' }
            challenges($ua->get($server->url($path))))[0];
    return 0 unless $c;
    return $ua->get($server->url($path), Authorization => scalar digest_auth(
        challenge => $c, user => 'alice', password => 'wonderland',
        uri => $path, nc => 1))->code;
}

# The status page's store samples: name => value.
sub store_samples {
    my $body = $ua->get($server->url('/authgate-status'))->decoded_content;
    return { $body =~ /^(authgate_store_\w+) (\d+)$/mg };
}

my %before = map { $_ => 1 } semaphore_sets();
my $up = $server->start;
# a machine whose limits allow no System V semaphore cannot run this
plan skip_all => 'no System V semaphore could be made (AG00401)'
    if !$up && $server->log =~ /AG00401/;
ok $up, 'an httpd of its own (' . $server->mpm . ') with Mutex sysvsem '
    . 'is up' or diag $server->log;
my @ours = grep { !$before{$_} } semaphore_sets();
is scalar(@ours), 1, 'its start made one semaphore set: the state store\'s '
    . 'mutex' or diag "new sets: @ours";

is digest_status('/index.html'), 200, 'Digest: 200 while the store works';
is $ua->get($server->url('/limit/index.html'), Authorization => $basic)->code,
    200, 'Basic under AuthGateFailureLimit: 200';
my $m = store_samples();
ok $m->{authgate_store_entries} && defined $m->{authgate_store_errors_total}
    && $m->{authgate_store_errors_total} == 0,
    'authgate-status: the store holds the nonce, no error counted';

ok semctl($ours[0], 0, IPC_RMID, 0), 'the semaphore set is removed'
    or diag "semctl: $!";

# A challenge needs no store: the client still learns how to log in.
my $res = $ua->get($server->url('/index.html'));
is $res->code, 401, 'without credentials: still 401';
my ($c) = grep { $_->{algorithm} eq 'SHA-256' } challenges($res);
ok $c && $c->{nonce}, '... with a Digest challenge';

my $mark = $server->log_mark;
my $auth = scalar digest_auth(challenge => $c, user => 'alice',
                              password => 'wonderland',
                              uri => '/index.html', nc => 1);
$res = $ua->get($server->url('/index.html'), Authorization => $auth);
is $res->code, 503, 'Digest with the right password: 503, not a grant '
    . 'whose nonce-count went unchecked';
is $res->header('Retry-After'), '10', '... with Retry-After';
my $log = $server->log($mark);
like $log, qr/AG00413: the state store did not answer/,
    '... AG00413 says why';
like $log, qr/AG00001: denied reason=backend_unavailable/,
    '... the reason is backend_unavailable';
is $ua->get($server->url('/index.html'), Authorization => $auth)->code, 503,
    'the same count again: 503 again';

is $ua->get($server->url('/index.html'), Authorization => $basic)->code, 200,
    'Basic, which keeps no shared state: still 200';

$mark = $server->log_mark;
$res = $ua->get($server->url('/limit/index.html'), Authorization => $basic);
is $res->code, 503, 'AuthGateFailureLimit cannot count: 503 for good '
    . 'credentials too, not an unlimited gate';
$log = $server->log($mark);
like $log, qr/AG00602: the state store did not answer: AuthGateFailureLimit/,
    '... AG00602 says why';
like $log, qr/AG00001: denied reason=backend_unavailable/,
    '... the reason is backend_unavailable';

$m = store_samples();
ok defined $m->{authgate_store_errors_total}
    && $m->{authgate_store_errors_total} >= 3,
    'authgate-status counts the store\'s errors'
    or diag explain $m;
ok !exists $m->{authgate_store_entries}
    && !exists $m->{authgate_store_evictions_total},
    '... and leaves out what it could not read, rather than show 0';

# A graceful restart makes the mutex anew: the store answers again.
$mark = $server->log_mark;
my ($rc, $out) = $server->graceful;
is $rc, 0, 'apache2 -k graceful' or diag $out;
ok $server->wait_up, 'the new generation is up';
like $server->log($mark),
    qr/AG00404: the state store's mutex \(sysvsem\) no longer locks: made anew/,
    '... and AG00404 says the mutex was made anew';
is $ua->get($server->url('/index.html'), Authorization => $auth)->code, 200,
    'the count refused with 503 was not spent: accepted now';
$mark = $server->log_mark;
is $ua->get($server->url('/index.html'), Authorization => $auth)->code, 401,
    'and then refused as used';
like $server->log($mark), qr/AG00001: denied reason=digest_replay/,
    '... as a replay: the kept table tracks it';
is $ua->get($server->url('/limit/index.html'), Authorization => $basic)->code,
    200, 'AuthGateFailureLimit counts again';

my $status = $server->stop;
ok defined $status, 'the httpd stops';
is $status, 0, '... and exits with status 0';
unlike $server->log, qr/Segmentation fault|exit signal|AddressSanitizer/,
    'no crash in its log';

done_testing;
