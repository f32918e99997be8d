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

plan tests => 36;

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

# One request with key NAME, and what it must give: the user let in (or
# the status), where the record came from ('store' or 'memo', by the log
# of the request), and LOGGED, a pattern the log must match, if given.
sub case {
    my ($what, $name, $want, $source, $logged) = @_;
    t_start_error_log_watch();
    my $res = GET $url, 'X-API-Key' => $KEY{$name};
    my $log = join '', grep { /AG00\d+:/ } t_finish_error_log_watch();
    my $user = $res->code == 200 && $res->content =~ /^REMOTE_USER=(.*)$/m
        ? $1 : $res->code;
    ok t_cmp($user, $want, $what);
    ok t_cmp($log =~ $hit ? 'memo' : 'store', $source,
             "$what: from the $source");
    ok t_cmp($log, $logged, "$what: logged") if defined $logged;
}

my $orig = slurp($file);
my $orig_revoked = slurp($revoked);

case('a key, first sent', 'memo1', 'memo1', 'store');
case('the same key again', 'memo1', 'memo1', 'memo');
case('another key on the same connection', 'memo2', 'memo2', 'store');
case('the first key once more, replaced by the other', 'memo1', 'memo1',
     'store');
case('and once more', 'memo1', 'memo1', 'memo');

# a revocation listed while the memo holds the key
spit($revoked, "$orig_revoked$KEY_ID{memo1}\n");
settle();
case('revoked in AuthGateRevocationFile', 'memo1', 401, 'memo',
     qr/reason=revoked .*key_id=$KEY_ID{memo1}/);
spit($revoked, $orig_revoked);
settle();
case('the revocation withdrawn', 'memo1', 'memo1', 'memo');

# the key file reloaded: the memo's record is of the old file
spit($file, record('memo1', user => 'memo1-renamed') . record('memo2'));
settle();
case('the file reloaded with a new record of the key', 'memo1',
     'memo1-renamed', 'store',
     qr/AG00301: AuthGateApiKeyFile \S+apikeys-memo.txt: reloaded/);
case('the key again, the memo holding the new record', 'memo1',
     'memo1-renamed', 'memo');

spit($file, record('memo2'));
settle();
case('the key gone from the file', 'memo1', 401, 'store',
     qr/reason=apikey_unknown .*key_id=$KEY_ID{memo1}/);
case('and again: an unknown key is not remembered', 'memo1', 401, 'store');

# an expiry reached while the memo holds the key
my $expires = time() + 3;
spit($file, record('memo1', expires => $expires) . record('memo2'));
settle();
case('a key that expires in a moment', 'memo1', 'memo1', 'store');
case('again, before its expiry', 'memo1', 'memo1', 'memo');
sleep 0.1 while time() <= $expires;
case('past its expiry', 'memo1', 401, 'memo',
     qr/reason=apikey_expired .*key_id=$KEY_ID{memo1}/);

spit($file, $orig);
spit($revoked, $orig_revoked);
settle();
case('the fixtures back', 'memo1', 'memo1', 'store');
ok t_cmp(slurp($file), $orig, 'the key file is as it was');
ok t_cmp(slurp($revoked), $orig_revoked, 'so is the revocation list');
