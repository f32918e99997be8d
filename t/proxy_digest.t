# Digest behind a forward proxy: Proxy-Authorization, 407 with the
# challenges in Proxy-Authenticate, the uri parameter in absolute form
# (the proxy's request-target), Proxy-Authentication-Info on success, and
# a replayed count refused as at an origin.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use LWP::UserAgent ();
use AuthGateTest qw(client_run server_port vhost_port);
use DigestTest;

my $proxy = 'http://127.0.0.1:' . server_port() . '/';
my $url = 'http://127.0.0.1:' . vhost_port('proxy_origin') . '/proxied/index.html';
my $ua = LWP::UserAgent->new(timeout => 20);
$ua->proxy(http => $proxy);

my $mark = log_mark();
my $res = $ua->get($url);
is $res->code, 407, 'through the proxy without credentials: 407';
my @c = challenges($res, 'Proxy-Authenticate');
is join(' ', map { $_->{algorithm} } @c), 'SHA-256 MD5',
    'the Digest challenges are in Proxy-Authenticate, SHA-256 first';
is scalar(() = $res->header('WWW-Authenticate')), 0, 'none in WWW-Authenticate';
is_deeply [ denials($mark) ], ['no_credentials'], 'reason no_credentials';

my ($c) = grep { $_->{algorithm} eq 'SHA-256' } @c;
my ($v, $resp, $cnonce, $ha1) =
    digest_auth(challenge => $c, user => 'alice', password => 'wonderland',
                uri => $url);
$res = $ua->get($url, 'Proxy-Authorization' => $v);
is $res->code, 200, 'a right response for the absolute uri: let through';
like $res->content, qr/proxied ok/, '... and the origin answered';
my $rspauth = H('SHA-256', join ':', $ha1, $c->{nonce}, '00000001', $cnonce,
                'auth', H('SHA-256', ":$url"));
is $res->header('Proxy-Authentication-Info'),
    qq{rspauth="$rspauth", cnonce="$cnonce", nc=00000001, qop=auth},
    'Proxy-Authentication-Info with the right rspauth';
is $res->header('Authentication-Info'), undef, 'no Authentication-Info';

$mark = log_mark();
$res = $ua->get($url, 'Proxy-Authorization' => $v);
is $res->code, 407, 'the same count again: 407';
is_deeply [ denials($mark) ], ['digest_replay'], 'reason digest_replay';

$mark = log_mark();
$res = $ua->get($url, 'Proxy-Authorization' =>
    scalar digest_auth(challenge => $c, user => 'alice', password => 'wrong',
                       uri => $url, nc => 2));
is $res->code, 407, 'a wrong password: 407';
is scalar(challenges($res, 'Proxy-Authenticate')), 2, '... with fresh challenges';
is_deeply [ denials($mark) ], ['digest_bad_response'], 'reason digest_bad_response';

# curl as a real proxy client
my ($out, $rc) = client_run('curl', '-s', '-x', $proxy, '--proxy-digest',
                            '--proxy-user', 'alice:wonderland', $url);
is $rc, 0, 'curl --proxy-digest runs';
like $out, qr/proxied ok/, 'curl --proxy-digest --proxy-user alice:... is let through';

done_testing;
