# A graceful restart keeps issued nonces valid and their used counts used:
# the nonce secret, the shared memory and its mutex are kept by the parent
# across generations; a new AuthGateStateStore size starts an empty table,
# whose first answer to a nonce from before is stale=true.  The test
# starts an httpd of its own (OwnServer, so that the suite's server, whose
# log other tests read, is not restarted), with the suite's MPM, and
# restarts it with `apache2 -k graceful`.  The server runs in the
# foreground, as a child of this test, so that its exit status is seen:
# httpd must exit cleanly after a restart, not crash on the way out in a
# cleanup of an unloaded module.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use LWP::UserAgent;
use DigestTest;
use OwnServer;

my $server = OwnServer->new(body => gate_location());

my $base = $server->url('/index.html');
my $ua = LWP::UserAgent->new(keep_alive => 0, timeout => 10);

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

ok $server->start, 'an httpd of its own (' . $server->mpm . ') is up';

my $used = challenge();
my $fresh = challenge();
ok $used && $fresh, 'two nonces issued';
is alice($used, nc => 1), 200, 'one used once before the restart';
is alice($used, nc => 3), 200, '... and with count 3';

my ($rc, $out) = $server->graceful;
is $rc, 0, 'apache2 -k graceful' or diag $out;
ok $server->wait_up, 'the new generation is up';
like $server->log, qr/AG00403: state store: [^\n]*kept across the restart/,
    'the state store was kept across the restart';

is alice($used, nc => 2), 200,
    'the nonce used before the restart: count 2 accepted (no stale)';
is alice($fresh, nc => 1), 200,
    'the nonce issued before the restart and never used: accepted';
my $mark = $server->log_mark;
is alice($used, nc => 1), 401, 'count 1, used before the restart: refused';
like $server->log($mark), qr/AG00001: denied reason=digest_replay/,
    '... as a replay';
is alice($used, nc => 3), 401, 'count 3 too';
is alice(challenge()), 200, 'a nonce of the new generation works';

# A new size gives a new, empty table: a nonce in use before is answered
# stale=true once (the client retries without asking its user), and the
# counts it spent are not taken for new.
open my $conf, '>>', $server->conf or die "append: $!";
print $conf "AuthGateStateStore shm:48M\n";
close $conf;
my $kept = challenge();
is alice($kept, nc => 1), 200, 'a nonce used before the resize';
$mark = $server->log_mark;
($rc, $out) = $server->graceful;
is $rc, 0, 'apache2 -k graceful, with a new store size' or diag $out;
ok $server->wait_up, 'the new generation is up';
like $server->log($mark), qr/AG00403: state store: shared memory of 50331648 bytes, [^\n]*new/,
    'the state store is a new one of the new size';
$mark = $server->log_mark;
my $res = $ua->get($base, Authorization => scalar digest_auth(
    challenge => $kept, user => 'alice', password => 'wonderland',
    uri => '/index.html', nc => 1));
is $res->code, 401, 'a count spent before the resize: 401';
my @stale = grep { ($_->{stale} // '') eq 'true' } challenges($res);
ok @stale > 0, '... with stale=true: never accepted again, and the '
    . 'client is not asked for its password';
like $server->log($mark), qr/AG00001: denied reason=digest_stale/,
    '... logged as digest_stale';
is alice($stale[0] // {}), 200, 'the retry with the fresh nonce: 200';

my $status = $server->stop;
ok defined $status, 'the httpd stops';
is $status, 0, '... and exits with status 0 (no signal)';
unlike $server->log,
    qr/\[authgate:(error|crit)\]|Segmentation fault|exit signal/,
    'no error and no crash in its log';

done_testing;
