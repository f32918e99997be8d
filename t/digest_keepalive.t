# Digest requests one after the other on one keep-alive connection, as
# browsers and devices send them.  The connection remembers its last good
# nonce (to skip the nonce's HMAC), and that memory must never let in what
# a fresh connection would refuse: a nonce one character off, the
# remembered nonce in another realm, a replayed count.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use IO::Socket::INET;
use AuthGateTest qw(server_port);
use DigestTest;

plan tests => 14;

my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                 PeerPort => server_port(),
                                 Proto => 'tcp', Timeout => 10)
    or die "connect: $!";

# Sends GET PATH with AUTHORIZATION on the one connection; returns the
# status, the response head and whether the server keeps the connection.
sub on_connection {
    my ($path, $authorization) = @_;
    print $sock "GET $path HTTP/1.1\r\nHost: localhost\r\n",
        "Authorization: $authorization\r\n\r\n";
    local $/ = "\r\n\r\n";
    my $head = <$sock> // '';
    my ($status) = $head =~ m{^HTTP/1\.1 (\d{3})};
    my ($len) = $head =~ /^Content-Length: (\d+)/mi;
    my $body = '';
    read($sock, $body, $len) if $len;
    return ($status // 0, $head, $head !~ /^Connection: close/mi);
}

sub alice {
    my ($path, $c, %o) = @_;
    return digest_auth(challenge => $c, user => 'alice',
                       password => 'wonderland', uri => $path, %o);
}

my $path = '/digest/index.html';
my $c = fresh_challenge($path, 'SHA-256');

my ($status, $head, $open) = on_connection($path, alice($path, $c, nc => 1));
is $status, 200, 'a good response: 200';
ok $open, '... and the connection stays open';
($status) = on_connection($path, alice($path, $c, nc => 2));
is $status, 200, 'the same nonce, the next count, on the same connection: 200';

(my $forged = $c->{nonce}) =~ s/^(.{40})(.)/$1 . ($2 eq 'A' ? 'B' : 'A')/e;
my $mark = log_mark();
($status, $head) = on_connection($path, alice($path, $c, nonce => $forged,
                                              nc => 3));
is $status, 401, 'the nonce one character off: 401';
unlike $head, qr/stale=true/, '... without stale=true';
like log_since($mark), qr/AG00416: Digest response with a nonce not made here/,
    '... refused as a nonce not made here';

$mark = log_mark();
my $other = '/digest-other/index.html';
my $oc = fresh_challenge($other);
($status, $head) = on_connection($other,
    alice($other, $c, realm => 'other', opaque => $oc->{opaque}, nc => 4));
is $status, 401, 'the remembered nonce in realm "other": 401';
like log_since($mark), qr/AG00416: Digest response with a nonce not made here/,
    '... a foreign nonce';

$mark = log_mark();
($status) = on_connection($path, alice($path, $c, nc => 2));
is $status, 401, 'count 2 again on the same connection: 401';
is_deeply [denials($mark)], ['digest_replay'], '... digest_replay';

($status, $head) = on_connection($path, alice($path, $c, nc => 5));
is $status, 200, 'the remembered nonce, a new count: 200';
like $head, qr/^Authentication-Info: rspauth="[0-9a-f]{64}", .*nc=00000005/mi,
    '... with its Authentication-Info';

my $c2 = fresh_challenge($path, 'SHA-256');
($status) = on_connection($path, alice($path, $c2, nc => 1));
is $status, 200, 'a new nonce on the same connection: 200';
($status) = on_connection($path, alice($path, $c, nc => 6));
is $status, 200, 'and the first nonce again: 200';
close $sock;
