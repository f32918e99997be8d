# A graceful restart keeps issued nonces valid and their used counts used:
# the nonce secret, the shared memory and its mutex are kept by the parent
# across generations.  The test restarts the suite's own server (SIGUSR1 to
# the pid in t/logs/httpd.pid, as `apachectl graceful` does) and waits for
# the new generation.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use Time::HiRes qw(sleep time);
use DigestTest;

sub alice {
    my ($c, %o) = @_;
    return GET '/digest/index.html',
        Authorization => digest_auth(challenge => $c, user => 'alice',
                                     password => 'wonderland',
                                     uri => '/digest/index.html', %o);
}

my $c = fresh_challenge('/digest/index.html', 'SHA-256');
my $md5 = fresh_challenge('/digest-md5/index.html');
is alice($c, nc => 1)->code, 200, 'a nonce used once before the restart';
is alice($c, nc => 3)->code, 200, '... and count 3';

open my $fh, '<', Apache::Test::vars('t_logs') . '/httpd.pid'
    or die "httpd.pid: $!";
chomp(my $pid = <$fh>);
close $fh;
my $mark = log_mark();
ok kill('USR1', $pid), "graceful restart of the server (pid $pid)";

my $deadline = time + 30;
sleep 0.2 until log_since($mark) =~ /resuming normal operations/ || time > $deadline;
like log_since($mark), qr/resuming normal operations/, 'the new generation is up';
my $code = 0;
until ($code == 200 || time > $deadline) {
    $code = GET('/index.html')->code;
    sleep 0.2 unless $code == 200;
}
is $code, 200, 'the server answers again';
like log_since($mark), qr/AG00403: state store: [^\n]*kept across the restart/,
    'the state store was kept across the restart';

is alice($c, nc => 2)->code, 200,
    'the nonce issued before the restart: count 2 is accepted (no stale)';
is GET('/digest-md5/index.html',
       Authorization => digest_auth(challenge => $md5, user => 'alice',
                                    password => 'wonderland',
                                    uri => '/digest-md5/index.html'))->code,
    200, 'a nonce issued before the restart and never used: accepted';
my $after = log_mark();
is alice($c, nc => 1)->code, 401, 'count 1, used before the restart: refused';
is_deeply [denials($after)], ['digest_replay'], '... as a replay';
is alice($c, nc => 3)->code, 401, 'count 3 too';
is alice(fresh_challenge('/digest/index.html', 'SHA-256'))->code, 200,
    'a nonce of the new generation works';

done_testing;
