# AuthGateApiKeyFile changed while the server runs, by `authgate apikey`
# and by hand: new keys work and revoked ones stop within a second, and a
# file that turns bad or vanishes leaves the last good set in use.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp t_start_error_log_watch t_finish_error_log_watch);
use Time::HiRes qw(sleep);

use FindBin;
use lib "$FindBin::Bin/lib";
use AuthGateTest qw(slurp spit);
use AuthGateTestKeys qw(%KEY %KEY_ID key_secret);

plan tests => 23;

my $root = Apache::Test::vars('serverroot');
my $tool = "$root/../authgate";
my $file = "$root/conf/apikeys-reload.txt";
my $url = '/apikey/reload/env.cgi';

# the reloader looks at the file at most once a second
sub settle { sleep 1.2 }

sub user_of {
    my $res = GET $url, 'X-API-Key' => shift;
    return $res->code == 200 && $res->content =~ /^REMOTE_USER=(.*)$/m
        ? $1 : $res->code;
}

sub logged {
    my $code = shift;
    t_start_error_log_watch();
    my $result = $code->();
    return ($result, join '', grep { /AG00\d+:/ } t_finish_error_log_watch());
}

my $orig = slurp($file);
my ($user, $log, $res);

ok t_cmp(user_of($KEY{before}), 'before', 'the key of the file at start');

# Each server process keeps the last good set it loaded itself; until the
# file first changes, that is the set of the start in every process, which
# makes what follows the same whichever process answers.

# a file that turns bad
spit($file, $orig . "this is not a record\n");
settle();
($user, $log) = logged(sub { user_of($KEY{before}) });
ok t_cmp($user, 'before', 'a malformed file keeps the last good set');
ok t_cmp($log, qr/AG00302: AuthGateApiKeyFile \S+apikeys-reload.txt: line 3: fewer than 7 fields/,
         'a warning names the line');
ok $log !~ /this is not a record/;

# a file that vanishes
unlink $file or die "unlink: $!";
settle();
($user, $log) = logged(sub { user_of($KEY{before}) });
ok t_cmp($user, 'before', 'a vanished file keeps the last good set');
ok t_cmp($log, qr/AG00302: AuthGateApiKeyFile \S+: cannot read file: No such file or directory/,
         'with a warning');

# the file back
spit($file, $orig);
settle();
($user, $log) = logged(sub { user_of($KEY{before}) });
ok t_cmp($user, 'before', 'the file back: its key works');
ok t_cmp($log, qr/AG00301: AuthGateApiKeyFile \S+apikeys-reload.txt: reloaded/,
         'the reload is logged');

# a key added by the tool
my @out = `'$tool' apikey add '$file' newbie --scopes fresh 2>/dev/null`;
ok t_cmp($?, 0, 'authgate apikey add exits 0');
chomp(my $new = $out[0] // '');
ok t_cmp($new, qr/^ag_[0-9a-f]{16}_[0-9A-Za-z]{43}$/, 'it printed a key');
settle();
($user, $log) = logged(sub { user_of($new) });
ok t_cmp($user, 'newbie', 'the new key works after a second');
ok t_cmp($log, qr/AG00301: AuthGateApiKeyFile \S+: reloaded/, 'the reload is logged');
ok t_cmp(user_of($KEY{before}), 'before', 'the old key still works');
$res = GET $url, 'X-API-Key' => $new;
ok t_cmp($res->content, qr/^AUTHGATE_SCOPE=fresh$/m, 'with its scope');

# revoked by the tool
system($tool, 'apikey', 'revoke', $file, $KEY_ID{before});
ok t_cmp($? >> 8, 0, 'authgate apikey revoke exits 0');
settle();
($res, $log) = logged(sub { GET $url, 'X-API-Key' => $KEY{before} });
ok t_cmp($res->code, 401, 'the revoked key is refused');
ok t_cmp($log, qr/reason=revoked .*key_id=$KEY_ID{before}/, 'as revoked');
ok t_cmp(user_of($new), 'newbie', 'the other key goes on');

# the original again
spit($file, $orig);
settle();
ok t_cmp(user_of($KEY{before}), 'before', 'the original file: its key works');
ok t_cmp(user_of($new), 401, 'the added key is gone with it');

# the tool's key never reached a log
my $logs = Apache::Test::vars('t_logs');
for my $name (qw(error_log access_log)) {
    my $text = slurp("$logs/$name");
    ok index($text, key_secret($new)) < 0;
}
ok t_cmp(slurp($file), $orig, 'the fixture is as it was');
