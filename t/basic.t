# The Basic scheme through httpd's authn providers: what the application
# behind the gate sees, the reasons of the denials, and what never
# reaches the log.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use Apache::TestRequest qw(GET);
use AuthGateTest qw(basic challenges watch_log denials client_run
                    log_mark log_wait_for);

plan tests => 40;

my %pw = %AuthGateTest::PASSWORD;
my $env_cgi = '/api/cgi/env.cgi';

sub env_of {
    my ($res) = @_;
    return { map { /^([A-Z_]+)=(.*)$/ ? ($1, $2) : () }
             split /\n/, $res->content };
}

# --- success: what the CGI sees
my ($res, $log) = watch_log(sub {
    GET $env_cgi, Authorization => basic(alice => $pw{alice}) });
ok t_cmp($res->code, 200, 'alice with her password: 200');
my $env = env_of($res);
ok t_cmp($env->{REMOTE_USER}, 'alice', 'REMOTE_USER');
ok t_cmp($env->{AUTH_TYPE}, 'Basic', 'AUTH_TYPE is the scheme as sent');
ok t_cmp($env->{AUTHGATE_SCHEME}, 'basic', 'AUTHGATE_SCHEME');
ok t_cmp($env->{AUTHGATE_USER}, 'alice', 'AUTHGATE_USER');
ok t_cmp($env->{AUTHGATE_ERROR}, undef, 'no AUTHGATE_ERROR on success');
ok t_cmp(denials($log), [], 'no denial logged on success');
ok t_cmp(scalar(grep { /AG00002: granted scheme=basic user=alice/ } @$log),
         1, 'the grant is logged at debug');

$res = GET $env_cgi, Authorization => basic(bob => $pw{bob});
ok t_cmp(env_of($res)->{REMOTE_USER}, 'bob',
         'bob (apr1, a colon in the password): the first colon splits');

$res = GET $env_cgi,
    Authorization => 'basic ' . substr(basic(alice => $pw{alice}), 6);
ok t_cmp($res->code, 200, 'the scheme name is case-insensitive');
ok t_cmp(env_of($res)->{AUTH_TYPE}, 'Basic',
         'AUTH_TYPE is canonical whatever the case sent');

# --- denials and their reasons
($res, $log) = watch_log(sub {
    GET '/basic/index.html',
        Authorization => basic(alice => 'not her password') });
ok t_cmp($res->code, 401, 'wrong password: 401');
ok t_cmp(challenges($res), ['Basic realm="api"'],
         'wrong password: the challenge again');
ok t_cmp(denials($log), ['basic_bad_password'],
         'wrong password: reason basic_bad_password');
ok t_cmp(scalar(grep { /AG00001: .* scheme=basic .* user=alice / } @$log), 1,
         'the denial names the scheme and the claimed user');

($res, $log) = watch_log(sub {
    GET '/basic/index.html', Authorization => basic(mallory => 'x') });
ok t_cmp($res->code, 401, 'unknown user: 401');
ok t_cmp(challenges($res), ['Basic realm="api"'],
         'unknown user: the challenge');
ok t_cmp(denials($log), ['basic_unknown_user'],
         'unknown user: reason basic_unknown_user');

($res, $log) = watch_log(sub { GET '/basic/index.html' });
ok t_cmp(denials($log), ['no_credentials'],
         'no credentials: reason no_credentials');

$res = GET '/basic/index.html', Authorization => basic(alice => 'wonder');
ok t_cmp($res->code, 401, 'a prefix of the password is not the password');
$res = GET '/basic/index.html', Authorization => basic(Alice => $pw{alice});
ok t_cmp($res->code, 401, 'user names are case-sensitive');
$res = GET '/basic/index.html', Authorization => basic(alice => '');
ok t_cmp($res->code, 401, 'an empty password is refused');

# --- AUTHGATE_ERROR as an ordinary environment variable
$res = GET '/reason/index.html', Authorization => basic(alice => 'nope');
ok t_cmp($res->header('X-AuthGate-Reason'), 'basic_bad_password',
         'mod_headers reads AUTHGATE_ERROR (bad password)');
$res = GET '/reason/index.html';
ok t_cmp($res->header('X-AuthGate-Reason'), 'no_credentials',
         'mod_headers reads AUTHGATE_ERROR (no credentials)');
