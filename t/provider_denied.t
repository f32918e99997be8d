# An authn provider that denies a user (AUTH_DENIED) ends the walk down
# the Digest provider list: the next provider is not asked, as in httpd's
# own mod_auth_digest (and in the gate's Basic), so a provider can refuse
# an account that a later one knows.  The denying provider is
# t/lib/authn_deny.c, built here and loaded into a server of the test's
# own.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use Digest::MD5 qw(md5_hex);
use File::Temp qw(tempdir);
use LWP::UserAgent;
use AuthGateTest qw(module_dir);
use DigestTest;
use OwnServer;

my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;
my $cc = $ENV{CC} || 'cc';
my $inc = join ' ', map { chomp(my $d = `apxs -q $_`); "-I$d" }
    qw(INCLUDEDIR APR_INCLUDEDIR);
my $out = `$cc -shared -fPIC $inc -o $dir/mod_authn_deny.so $FindBin::Bin/lib/authn_deny.c 2>&1`;
ok $? == 0, 'the denying provider is built' or diag $out;

# bob/builder in realm "gate"
open my $fh, '>', "$dir/htdigest" or die $!;
print $fh 'bob:gate:' . md5_hex('bob:gate:builder') . "\n";
close $fh;
my $moddir = module_dir();
my $server = OwnServer->new(body => <<"EOF");
LoadModule authn_file_module "$moddir/mod_authn_file.so"
LoadModule authn_deny_module "$dir/mod_authn_deny.so"
<Location "/deny-first/">
    AuthType AuthGate
    AuthName "gate"
    AuthGateSchemes Digest
    AuthGateDigestAlgorithms MD5
    AuthGateDigestProvider deny file
    AuthUserFile "$dir/htdigest"
    Require valid-user
    AuthzSendForbiddenOnFailure On
</Location>
<Location "/index.html">
    AuthType AuthGate
    AuthName "gate"
    AuthGateSchemes Digest
    AuthGateDigestAlgorithms MD5
    AuthGateDigestProvider file deny
    AuthUserFile "$dir/htdigest"
    Require valid-user
    AuthzSendForbiddenOnFailure On
</Location>
EOF
ok $server->start, 'a server with the denying provider is up' or diag $server->log;

my $ua = LWP::UserAgent->new(keep_alive => 0, timeout => 10);

# GET PATH as bob, answering a fresh challenge of PATH.
sub bob {
    my ($path) = @_;
    my @c = challenges($ua->get($server->url($path)));
    return $ua->get($server->url($path), Authorization =>
        scalar digest_auth(challenge => $c[0], user => 'bob',
                           password => 'builder', uri => $path));
}

my $mark = $server->log_mark;
is bob('/deny-first/index.html')->code, 401,
    '"deny" before "file": the denial stands, 401';
my $log = $server->log($mark);
like $log, qr/AG00420: provider deny denied user bob/,
    '... AG00420 names the provider';
like $log, qr/AG00001: denied reason=digest_unknown_user/,
    '... reason digest_unknown_user';

is bob('/index.html')->code, 200,
    '"file" before "deny": file knows bob, 200';

is $server->stop, 0, 'the server stops cleanly';

done_testing;
