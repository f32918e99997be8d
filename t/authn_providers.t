# The gate's use of httpd authn providers follows httpd's own modules:
# - a provider that denies a user (AUTH_DENIED) ends the walk down the
#   Digest provider list, as in mod_auth_digest (and in the gate's Basic),
#   so a provider can refuse an account that a later one knows;
# - a provider that names the request's user itself (r->user, as
#   mod_authnz_ldap's AuthLDAPRemoteUserAttribute does) keeps that name
#   under the gate's Basic, as under mod_auth_basic.
# The providers are t/lib/authn_test.c, built here and loaded into a
# server of the test's own.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use Digest::MD5 qw(md5_hex);
use File::Temp qw(tempdir);
use LWP::UserAgent;
use MIME::Base64 ();
use AuthGateTest qw(module_dir);
use DigestTest;
use OwnServer;

my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;
my $cc = $ENV{CC} || 'cc';
my $inc = join ' ', map { chomp(my $d = `apxs -q $_`); "-I$d" }
    qw(INCLUDEDIR APR_INCLUDEDIR);
my $out = `$cc -shared -fPIC $inc -o $dir/mod_authn_test.so $FindBin::Bin/lib/authn_test.c 2>&1`;
ok $? == 0, 'the test providers are built' or diag $out;

# bob/builder in realm "gate"
open my $fh, '>', "$dir/htdigest" or die $!;
print $fh 'bob:gate:' . md5_hex('bob:gate:builder') . "\n";
close $fh;
my $moddir = module_dir();
my $server = OwnServer->new(body => <<"EOF");
LoadModule authn_file_module "$moddir/mod_authn_file.so"
LoadModule authn_test_module "$dir/mod_authn_test.so"
<Location "/renamed/">
    AuthType AuthGate
    AuthName "gate"
    AuthGateSchemes Basic
    AuthGateBasicProvider rename
    Require user uid=bob
    AuthzSendForbiddenOnFailure On
</Location>
<Location "/renamed/plain/">
    Require user bob
</Location>
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
ok $server->start, 'a server with the test providers is up' or diag $server->log;

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

# GET PATH with Basic USER:PASSWORD.
sub basic_get {
    my ($path, $user, $pass) = @_;
    return $ua->get($server->url($path), Authorization => 'Basic '
        . MIME::Base64::encode_base64("$user:$pass", ''));
}

$mark = $server->log_mark;
my $res = basic_get('/renamed/index.html', bob => 'secret');
is $res->code, 404, 'Basic, a provider that names the user uid=bob: Require user uid=bob lets it by (to a 404: no such document)';
like $server->log($mark), qr/AG00002: granted scheme=basic user=uid=bob/,
    '... and the grant names uid=bob';
is basic_get('/renamed/plain/index.html', bob => 'secret')->code, 403,
    '... where Require user bob refuses it';
is basic_get('/renamed/index.html', bob => 'wrong')->code, 401,
    'a wrong password: 401';

is $server->stop, 0, 'the server stops cleanly';

done_testing;