$res = GET '/reason/index.html', Authorization => 'Bearer abc';
ok t_cmp($res->header('X-AuthGate-Reason'), 'unsupported_scheme',
         'mod_headers reads AUTHGATE_ERROR (scheme not enabled)');
$res = GET '/reason/index.html', Authorization => 'Basic YWxpY2U=';
ok t_cmp($res->header('X-AuthGate-Reason'), 'malformed',
         'mod_headers reads AUTHGATE_ERROR (malformed)');
$res = GET '/reason/index.html', Authorization => basic(alice => $pw{alice});
ok t_cmp($res->header('X-AuthGate-Reason'), undef,
         'AUTHGATE_ERROR is unset when the request is let in');

# mod_log_config writes after the response: wait for the line.
my $mark = log_mark('reason_log');
GET '/reason/logged', Authorization => basic(mallory => 'x');
my $line = log_wait_for('reason_log', $mark, qr{^GET /reason/logged }, 10);
ok t_cmp($line, qr{^GET /reason/logged 401 reason=basic_unknown_user user=-$},
         'LogFormat %{AUTHGATE_ERROR}e logs the reason');
$mark = log_mark('reason_log');
GET '/reason/index.html', Authorization => basic(bob => $pw{bob});
$line = log_wait_for('reason_log', $mark, qr{^GET /reason/index\.html }, 10);
ok t_cmp($line, qr{^GET /reason/index\.html 200 reason=- user=bob$},
         'LogFormat: no reason and the user on success');

# --- the provider list: AuthGateBasicProvider other file
$res = GET '/providers/index.html',
    Authorization => basic(carol => $pw{carol});
ok t_cmp($res->code, 200,
         'the first provider (an AuthnProviderAlias) knows carol');
$res = GET '/providers/index.html',
    Authorization => basic(alice => $pw{alice});
ok t_cmp($res->code, 200,
         'the second provider is asked when the first does not know the user');
($res, $log) = watch_log(sub {
    GET '/providers/index.html', Authorization => basic(carol => 'nope') });
ok t_cmp(denials($log), ['basic_bad_password'],
         'the provider that knows the user decides a wrong password');

# --- real clients
my $url = 'http://' . Apache::TestRequest::hostport() . $env_cgi;
my ($out, $rc) = client_run('curl', '-s', '--noproxy', '*',
                            '-u', "alice:$pw{alice}", $url);
ok t_cmp($rc, 0, 'curl runs');
ok t_cmp($out, qr/^REMOTE_USER=alice$/m, 'curl -u alice:... gets in as alice');
($out) = client_run('curl', '-s', '--noproxy', '*', '-o', '/dev/null',
                    '-w', '%{http_code}', '-u', 'alice:wrong', $url);
ok t_cmp($out, '401', 'curl with a wrong password: 401');

my $py = <<'PY';
import sys, requests
s = requests.Session()
s.trust_env = False
r = s.get(sys.argv[1], auth=(sys.argv[2], sys.argv[3]), timeout=10)
print(r.status_code)
print(r.headers.get("WWW-Authenticate", "-"))
print(r.text, end="")
PY
($out, $rc) = client_run('/usr/bin/python3', '-c', $py, $url, bob => $pw{bob});
ok t_cmp($rc, 0, 'python3 requests runs');
ok t_cmp($out, qr/\A200\n-\n/, 'requests with HTTPBasicAuth: 200');
ok t_cmp($out, qr/^AUTHGATE_USER=bob$/m, 'requests: AUTHGATE_USER=bob');
($out) = client_run('/usr/bin/python3', '-c', $py, $url, bob => 'b0b');
ok t_cmp($out, qr/\A401\nBasic realm="api"\n/,
         'requests with a wrong password: 401 and the challenge');

# --- nothing secret in the log, whatever happened above
my $errlog = Apache::Test::vars('t_logs') . '/error_log';
open my $fh, '<', $errlog or die "$errlog: $!";
my $text = do { local $/; <$fh> };
close $fh;
my @secrets = (values(%pw), 'not her password',
               map { substr(basic($_ => $pw{$_}), 6) } keys %pw);
ok t_cmp(scalar(grep { index($text, $_) >= 0 } @secrets), 0,
         'no password, and no Basic credentials, in the error log');
