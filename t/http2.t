# The gate over HTTP/2 (h2c, prior knowledge), on a server of the test's
# own with mod_http2: Digest, ApiKey and Bearer requests sent as streams of one
# connection, all in flight at once (t/lib/h2_streams.py).  A keep-alive
# connection's memo (the last nonce or token that checked good) is not
# kept for HTTP/2 streams, which may run at the same time: each stream is
# judged on its own, and the nonce-counts of streams running side by side
# are each accepted once.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use AuthGateTest qw(module_dir);
use AuthGateTestKeys qw(%KEY key_secret);
use AuthGate::Bearer qw(sign claims);
use DigestTest;
use OwnServer;
use File::Temp ();
use JSON::PP ();

my $moddir = module_dir();
plan skip_all => 'mod_http2 is not installed'
    unless -f "$moddir/mod_http2.so";
plan skip_all => 'curl speaks no HTTP/2' unless `curl --version` =~ /\bHTTP2\b/;
plan skip_all => "Debian's python3-h2 is not installed"
    unless system('/usr/bin/python3', '-c', 'import h2') == 0;

my $root = Apache::Test::vars('serverroot');
# (<Location "/keys/"> after <Location "/">, so that it takes precedence)
my $server = OwnServer->new(body => <<"EOF" . gate_location() . <<"EOF");
LoadModule http2_module "$moddir/mod_http2.so"
Protocols h2c http/1.1
H2MaxSessionStreams 32
EOF
<Location "/keys/">
    AuthType AuthGate
    AuthName "keys"
    AuthGateSchemes ApiKey
    AuthGateApiKeyFile "$root/conf/apikeys.txt"
    Require valid-user
    AuthzSendForbiddenOnFailure On
</Location>
<Location "/bearer/">
    AuthType AuthGate
    AuthName "api"
    AuthGateSchemes Bearer
    AuthGateJWTKeyFile "$root/keys/rsa.pub"
    Require valid-user
    AuthzSendForbiddenOnFailure On
</Location>
EOF
for my $d (qw(keys bearer)) {
    mkdir $server->dir . "/htdocs/$d" or die $!;
    open my $fh, '>', $server->dir . "/htdocs/$d/index.html" or die $!;
    print $fh "ok\n";
    close $fh;
}
ok $server->start, 'a server with mod_http2 (' . $server->mpm . ') is up';

# The statuses of REQUESTS ([PATH, {HEADER => VALUE}] each), sent as
# streams of one HTTP/2 connection, all in flight at once
# (t/lib/h2_streams.py, Debian's python3-h2).
sub h2 {
    my @requests = @_;
    my $in = File::Temp->new;
    print $in JSON::PP->new->encode(\@requests);
    close $in;
    my @out = `/usr/bin/python3 $FindBin::Bin/lib/h2_streams.py @{[ $server->port ]} < $in`;
    chomp @out;
    return @out;
}

my $url = $server->url('/index.html');

# --- Digest --------------------------------------------------------------

# (curl sends one request per h2c connection here: it does not reuse a
# connection of prior knowledge, so its --digest retry never goes out.)
my $out = `curl -sS --http2-prior-knowledge -o /dev/null -w '%{http_version} %{http_code}' '$url'`;
is $out, '2 401', 'no credentials over HTTP/2 (curl): 401';

# a nonce of the server, and 16 counts of it sent as streams side by side
my $c = do {
    my @c = map { DigestTest::parse_challenge($_) }
        `curl -sS --http2-prior-knowledge -o /dev/null -D - '$url'` =~
        /^www-authenticate: (Digest .*?)\r?$/mgi;
    my ($sha) = grep { ($_->{algorithm} // '') eq 'SHA-256' } @c;
    $sha;
};
ok $c && $c->{nonce}, 'a Digest SHA-256 challenge over HTTP/2';
$c //= {};
my @auth = map {
    [ '/index.html', { Authorization => scalar digest_auth(
        challenge => $c, user => 'alice', password => 'wonderland',
        uri => '/index.html', nc => $_) } ]
} 1 .. 16;
my $mark = $server->log_mark;
my @got = h2(@auth);
is join(',', @got), join(',', (200) x 16),
    '16 counts of one nonce on 16 streams side by side: all 200';
@got = h2(@auth);
is join(',', @got), join(',', (401) x 16),
    'the same 16 again: all 401 (replays)';
my @reasons = $server->log($mark) =~ /AG00001: denied reason=(\w+)/g;
is join(',', @reasons), join(',', ('digest_replay') x 16),
    '... each logged as digest_replay';

# a right response and a wrong one on two streams at once: each judged
# on its own
@got = h2([ '/index.html', { Authorization => scalar digest_auth(
                challenge => $c, user => 'alice', password => 'wonderland',
                uri => '/index.html', nc => 17) } ],
          [ '/index.html', { Authorization => scalar digest_auth(
                challenge => $c, user => 'alice', password => 'wrong',
                uri => '/index.html', nc => 18) } ]);
is join(',', @got), '200,401',
    'a right and a wrong response on two streams: 200 and 401';

# --- ApiKey --------------------------------------------------------------

my $bad = $KEY{alice};
substr($bad, -1, 1) = substr($bad, -1) eq 'A' ? 'B' : 'A';
@got = h2(map { [ '/keys/index.html', { 'X-API-Key' => $KEY{alice} } ],
                [ '/keys/index.html', { 'X-API-Key' => $bad } ] } 1 .. 4);
is join(',', @got), join(',', (200, 401) x 4),
    'a good and an unknown key, alternating on 8 streams: 200, 401, ...';

# --- Bearer --------------------------------------------------------------

my $good = sign(key => 'keys/rsa.key', claims => claims());
my $expired = sign(key => 'keys/rsa.key', claims => claims(exp => time - 600));
$mark = $server->log_mark;
@got = h2(map { [ '/bearer/index.html', { Authorization => "Bearer $good" } ],
                [ '/bearer/index.html', { Authorization => "Bearer $expired" } ] }
          1 .. 4);
is join(',', @got), join(',', (200, 401) x 4),
    'a good and an expired token, alternating on 8 streams: 200, 401, ...';
@reasons = $server->log($mark) =~ /AG00001: denied reason=(\w+)/g;
is join(',', @reasons), join(',', ('token_expired') x 4),
    '... each expired one logged as token_expired';

is $server->stop, 0, 'the server stops (status 0)';
unlike $server->log, qr/\[authgate:(error|crit)\]|Segmentation fault|exit signal/,
    '... no error and no crash in its log';
my $log = $server->log;
my @secrets = ($good, $expired, key_secret($KEY{alice}), key_secret($bad),
               sent_responses());
ok $log =~ /AG00001: denied reason=token_expired/
    && !grep({ index($log, $_) >= 0 } @secrets),
    '... and its log, which holds the denials, none of the tokens, keys or '
    . 'Digest responses sent';

done_testing;
