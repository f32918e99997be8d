# The connection's memo of its last API key: a keep-alive client that
# sends the same key again is answered without hashing it, and what the
# memo gives back always agrees with the files as they are now: a key
# file reloaded, a revocation listed, an expiry reached.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp t_start_error_log_watch t_finish_error_log_watch);
use Digest::SHA qw(sha256_hex);
use Time::HiRes qw(sleep);

use FindBin;
use lib "$FindBin::Bin/lib";
use AuthGateTest qw(slurp spit);
use AuthGateTestKeys qw(%KEY %KEY_ID);

plan tests => 34;

# One connection, so that every request meets the same process and the
# same memo.
Apache::TestRequest::user_agent(keep_alive => 1, reset => 1);

my $root = Apache::Test::vars('serverroot');
my $file = "$root/conf/apikeys-memo.txt";
my $revoked = "$root/conf/apikeys-memo-revoked.txt";
my $url = '/apikey/memo/env.cgi';
my $hit = qr/AG00503: API key found in the connection's memo/;

# the files are looked at at most once a second
sub settle { sleep 1.2 }

# a record of the key file for key NAME
sub record {
    my ($name, %f) = @_;
    return join(':', $KEY_ID{$name}, sha256_hex($KEY{$name}),
                $f{user} // $name, $f{expires} // '-', 1764300000, '-',
                'read') . "\n";
}

# The user the gate let in (or the status), and what it logged meanwhile.
sub send_key {
    my $name = shift;
    t_start_error_log_watch();
    my $res = GET $url, 'X-API-Key' => $KEY{$name};
    my $log = join '', grep { /AG00\d+:/ } t_finish_error_log_watch();
    my $user = $res->code == 200 && $res->content =~ /^REMOTE_USER=(.*)$/m
        ? $1 : $res->code;
    return ($user, $log);
}

# where the record came from, by the log of the request
sub source { return $_[0] =~ $hit ? 'memo' : 'store' }

my $orig = slurp($file);
my $orig_revoked = slurp($revoked);
my ($user, $log);

($user, $log) = send_key('memo1');
ok t_cmp($user, 'memo1', 'a key, first sent');
ok t_cmp(source($log), 'store', 'looked up in the file');
($user, $log) = send_key('memo1');
ok t_cmp($user, 'memo1', 'the same key again');
ok t_cmp(source($log), 'memo', 'found in the memo');

($user, $log) = send_key('memo2');
ok t_cmp($user, 'memo2', 'another key on the same connection');
ok t_cmp(source($log), 'store', 'is not the memo\'s');
($user, $log) = send_key('memo1');
ok t_cmp($user, 'memo1', 'the first key once more');
ok t_cmp(source($log), 'store', 'was replaced in the memo by the other');
($user, $log) = send_key('memo1');
ok t_cmp(source($log), 'memo', 'and is the memo\'s again after one use');

# a revocation listed while the memo holds the key
spit($revoked, "$orig_revoked$KEY_ID{memo1}\n");
settle();
($user, $log) = send_key('memo1');
ok t_cmp($user, 401, 'revoked in AuthGateRevocationFile: refused');
ok t_cmp($log, qr/reason=revoked .*key_id=$KEY_ID{memo1}/, 'as revoked');
ok t_cmp(source($log), 'memo', 'though the memo held the key');
spit($revoked, $orig_revoked);
settle();
($user, $log) = send_key('memo1');
ok t_cmp($user, 'memo1', 'the revocation withdrawn: let in again');
ok t_cmp(source($log), 'memo', 'from the memo');

# the key file reloaded: the memo's record is of the old file
spit($file, record('memo1', user => 'memo1-renamed') . record('memo2'));
settle();
($user, $log) = send_key('memo1');
ok t_cmp($user, 'memo1-renamed', 'the file reloaded: the key\'s new record');
ok t_cmp($log, qr/AG00301: AuthGateApiKeyFile \S+apikeys-memo.txt: reloaded/,
         'the reload is logged');
ok t_cmp(source($log), 'store', 'not the memo\'s record of the old file');
($user, $log) = send_key('memo1');
ok t_cmp($user, 'memo1-renamed', 'the key again');
ok t_cmp(source($log), 'memo', 'from the memo, which now holds the new record');

spit($file, record('memo2'));
settle();
($user, $log) = send_key('memo1');
ok t_cmp($user, 401, 'the key gone from the file: refused');
ok t_cmp($log, qr/reason=apikey_unknown .*key_id=$KEY_ID{memo1}/,
         'as unknown');
ok t_cmp(source($log), 'store', 'the memo gave nothing');
($user, $log) = send_key('memo1');
ok t_cmp($user, 401, 'and again');
ok t_cmp(source($log), 'store', 'an unknown key is not remembered');

# an expiry reached while the memo holds the key
my $expires = time() + 3;
spit($file, record('memo1', expires => $expires) . record('memo2'));
settle();
($user, $log) = send_key('memo1');
ok t_cmp($user, 'memo1', 'a key that expires in a moment: let in');
ok t_cmp(source($log), 'store', 'looked up in the reloaded file');
($user, $log) = send_key('memo1');
ok t_cmp($user, 'memo1', 'again, before its expiry');
ok t_cmp(source($log), 'memo', 'from the memo');
sleep 0.1 while time() <= $expires;
($user, $log) = send_key('memo1');
ok t_cmp($user, 401, 'past its expiry: refused');
ok t_cmp($log, qr/reason=apikey_expired .*key_id=$KEY_ID{memo1}/,
         'as expired');
ok t_cmp(source($log), 'memo', 'though the memo held the key');

spit($file, $orig);
spit($revoked, $orig_revoked);
settle();
($user, $log) = send_key('memo1');
ok t_cmp($user, 'memo1', 'the fixtures back');
ok t_cmp(slurp($file), $orig, 'the key file is as it was');
ok t_cmp(slurp($revoked), $orig_revoked, 'so is the revocation list');
