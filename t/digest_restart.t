# A graceful restart keeps issued nonces valid and their used counts used:
# the nonce secret, the shared memory and its mutex are kept by the parent
# across generations.  The test starts an httpd of its own (OwnServer, so
# that the suite's server, whose log other tests read, is not restarted),
# with the suite's MPM, and restarts it with `apache2 -k graceful`.  The
# server runs in the foreground, as a child of this test, so that its exit
# status is seen: httpd must exit cleanly after a restart, not crash on
# the way out in a cleanup of an unloaded module.
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

my $status = $server->stop;
ok defined $status, 'the httpd stops';
is $status, 0, '... and exits with status 0 (no signal)';
unlike $server->log,
    qr/\[authgate:(error|crit)\]|Segmentation fault|exit signal/,
    'no error and no crash in its log';

done_testing;
