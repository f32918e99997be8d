# AuthGateFailureLimit: a client address over the limit of failed
# credentials gets 429 with Retry-After, good credentials included, until
# its lockout ends; what does not count; off; configuration errors.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use Apache::TestRequest qw(GET);
use File::Temp ();
use AuthGateTest qw(basic challenges watch_log denials configtest);

plan tests => 26;

my $good = basic(bob => $AuthGateTest::PASSWORD{bob});
my $bad = basic(bob => 'not the password');

# --- the limit ---------------------------------------------------------------
my $res = GET '/limit/index.html', Authorization => $good;
ok t_cmp($res->code, 200, 'good credentials: 200');

my @codes = map { GET('/limit/index.html')->code } 1 .. 5;
ok t_cmp("@codes", '401 401 401 401 401',
         'requests without credentials do not count');

@codes = map { GET('/limit/index.html', Authorization => $bad)->code } 1 .. 3;
ok t_cmp("@codes", '401 401 401', 'three failed credentials: 401 each');

my $log;
($res, $log) = watch_log(sub {
    GET '/limit/index.html', Authorization => $bad });
ok t_cmp($res->code, 429, 'the fourth within the minute: 429');
ok t_cmp($res->header('Retry-After'), qr/^[23]$/,
         'with Retry-After: the 2 s lockout, in whole seconds rounded up');
ok t_cmp(challenges($res), [], 'and no challenge');
ok t_cmp(denials($log), ['locked_out'], 'logged once as locked_out');
ok t_cmp(scalar(grep { /AG00603: client 127\.0\.0\.1 locked out for [23] s: more than 3 failed credentials within 60 s \(the last: basic_bad_password\)/ } @$log),
         1, 'and a warning names the client, the limit and the last reason');

($res, $log) = watch_log(sub {
    GET '/limit/index.html', Authorization => $good });
ok t_cmp($res->code, 429, 'locked out: good credentials get 429 too');
ok t_cmp(denials($log), ['locked_out'], 'logged as locked_out');
ok t_cmp(GET('/limit/index.html')->code, 429,
         'so does a request without credentials');
ok t_cmp(GET('/index.html')->code, 200,
         'outside the gate the client is served');

$res = GET '/limit/off/index.html', Authorization => $bad;
ok t_cmp($res->code, 401, 'AuthGateFailureLimit off in a nested section: '
         . 'no lockout there');

sleep 3;
$res = GET '/limit/index.html', Authorization => $good;
ok t_cmp($res->code, 200, 'after the lockout: good credentials get in');
$res = GET '/limit/index.html', Authorization => $bad;
ok t_cmp($res->code, 429, 'a failure while the earlier ones are still '
         . 'within the minute locks the client out again');

@codes = map { GET('/limit/off/index.html', Authorization => $bad)->code }
    1 .. 5;
ok t_cmp("@codes", '401 401 401 401 401',
         'where the limit is off, failures are never answered 429');

# --- what does not count ------------------------------------------------------
@codes = map {
    GET('/limit-uncounted/index.html', Authorization => 'Bearer abc.def.ghi')
        ->code } 1 .. 3;
ok t_cmp("@codes", '401 401 401',
         'credentials of a scheme not enabled here do not count');
@codes = map { GET('/limit-uncounted/index.html')->code } 1 .. 3;
ok t_cmp("@codes", '401 401 401', 'nor do requests without any');
ok t_cmp(GET('/limit-uncounted/index.html', Authorization => $bad)->code,
         401, 'a limit of 1: the first failure is allowed');
ok t_cmp(GET('/limit-uncounted/index.html', Authorization => $bad)->code,
         429, 'the second is not');

# --- configuration errors -------------------------------------------------------
my $dir = File::Temp->newdir;

sub refused {
    my ($name, $body, $want) = @_;
    my ($rc, $out, $conf, $line) = configtest(
        name => 'httpd', dir => "$dir", location => '/x',
        section => [ 'AuthType AuthGate', 'AuthName "api"',
                     'AuthGateSchemes Basic',
                     'AuthUserFile "' . Apache::Test::vars('serverroot')
                         . '/conf/users.htpasswd"',
                     'Require valid-user' ],
        body => $body);
    my $ok = defined $want
        ? $rc != 0 && $out =~ /line \Q$line\E of \Q$conf\E:\s+$want/
        : $rc == 0 && $out =~ /Syntax OK/;
    print "# $name: exit $rc: $out" unless $ok;
    return ok $ok;
}

refused('a good limit passes', 'AuthGateFailureLimit 5 300 900', undef);
refused('COUNT alone', 'AuthGateFailureLimit 5',
        qr/AuthGateFailureLimit: takes off, or COUNT SECONDS \[LOCKOUT\]/);
refused('a COUNT of 0', 'AuthGateFailureLimit 0 60',
        qr/AuthGateFailureLimit: COUNT '0' is not a number from 1 to/);
refused('SECONDS with a unit', 'AuthGateFailureLimit 5 1m',
        qr/AuthGateFailureLimit: SECONDS '1m' is not a number from 1 to/);
refused('four arguments', 'AuthGateFailureLimit 5 60 60 60',
        qr/AuthGateFailureLimit: takes off, or COUNT SECONDS \[LOCKOUT\]/);
refused('a negative LOCKOUT', 'AuthGateFailureLimit 5 60 -1',
        qr/AuthGateFailureLimit: LOCKOUT '-1' is not a number from 1 to/);
