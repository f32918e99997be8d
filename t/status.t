# The authgate-status handler: Prometheus text whose counters follow what
# the gate decides, summed over the server's processes.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use Apache::TestRequest qw(GET HEAD POST);
use AuthGate::Bearer;
use AuthGateTest qw(basic);
use Time::HiRes qw(sleep);

plan tests => 24;

my $rsa = 'keys/rsa.key';
my $good = basic(alice => $AuthGateTest::PASSWORD{alice});
my $bad = basic(alice => 'not her password');

# The samples of one scrape: "name{labels}" => value.
sub scrape {
    my $res = GET '/authgate-status';
    die 'authgate-status: ' . $res->code . "\n" unless $res->code == 200;
    my %m;
    for (split /\n/, $res->content) {
        next if /^#/;
        $m{$1} = $2 if /^(\S+) (\d+)$/;
    }
    return \%m;
}

# How much each of NAMES grew while CODE ran.
sub delta {
    my ($code, @names) = @_;
    my $before = scrape();
    $code->();
    my $after = scrape();
    return { map { $_ => ($after->{$_} // -1) - ($before->{$_} // 0) }
             @names };
}

my $granted = 'authgate_requests_total{scheme="basic",outcome="granted"}';
my $denied = 'authgate_requests_total{scheme="basic",outcome="denied"}';
my $none = 'authgate_requests_total{scheme="none",outcome="denied"}';
my $bad_pw = 'authgate_denials_total{reason="basic_bad_password"}';
my $no_cred = 'authgate_denials_total{reason="no_credentials"}';
my $scope = 'authgate_denials_total{reason="insufficient_scope"}';
my $revoked = 'authgate_denials_total{reason="revoked"}';
my $hits = 'authgate_token_cache_hits_total';
my $misses = 'authgate_token_cache_misses_total';
my $reloads = 'authgate_key_reloads_total';

# --- the text -----------------------------------------------------------------
my $res = GET '/authgate-status';
ok t_cmp($res->code, 200, 'GET: 200');
ok t_cmp($res->header('Content-Type'), qr{^text/plain; version=0\.0\.4},
         'Prometheus text, version 0.0.4');
ok t_cmp($res->header('Cache-Control'), 'no-store', 'not to be cached');
my $m = scrape();
ok t_cmp(scalar(grep { /^authgate_requests_total\{/ } keys %$m), 10,
         'requests by scheme (four and none) and outcome');
ok defined $m->{'authgate_store_entries'} &&
   defined $m->{'authgate_store_evictions_total'} &&
   defined $m->{'authgate_store_errors_total'};   # the state store's
ok t_cmp(HEAD('/authgate-status')->code, 200, 'HEAD: 200');
ok t_cmp(POST('/authgate-status', content => 'x')->code, 405,
         'POST: 405');

# --- authentication -------------------------------------------------------------
my $d = delta(sub { GET '/basic/index.html', Authorization => $good },
              $granted, $denied);
ok t_cmp($d->{$granted}, 1, 'a Basic user let in: granted +1');
ok t_cmp($d->{$denied}, 0, 'and denied unchanged');

$d = delta(sub { GET '/basic/index.html', Authorization => $bad },
           $granted, $denied, $bad_pw);
ok t_cmp($d->{$denied}, 1, 'a wrong password: denied +1');
ok t_cmp($d->{$bad_pw}, 1, 'and basic_bad_password +1');
ok t_cmp($d->{$granted}, 0, 'and granted unchanged');

$d = delta(sub { GET '/basic/index.html' }, $none, $no_cred, $denied);
ok t_cmp($d->{$none}, 1, 'no credentials: scheme none, denied +1');
ok t_cmp($d->{$no_cred}, 1, 'and no_credentials +1');
ok t_cmp($d->{$denied}, 0, 'and the Basic count unchanged');

my $n = 5;
$d = delta(sub { GET '/basic/index.html', Authorization => $bad for 1 .. $n },
           $bad_pw);
ok t_cmp($d->{$bad_pw}, $n,
         "$n denials, whichever processes served them: +$n");

# --- authorization --------------------------------------------------------------
$d = delta(sub {
    GET '/bearer/scope/', Authorization => 'Bearer '
        . sign(key => $rsa, claims => claims(scope => 'openid')) }, $scope);
ok t_cmp($d->{$scope}, 1, 'a final Require scope refusal: +1');
$d = delta(sub {
    GET '/bearer/any/', Authorization => 'Bearer '
        . sign(key => $rsa, claims => claims(tier => 'gold')) }, $scope,
    'authgate_denials_total{reason="claim_mismatch"}');
ok t_cmp($d->{$scope} + $d->{'authgate_denials_total{reason="claim_mismatch"}'},
         0, 'a line that another line overruled is no denial');

# --- the token cache --------------------------------------------------------------
# Two requests on one connection: one process serves both.
my $token = sign(key => $rsa, claims => claims(jti => 'status-1'));
Apache::TestRequest::user_agent(reset => 1, keep_alive => 1);
$d = delta(sub {
    GET '/status-bearer/', Authorization => "Bearer $token" for 1 .. 2 },
    $hits, $misses);
ok t_cmp($d->{$misses}, 1, 'a token seen first: a miss');
ok t_cmp($d->{$hits}, 1, 'the same token again: a hit');
Apache::TestRequest::user_agent(reset => 1, keep_alive => 0);

# --- reloads ---------------------------------------------------------------------
my $file = 'keys/status-revoked.txt';
open my $fh, '>>', $file or die "$file: $!";
print $fh "status-2\n";
close $fh;
sleep 1.2;    # the reloader looks at the file at most once a second
my $revoked_token = sign(key => $rsa, claims => claims(jti => 'status-2'));
$d = delta(sub {
    $res = GET '/status-bearer/', Authorization => "Bearer $revoked_token" },
    $reloads, $revoked);
ok t_cmp($res->code, 401, 'a token revoked since the start: 401');
ok t_cmp($d->{$reloads}, 1, 'the revocation file re-read: +1');
ok t_cmp($d->{$revoked}, 1, 'revoked +1');

ok !token_in_logs();
