# Behind a forward proxy (ProxyRequests On, a <Proxy> section with the
# gate) the exchange uses Proxy-Authorization, 407 and Proxy-Authenticate.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use HTTP::Request ();
use LWP::UserAgent ();
use AuthGateTest qw(basic challenges watch_log denials client_run
                    server_port vhost_port);

plan tests => 17;

my %pw = %AuthGateTest::PASSWORD;
my $proxy = 'http://127.0.0.1:' . server_port() . '/';
my $origin = 'http://127.0.0.1:' . vhost_port('proxy_origin');
my $ua = LWP::UserAgent->new(timeout => 20);
$ua->proxy(http => $proxy);
my $get = sub { my ($url, @h) = @_; $ua->get($url, @h) };

my ($res, $log) = watch_log(sub { $get->("$origin/index.html") });
ok t_cmp($res->code, 407, 'through the proxy without credentials: 407');
ok t_cmp(challenges($res, 'Proxy-Authenticate'), ['Basic realm="proxy"'],
         'the challenge is in Proxy-Authenticate');
ok t_cmp(challenges($res), [], 'and not in WWW-Authenticate');
ok t_cmp(denials($log), ['no_credentials'], 'reason no_credentials');

$res = $get->("$origin/index.html",
              Authorization => basic(alice => $pw{alice}));
ok t_cmp($res->code, 407,
         'Authorization is for the origin, not the proxy: still 407');

($res, $log) = watch_log(sub { $get->("$origin/index.html",
    'Proxy-Authorization' => basic(alice => 'wrong')) });
ok t_cmp($res->code, 407, 'a wrong password: 407');
ok t_cmp(challenges($res, 'Proxy-Authenticate'), ['Basic realm="proxy"'],
         'a wrong password: the challenge again');
ok t_cmp(denials($log), ['basic_bad_password'], 'reason basic_bad_password');

$res = $get->("$origin/index.html",
              'Proxy-Authorization' => 'Basic ???');
ok t_cmp($res->code, 400, 'malformed Proxy-Authorization: 400');

$res = $get->("$origin/index.html",
              'Proxy-Authorization' => basic(alice => $pw{alice}));
ok t_cmp($res->code, 200, 'good Proxy-Authorization: let through');
ok t_cmp($res->content, qr/hello from the gate/,
         'and the origin answered');

$res = $get->("$origin/index.html",
              'Proxy-Authorization' => basic(bob => $pw{bob}));
ok t_cmp($res->code, 200, 'bob (a colon in the password) too');

# A CORS preflight is no reason to let a forward proxy's client through.
$res = $ua->request(HTTP::Request->new(OPTIONS => "$origin/index.html",
    [ Origin => 'https://app.example',
      'Access-Control-Request-Method' => 'POST' ]));
ok t_cmp($res->code, 407, 'a preflight through the proxy without credentials: 407');

$res = $get->('http://127.0.0.1:1/',
              'Proxy-Authorization' => basic(alice => $pw{alice}));
ok t_cmp($res->code, 403, 'other targets are refused by <Proxy *>');

# curl as a real proxy client
my ($out, $rc) = client_run('curl', '-s', '-x', $proxy,
                            '--proxy-user', "alice:$pw{alice}",
                            "$origin/index.html");
ok t_cmp($rc, 0, 'curl through the proxy runs');
ok t_cmp($out, qr/hello from the gate/,
         'curl --proxy-user alice:... is let through');
($out) = client_run('curl', '-s', '-o', '/dev/null', '-w', '%{http_code}',
                    '-x', $proxy, "$origin/index.html");
ok t_cmp($out, '407', 'curl through the proxy without credentials: 407');
