# When no Digest nonce can be made (the random generator fails), a
# section whose only scheme is Digest has no challenge to give, and every
# 401 must carry one: the answer is 503 with Retry-After, the reason
# backend_unavailable, and AG00418 says why.  A section with another
# scheme as well still answers 401, with that scheme's challenge.  The
# failing generator is t/lib/rand_fail.c, loaded into a server of the
# test's own ahead of mod_authgate; the nonce secret comes from a file,
# since a random one cannot be drawn either.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use File::Temp qw(tempdir);
use LWP::UserAgent;
use AuthGateTest qw(module_dir);
use DigestTest;
use OwnServer;

my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;
my $cc = $ENV{CC} || 'cc';
my $out = `$cc -shared -fPIC -o $dir/rand_fail.so $FindBin::Bin/lib/rand_fail.c 2>&1`;
ok $? == 0, 'the failing random generator is built' or diag $out;

open my $fh, '>', "$dir/secret" or die $!;
print $fh 'k' x 48;
close $fh;
open $fh, '>', "$dir/htpasswd" or die $!;
close $fh;

my $moddir = module_dir();
my $server = OwnServer->new(preload => "$dir/rand_fail.so",
                            body => <<"EOF" . gate_location() . <<"EOF");
LoadModule authn_file_module "$moddir/mod_authn_file.so"
AuthGateNonceSecret file:$dir/secret
EOF
<Location "/both/">
    AuthName "both"
    AuthGateSchemes Digest Basic
    AuthGateBasicProvider file
    AuthUserFile "$dir/htpasswd"
</Location>
EOF
ok $server->start, 'a server whose RAND_bytes fails is up (secret from a '
    . 'file)' or diag $server->log;

my $ua = LWP::UserAgent->new(keep_alive => 0, timeout => 10);

my $mark = $server->log_mark;
my $res = $ua->get($server->url('/index.html'));
is $res->code, 503, 'Digest alone, no nonce to be made: 503, not a 401 '
    . 'without a challenge';
is $res->header('Retry-After'), '10', '... with Retry-After';
ok !defined $res->header('WWW-Authenticate'), '... and no challenge';
my $log = $server->log($mark);
like $log, qr/AG00418: cannot make a Digest nonce/,
    '... AG00418 says why';
like $log, qr/AG00001: denied reason=backend_unavailable/,
    '... the reason is backend_unavailable';

$mark = $server->log_mark;
$res = $ua->get($server->url('/both/index.html'));
is $res->code, 401, 'Digest and Basic: still a 401';
is_deeply [ $res->header('WWW-Authenticate') ], [ 'Basic realm="both"' ],
    '... with the Basic challenge alone';
like $server->log($mark), qr/AG00001: denied reason=no_credentials/,
    '... for want of credentials';

is $server->stop, 0, 'the server stops cleanly';

done_testing;
