# What happens to a Digest nonce that the server's nonce-count table does
# not hold, seen from a client, on servers of the test's own (OwnServer):
#
#  - evicted: AuthGateStateStore shm:64K (the smallest size) holds a few
#    hundred nonces; once that many others have been used, the first one
#    is gone, and its next right response gets 401 with stale=true
#    (digest_stale), never a 200 and never a replay.  The same number of
#    nonces on a server of the default size evicts nothing, so the size
#    given is the size used.
#  - shared secret: servers with one AuthGateNonceSecret file accept each
#    other's nonces; a server with another secret refuses them as not its
#    own, without stale=true (a client would ask its user again).
#  - full stop and start: the table is new.  With a secret file, a nonce
#    from before is still the server's own and gets stale=true, so its
#    client carries on with the fresh nonce; with the random secret of the
#    default, it is a foreign nonce (401 without stale=true).
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use File::Temp qw(tempdir);
use LWP::UserAgent;
use DigestTest;
use OwnServer;

my $dir = tempdir(CLEANUP => 1);
chmod 0755, $dir;

# A secret file as an operator makes one: base64 text and a line end.
sub secret_file {
    my ($name, $text) = @_;
    my $path = "$dir/$name";
    open my $fh, '>', $path or die "$path: $!";
    print $fh "$text\n";
    close $fh;
    chmod 0600, $path;
    return $path;
}
my $secret = secret_file('nonce-1.key',
    'c2hhcmVkIGJ5IGV2ZXJ5IHNlcnZlciBiZWhpbmQgdGhlIGJhbGFuY2Vy');
my $other = secret_file('nonce-2.key',
    'YW5vdGhlciBzZWNyZXQsIGZvciBhbm90aGVyIHNldCBvZiBzZXJ2ZXJz');

