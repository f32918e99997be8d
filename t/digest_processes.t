# Nonce-counts are shared by every process and thread of the server: a
# count used on one connection is refused on another, served by another
# process (prefork) or thread (event).  The digest_nka server has
# KeepAlive Off, so every request is a connection of its own.
#
# To be sure that two requests are served by different processes, the
# first connection sends only part of its request: under prefork its
# process then waits for the rest, so the second connection, sent whole
# meanwhile, must be served by another process.  Then the first
# connection sends the rest, with the same nonce-count.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use IO::Socket::INET;
use LWP::UserAgent;
use DigestTest;

my $mpm = $ENV{AUTHGATE_MPM} // '';
(my $hp = url('/', 'digest_nka')) =~ s{^http://([^/]+)/$}{$1};
my ($port) = $hp =~ /:(\d+)$/;

sub connect_nka {
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                  Timeout => 30);
    die "connect: $!" unless $s;
    return $s;
}

sub read_response {
    my $s = shift;
    local $/;
    my $r = <$s>;
    return $r // '';
}

sub status_of { return (shift =~ m{^HTTP/1\.1 (\d+)}) ? $1 : 0 }

# Who logged the line of MARK's log matching RE: "pid:tid".
sub logged_by {
    my ($mark, $re) = @_;
    my ($line) = grep { /$re/ } split /\n/, log_since($mark);
    return $line && $line =~ /\[pid (\d+):tid (\d+)\]/ ? "$1:$2" : '';
}

my $ua = LWP::UserAgent->new(keep_alive => 0);
my $res = $ua->get("http://127.0.0.1:$port/digest/index.html");
is $res->code, 401, 'the keep-alive-less server challenges';
is $res->header('Connection'), 'close', '... and closes the connection';

for my $round (1 .. 3) {
    my ($c) = grep { $_->{algorithm} eq 'SHA-256' } challenges(
        $ua->get("http://127.0.0.1:$port/digest/index.html"));
    my $auth = digest_auth(challenge => $c, user => 'alice',
                           password => 'wonderland', uri => '/digest/index.html',
                           nc => 1);
    my $mark = log_mark();

    my $slow = connect_nka();
    print $slow "GET /digest/index.html HTTP/1.1\r\nHost: $hp\r\n";
    $slow->flush;
    select undef, undef, undef, 0.2;

    my $fast = connect_nka();
    print $fast "GET /digest/index.html HTTP/1.1\r\nHost: $hp\r\n",
        "Authorization: $auth\r\n\r\n";
    my $r1 = read_response($fast);

    print $slow "Authorization: $auth\r\n\r\n";
    my $r2 = read_response($slow);

    is status_of($r1), 200, "round $round: count 1 on one connection: 200";
    is status_of($r2), 401,
        "round $round: count 1 again on another, open before it: 401";
    my $granted = logged_by($mark, qr/AG00002: granted scheme=digest/);
    my $refused = logged_by($mark, qr/AG00001: denied reason=digest_replay/);
    ok $granted && $refused && $granted ne $refused,
        "round $round: granted by $granted, refused as a replay by $refused";
    if ($mpm eq 'prefork') {
        my ($gp) = split /:/, $granted;
        my ($rp) = split /:/, $refused;
        isnt $gp, $rp, "round $round: prefork: two processes";
    }
}

# Many connections, one nonce: each count once, whichever process serves it.
{
    my ($c) = grep { $_->{algorithm} eq 'SHA-256' } challenges(
        $ua->get("http://127.0.0.1:$port/digest/index.html"));
    my $mark = log_mark();
    my (@first, @again);
    for my $pass (\@first, \@again) {
        for my $nc (1 .. 24) {
            my $s = connect_nka();
            print $s "GET /digest/index.html HTTP/1.1\r\nHost: $hp\r\n",
                'Authorization: ', scalar digest_auth(challenge => $c, user => 'alice',
                    password => 'wonderland', uri => '/digest/index.html',
                    nc => $nc), "\r\n\r\n";
            push @$pass, status_of(read_response($s));
        }
    }
    is join(',', @first), join(',', (200) x 24),
        '24 connections, counts 1..24 of one nonce: all 200';
    is join(',', @again), join(',', (401) x 24),
        '24 more, the same counts: all refused';
    my %pids = map { $_ => 1 } log_since($mark) =~ /\[pid (\d+):tid \d+\][^\n]*AG0000[12]/g;
    diag scalar(keys %pids) . " processes served them ($mpm)";
}

done_testing;
