# Malformed credentials: 400, never a 5xx, reason `malformed` logged once,
# and the server stays up.  Some are refused by httpd itself before the
# gate sees them (a field over LimitRequestFieldSize, control octets);
# those must be 400 too.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use Apache::TestRequest qw(GET);
use MIME::Base64 qw(encode_base64);
use AuthGateTest qw(basic challenges watch_log denials raw_request
                    vhost_port);

# [Authorization value, what it is]: each reaches the gate, which must
# answer 400 and log reason=malformed.
my @gate = (
    [ 'Digest a="x',                 'an unterminated quoted-string' ],
    [ 'Digest a="x\\',               'a quoted-string ending in a backslash' ],
    [ 'Digest a=1, a=2',             'a parameter given twice' ],
    [ 'Digest a=1 b=2',              'parameters without a comma' ],
    [ 'Basic dXNlcjpwYXNz!!!',       'base64 followed by junk' ],
    [ 'Basic ???',                   'not base64 at all' ],
    [ 'Basic YQ=',                   'base64 with wrong padding' ],
    [ 'Basic Y',                     'base64 of an impossible length' ],
    [ 'Basic YR==',                  'base64 with non-zero unused bits' ],
    [ 'Basic ' . encode_base64('alice', ''),   'no colon after the user' ],
    [ 'Basic ' . encode_base64(':pw', ''),     'an empty user name' ],
    [ 'Basic ' . encode_base64("al\0ice:x", ''), 'a NUL in the credentials' ],
    [ 'Basic',                       'the scheme without credentials' ],
    [ basic(alice => 'x') . ' extra', 'two words after the scheme' ],
    [ 'Basic YWxpY2U6eA==, Basic Ym9iOng=', 'two credentials in one value' ],
    [ '"Basic" YWxpY2U6eA==',        'a scheme that is not a token' ],
    [ 'Basic' . "\t" . 'YWxpY2U6eA==', 'HTAB instead of SP after the scheme' ],
);

plan tests => 3 * @gate + 16;

for my $case (@gate) {
    my ($value, $what) = @$case;
    my ($res, $log) = watch_log(sub {
        GET '/basic/index.html', Authorization => $value });
    ok t_cmp($res->code, 400, "$what: 400");
    ok t_cmp(denials($log), ['malformed'], "$what: reason malformed, once");
    ok t_cmp(challenges($res), [],
             "$what: a Basic 400 carries no challenge");
}

# Two Authorization header lines: httpd merges them into one value with
# ", ", which is not one set of credentials.
my $alice = basic(alice => $AuthGateTest::PASSWORD{alice});
my ($got, $log) = watch_log(sub { [ raw_request(
    "GET /basic/index.html HTTP/1.1\r\nHost: localhost\r\n" .
    "Authorization: $alice\r\nAuthorization: $alice\r\n" .
    "Connection: close\r\n\r\n") ] });
ok t_cmp($got->[0], 400, 'two Authorization headers, both good: 400');
ok t_cmp(denials($log), ['malformed'],
         'two Authorization headers: reason malformed');
($got) = watch_log(sub { [ raw_request(
    "GET /basic/index.html HTTP/1.1\r\nHost: localhost\r\n" .
    "Authorization: $alice\r\nAuthorization: Bearer abc\r\n" .
    "Connection: close\r\n\r\n") ] });
ok t_cmp($got->[0], 400, 'two Authorization headers of two schemes: 400');
($got) = watch_log(sub { [ raw_request(
    "GET /basic/index.html HTTP/1.1\r\nHost: localhost\r\n" .
    "Authorization: YWxpY2U6eA==\r\nAuthorization: $alice\r\n" .
    "Connection: close\r\n\r\n") ] });
ok t_cmp($got->[0], 400,
         'two Authorization headers, the first a bare token68: 400');

# A 20 KB field: over httpd's LimitRequestFieldSize (8190), httpd answers
# 400 before any module runs.
my $res = GET '/basic/index.html', Authorization => 'Basic ' . ('A' x 20480);
ok t_cmp($res->code, 400, 'a 20 KB Authorization: 400 (httpd\'s own limit)');

# Control octets: httpd's strict header parsing refuses them.
($got) = [ raw_request(
    "GET /basic/index.html HTTP/1.1\r\nHost: localhost\r\n" .
    "Authorization: Digest a=\"x\x01y\"\r\nConnection: close\r\n\r\n") ];
ok t_cmp($got->[0], 400, 'a control octet in the value: 400');
($got) = [ raw_request(
    "GET /basic/index.html HTTP/1.1\r\nHost: localhost\r\n" .
    "Authorization: Basic YWxp\x00Y2U6eA==\r\nConnection: close\r\n\r\n") ];
ok t_cmp($got->[0], 400, 'a NUL octet in the value: 400');
# The gate's own bound (16 KiB), on a virtual host whose
# LimitRequestFieldSize (32 KiB) lets bigger fields through.
my $port = vhost_port('big_fields');
my $big = sub {
    my ($value) = @_;
    return watch_log(sub { [ raw_request(
        "GET /big/index.html HTTP/1.1\r\nHost: localhost\r\n" .
        "Authorization: $value\r\nConnection: close\r\n\r\n", $port) ] });
};
($got, $log) = $big->('Bearer ' . ('a' x 17000));
ok t_cmp($got->[0], 400, 'a 17 KB value: the gate answers 400');
ok t_cmp(denials($log), ['malformed'], 'a 17 KB value: reason malformed');
ok t_cmp(scalar(grep { /AG00003: malformed credentials: credentials too long/ }
                @$log), 1,
         'a 17 KB value: refused for its length');
($got, $log) = $big->('Bearer ' . ('a' x 12000));
ok t_cmp($got->[0], 401,
         'a 12 KB value under the bound is parsed (Bearer not enabled: 401)');
ok t_cmp(denials($log), ['unsupported_scheme'],
         'a 12 KB value: reason unsupported_scheme');
($got, $log) = $big->('Basic ' . ('A' x 12000));
ok t_cmp($got->[0], 400, 'a 12 KB Basic value that decodes to NULs: 400');
ok t_cmp(denials($log), ['malformed'],
         'a 12 KB Basic value that decodes to NULs: reason malformed');

# After all this the server still answers, and good credentials still work.
$res = GET '/basic/index.html', Authorization => $alice;
ok t_cmp($res->code, 200, 'the server still lets alice in');
my ($code) = raw_request(
    "GET /big/index.html HTTP/1.1\r\nHost: localhost\r\n" .
    "Authorization: $alice\r\nConnection: close\r\n\r\n", $port);
ok t_cmp($code, 200, 'the big-fields host still lets alice in');