sub server {
    my ($head) = @_;
    return OwnServer->new(body => ($head // '') . gate_location());
}

my %servers = (
    small   => server("AuthGateStateStore shm:64K\n"),
    default => server(),
    A       => server("AuthGateNonceSecret file:$secret\n"),
    B       => server("AuthGateNonceSecret file:$secret\n"),
    C       => server("AuthGateNonceSecret file:$other\n"),
);
$_->spawn for values %servers;
for my $name (sort keys %servers) {
    ok $servers{$name}->wait_up,
        "server $name (" . $servers{$name}->mpm . ') is up';
}
my ($small, $default, $A, $B, $C) = @servers{qw(small default A B C)};

my $ua = LWP::UserAgent->new(keep_alive => 4, timeout => 10);

# A request to SERVER's index.html, with an Authorization answering
# CHALLENGE (a hash of its parameters) when one is given.
sub get {
    my ($server, $c, %o) = @_;
    my @auth = $c ? (Authorization => scalar digest_auth(
        challenge => $c, user => 'alice', password => 'wonderland',
        uri => '/index.html', %o)) : ();
    return $ua->get($server->url('/index.html'), @auth);
}

# The SHA-256 challenge of a response.
sub sha256 {
    my ($res) = @_;
    my ($c) = grep { ($_->{algorithm} // '') eq 'SHA-256' } challenges($res);
    return $c;
}

sub challenge { return sha256(get($_[0])) }

# Whether RES has Digest challenges and all (or, with ALL false, none)
# of them say stale=true.
sub stale {
    my ($res, $all) = @_;
    my @c = challenges($res);
    my $n = grep { lc($_->{stale} // '') eq 'true' } @c;
    return @c && $n == ($all ? @c : 0);
}

# Uses COUNT fresh nonces of SERVER once each; how many were let in.
sub use_fresh {
    my ($server, $count) = @_;
    my $granted = 0;
    for (1 .. $count) {
        $granted++ if get($server, challenge($server))->code == 200;
    }
    return $granted;
}

# NONCE (a challenge of SERVER) that SERVER's table does not hold, with
# its next count: 401 with stale=true on every challenge, the count
# unknown, digest_stale logged, and the fresh nonce of that 401 let in.
# WHY says why the table does not hold it.
sub stale_then_fresh {
    my ($server, $nonce, $why) = @_;
    my $mark = $server->log_mark;
    my $res = get($server, $nonce, nc => 2);
    is $res->code, 401, "the nonce's next count: 401 ($why)";
    ok stale($res, 1), '... and every Digest challenge says stale=true';
    like $server->log($mark), qr/AG00414: nonce-count 00000002: unknown/,
        '... the count is unknown to the table';
    is_deeply [ $server->log($mark) =~ /AG00001: denied reason=(\w+)/g ],
        ['digest_stale'], '... logged as digest_stale';
    is get($server, sha256($res), nc => 1)->code, 200,
        '... and the client carries on with the fresh nonce of that 401';
}

# --- eviction -----------------------------------------------------------

my ($capacity) = $small->log =~
    /AG00403: state store: shared memory of 65536 bytes, (\d+) records/;
ok $capacity && $capacity < 1000, 'shm:64K holds a few hundred nonces'
    or diag $small->log;
$capacity //= 0;
my ($dcap) = $default->log =~
    /AG00403: state store: shared memory of 33554432 bytes, (\d+) records/;
ok $dcap && $dcap > 100 * $capacity, 'the default size holds far more';

my $n1 = challenge($small);
is get($small, $n1, nc => 1)->code, 200, 'shm:64K: nonce N1 used';
is use_fresh($small, $capacity), $capacity,
    "... then $capacity other nonces, each let in once";
stale_then_fresh($small, $n1, 'N1 was evicted');
my @full = $small->log =~ /(AG00419: .*)/g;
is scalar @full, 1, 'the operator is warned once that the store is full';
like $full[0] // '', qr/AG00419: the state store is full \($capacity records\): dropped to make room, 1 since the last such warning, 1 in all; .*AuthGateStateStore shm:SIZE/,
    '... at the first eviction, with its size and counts';

my $d1 = challenge($default);
is get($default, $d1, nc => 1)->code, 200, 'default size: nonce N1 used';
is use_fresh($default, $capacity), $capacity,
    "... then the same $capacity other nonces";
is get($default, $d1, nc => 2)->code, 200,
    'N1 with its next count: still let in (nothing evicted)';
unlike $default->log, qr/AG00419/, '... and no warning of a full store';

# --- servers sharing a secret -------------------------------------------

my ($mark, $res);

# Nonce-counts are per server: each server tracks them in its own shared
# memory, so a count used at A is not known to B (the README says to use
# sticky sessions where that matters).  What the secret shares is whose
# nonce it is.  B's table was made before A issued the nonce, so the
# nonce is new to B; one issued before B's start would be a nonce B could
# have lost, and get stale=true there once (as at A after its full stop
# and start below).
my $na = challenge($A);
is get($B, $na, nc => 1)->code, 200,
    'a nonce issued by A is let in at B (same secret file)';

$mark = $C->log_mark;
$res = get($C, $na, nc => 2);
is $res->code, 401, "A's nonce at C (another secret): 401";
ok stale($res, 0), '... without stale=true';
like $C->log($mark), qr/AG00416: Digest response with another opaque/,
    '... the opaque (echoed from A) is not this server\'s';
is_deeply [ $C->log($mark) =~ /AG00001: denied reason=(\w+)/g ],
    ['digest_bad_response'], '... logged as digest_bad_response';
$mark = $C->log_mark;
$res = get($C, $na, nc => 3, opaque => undef);
is $res->code, 401, '... and without the opaque: 401';
ok stale($res, 0), '... without stale=true';
like $C->log($mark),
    qr/AG00416: Digest response with a nonce not made here/,
    '... the nonce is not this server\'s';

# --- a full stop and start ----------------------------------------------

my $old = challenge($A);
is get($A, $old, nc => 1)->code, 200, 'A: a nonce used before a full stop';
is $A->stop, 0, 'A stops (status 0)';
ok $A->start, 'A starts again';
stale_then_fresh($A, $old, 'the same secret, a new table');

is $default->stop, 0, 'the default server stops (status 0)';
ok $default->start, '... and starts again';
$mark = $default->log_mark;
$res = get($default, $d1, nc => 3);
is $res->code, 401,
    'its nonce from before (random secret), next count: 401';
ok stale($res, 0), '... without stale=true: a new secret, a foreign nonce';
like $default->log($mark), qr/AG00416: Digest response with another opaque/,
    '... the opaque is not this server\'s any more';
is get($default, sha256($res), nc => 1)->code, 200,
    '... and the fresh nonce of that 401 is let in';

for my $name (sort keys %servers) {
    my $s = $servers{$name};
    is $s->stop, 0, "server $name stops (status 0)";
    unlike $s->log,
        qr/\[authgate:(error|crit)\]|Segmentation fault|exit signal/,
        "... no error and no crash in its log";
}

done_testing;
