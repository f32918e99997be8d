# Nonce-counts are shared by every process and thread of the server: a
# count used on one connection is refused on another, served by another
# process (prefork) or thread (event, worker).  Two servers with
# KeepAlive Off, so that every request is a connection of its own: the
# suite's digest_nka (the suite's MPM), and a second server instance of
# the test's own that always runs prefork, so that replays across
# processes are checked in every pass of the suite.
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
use OwnServer;

# A server under test: its port, MPM, the path of a Digest page, and its
# error log since a mark.
my @servers;
{
    (my $hp = url('/', 'digest_nka')) =~ s{^http://([^/]+)/$}{$1};
    my ($port) = $hp =~ /:(\d+)$/;
    push @servers, { name => 'digest_nka', port => $port,
                     mpm => $ENV{AUTHGATE_MPM} // '',
                     path => '/digest/index.html',
                     mark => \&log_mark, since => \&log_since };
}
my $own = OwnServer->new(mpm => 'prefork',
                         body => "KeepAlive Off\n" . gate_location());
ok $own->start, 'a second server instance, prefork, KeepAlive Off, is up';
push @servers, { name => 'own prefork', port => $own->port, mpm => 'prefork',
                 path => '/index.html',
                 mark => sub { $own->log_mark },
                 since => sub { $own->log($_[0]) } };

sub connect_to {
    my $port = shift;
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

# Who logged the line of the log text LOG matching RE: "pid:tid".
sub logged_by {
    my ($log, $re) = @_;
    my ($line) = grep { /$re/ } split /\n/, $log;
    return $line && $line =~ /\[pid (\d+):tid (\d+)\]/ ? "$1:$2" : '';
}

my $ua = LWP::UserAgent->new(keep_alive => 0);

for my $sv (@servers) {
    my ($name, $port, $path) = @$sv{qw(name port path)};
    my $hp = "127.0.0.1:$port";
    my $sha256 = sub {
        my ($c) = grep { $_->{algorithm} eq 'SHA-256' }
            challenges($ua->get("http://$hp$path"));
        return $c;
    };
    my $res = $ua->get("http://$hp$path");
    is $res->code, 401, "$name: the keep-alive-less server challenges";
    is $res->header('Connection'), 'close', '... and closes the connection';

    for my $round (1 .. 3) {
        my $auth = digest_auth(challenge => $sha256->(), user => 'alice',
                               password => 'wonderland', uri => $path,
                               nc => 1);
        my $mark = $sv->{mark}->();

        my $slow = connect_to($port);
        print $slow "GET $path HTTP/1.1\r\nHost: $hp\r\n";
        $slow->flush;
        select undef, undef, undef, 0.2;

        my $fast = connect_to($port);
        print $fast "GET $path HTTP/1.1\r\nHost: $hp\r\n",
            "Authorization: $auth\r\n\r\n";
        my $r1 = read_response($fast);

        print $slow "Authorization: $auth\r\n\r\n";
        my $r2 = read_response($slow);

        is status_of($r1), 200,
            "$name, round $round: count 1 on one connection: 200";
        is status_of($r2), 401,
            "$name, round $round: count 1 again on another, open before it: 401";
        my $log = $sv->{since}->($mark);
        my $granted = logged_by($log, qr/AG00002: granted scheme=digest/);
        my $refused = logged_by($log, qr/AG00001: denied reason=digest_replay/);
        ok $granted && $refused && $granted ne $refused,
            "$name, round $round: granted by $granted, refused as a replay by $refused";
        if ($sv->{mpm} eq 'prefork') {
            my ($gp) = split /:/, $granted;
            my ($rp) = split /:/, $refused;
            isnt $gp, $rp, "$name, round $round: prefork: two processes";
        }
    }

    # Many connections, one nonce: each count once, whichever process
    # serves it.
    my $c = $sha256->();
    my $mark = $sv->{mark}->();
    my (@first, @again);
    for my $pass (\@first, \@again) {
        for my $nc (1 .. 24) {
            my $s = connect_to($port);
            print $s "GET $path HTTP/1.1\r\nHost: $hp\r\n",
                'Authorization: ', scalar digest_auth(challenge => $c,
                    user => 'alice', password => 'wonderland', uri => $path,
                    nc => $nc), "\r\n\r\n";
            push @$pass, status_of(read_response($s));
        }
    }
    is join(',', @first), join(',', (200) x 24),
        "$name: 24 connections, counts 1..24 of one nonce: all 200";
    is join(',', @again), join(',', (401) x 24),
        "$name: 24 more, the same counts: all refused";
    my %pids = map { $_ => 1 }
        $sv->{since}->($mark) =~ /\[pid (\d+):tid \d+\][^\n]*AG0000[12]/g;
    diag "$name: " . scalar(keys %pids) . " processes served them ($sv->{mpm})";
}

is $own->stop, 0, 'the second server stops (status 0)';

done_testing;
