# authgate apikey add|list|revoke: output, files and exit codes.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use Digest::SHA qw(sha256_hex);
use File::Temp qw(tempdir);
use Time::Local qw(timegm);

use FindBin;
use lib "$FindBin::Bin/lib";
use AuthGateTest qw(slurp);

plan tests => 96;

my $tool = Apache::Test::vars('serverroot') . '/../authgate';
my $dir = tempdir(CLEANUP => 1);
my $file = "$dir/keys";
my $KEY_RE = qr/^ag_([0-9a-f]{16})_[0-9A-Za-z]{43}$/;

# (exit code, stdout, stderr) of the tool run with ARGS
sub run {
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDOUT, '>', "$dir/out" or die;
        open STDERR, '>', "$dir/err" or die;
        exec $tool, @_ or die "exec: $!";
    }
    waitpid $pid, 0;
    return ($? >> 8, scalar slurp("$dir/out"), scalar slurp("$dir/err"));
}

my ($rc, $out, $err);

# --- help and usage ----------------------------------------------------
($rc, $out) = run('--help');
ok t_cmp($rc, 0, 'authgate --help: 0');
ok t_cmp($out, qr/^\s+apikey\s/m, 'it lists apikey');
($rc) = run();
ok t_cmp($rc, 2, 'authgate alone: 2');
($rc) = run('frobnicate');
ok t_cmp($rc, 2, 'an unknown command: 2');
($rc, $out) = run('apikey', '--help');
ok t_cmp($rc, 0, 'apikey --help: 0');
ok t_cmp($out, qr/authgate apikey add FILE USER .*\n.*apikey list FILE\n.*apikey revoke FILE ID/,
         'the group usage');
($rc, $out, $err) = run('apikey');
ok t_cmp($rc, 2, 'apikey alone: 2');
ok t_cmp($err, qr/usage:/, 'usage on stderr');
($rc) = run('apikey', 'frob');
ok t_cmp($rc, 2, 'an unknown apikey command: 2');
for my $cmd (qw(add list revoke)) {
    ($rc, $out) = run('apikey', $cmd, '--help');
    ok t_cmp($rc, 0, "apikey $cmd --help: 0");
    ok t_cmp($out, qr/^usage: authgate apikey $cmd FILE/, "apikey $cmd usage");
}
($rc, $out) = run('apikey', 'add', $file, 'alice', '-h');
ok t_cmp($rc, 0, '-h among other arguments');
ok !-e $file;

# --- add ---------------------------------------------------------------
($rc, $out, $err) = run('apikey', 'add', $file, 'alice');
ok t_cmp($rc, 0, 'add to a new file: 0');
my @lines = split /\n/, $out;
ok t_cmp(scalar @lines, 1, 'one line of output');
my $key = $lines[0] // '';
ok t_cmp($key, $KEY_RE, 'the key, alone');
my ($id) = $key =~ $KEY_RE;
$id //= 'none';
ok t_cmp($err, qr/\Q$id\E/, 'stderr names the id');
ok t_cmp((stat $file)[2] & 07777, 0640, 'the file is mode 0640');
my $text = slurp($file);
ok t_cmp($text, qr/^# /, 'a new file starts with a comment');
ok t_cmp($text, qr/^\Q$id\E:\Q${\ sha256_hex($key)}\E:alice:-:\d+:-:$/m,
         'one record: id, SHA-256, user, no expiry, created, not revoked');
ok t_cmp(index($text, substr($key, 20)), -1, 'the key itself is not stored');
my $now = time;
my ($created) = $text =~ /:alice:-:(\d+):/;
ok abs(($created // 0) - $now) < 60;

my $inode = (stat $file)[1];
($rc, $out) = run('apikey', 'add', $file, 'bob', '--scopes', "read  write\tadmin",
                  '--expires', '2099-01-31');
ok t_cmp($rc, 0, 'add with --scopes and --expires: 0');
chomp(my $key2 = $out);
ok $key2 ne $key;
$text = slurp($file);
ok t_cmp($text, qr/:bob:${\ timegm(0, 0, 0, 31, 0, 2099)}:\d+:-:read write admin$/m,
         'midnight UTC, scopes tidied');
ok t_cmp($text, qr/^\Q$id\E:.*:alice:/m, 'the first record is kept');
ok t_cmp((stat $file)[1] != $inode ? 'renamed' : 'same inode', 'renamed',
         'a new file was renamed into place');

($rc) = run('apikey', 'add', $file, 'carol', '--expires=2099-01-31T12:30:00Z',
            '--scopes=x');
ok t_cmp($rc, 0, '--opt=value forms');
ok t_cmp(slurp($file), qr/:carol:${\ timegm(0, 30, 12, 31, 0, 2099)}:\d+:-:x$/m,
         'a date and time');
($rc) = run('apikey', 'add', '--expires', '+30d', $file, 'dave');
ok t_cmp($rc, 0, 'options before the arguments, +30d');
my ($exp) = slurp($file) =~ /:dave:(\d+):/;
ok abs(($exp // 0) - (time + 30 * 86400)) < 60;
($rc) = run('apikey', 'add', $file, '--', '-dash');
ok t_cmp($rc, 0, '-- ends the options');

my $before = slurp($file);
for my $bad (['past date', '--expires', '2020-01-01'],
             ['not a date', '--expires', '2027-02-30'],
             ['a time without Z', '--expires', '2027-01-31T12:00:00'],
             ['+0d', '--expires', '+0d'],
             ['a quote in a scope', '--scopes', 'a"b']) {
    my ($what, @opt) = @$bad;
    ($rc, $out, $err) = run('apikey', 'add', $file, 'eve', @opt);
    ok t_cmp($rc, 2, "$what: 2");
    ok t_cmp($out, '', "$what: no key printed");
}
ok t_cmp($err, qr/^authgate: /, 'the error on stderr');
for my $bad (['a colon in the user', 'a:b'], ['an empty user', '']) {
    ($rc) = run('apikey', 'add', $file, $bad->[1]);
    ok t_cmp($rc, 2, "$bad->[0]: 2");
}
($rc) = run('apikey', 'add', $file);
ok t_cmp($rc, 2, 'no user: 2');
($rc) = run('apikey', 'add', $file, 'a', 'b');
ok t_cmp($rc, 2, 'too many arguments: 2');
($rc) = run('apikey', 'add', $file, 'a', '--frob');
ok t_cmp($rc, 2, 'an unknown option: 2');
($rc) = run('apikey', 'add', $file, 'a', '--scopes');
ok t_cmp($rc, 2, 'an option without its value: 2');
ok t_cmp(slurp($file), $before, 'the file is untouched by the failures');

# a malformed file is not appended to
open my $fh, '>>', $file or die;
print $fh "not a record\n";
close $fh;
$before = slurp($file);
($rc, $out, $err) = run('apikey', 'add', $file, 'frank');
ok t_cmp($rc, 2, 'add to a malformed file: 2');
ok t_cmp($err, qr/line 8: fewer than 7 fields/, 'the line is named');
($rc, $out, $err) = run('apikey', 'list', $file);
ok t_cmp($rc, 2, 'list of a malformed file: 2');
ok t_cmp(slurp($file), $before, 'untouched');
($rc) = run('apikey', 'list', "$dir/none");
ok t_cmp($rc, 2, 'list of a missing file: 2');

# --- list and revoke ----------------------------------------------------
$before =~ s/not a record\n//;
$before .= "old1:" . sha256_hex('old') . ":old:1600000000:1590000000:-:\n";
open $fh, '>', $file or die;
print $fh $before;
close $fh;
($rc, $out) = run('apikey', 'list', $file);
ok t_cmp($rc, 0, 'list: 0');
@lines = split /\n/, $out;
ok t_cmp($lines[0], "ID\tUSER\tSTATUS\tEXPIRES\tCREATED\tSCOPES", 'a header');
ok t_cmp(scalar @lines, 7, 'a line per key');
ok t_cmp($lines[1], qr/^\Q$id\E\talice\tactive\tnever\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\t$/,
         'alice');
ok t_cmp($lines[2], qr/^[0-9a-f]{16}\tbob\tactive\t2099-01-31T00:00:00Z\t.*\tread write admin$/,
         'bob');
ok t_cmp($lines[6], "old1\told\texpired\t2020-09-13T12:26:40Z\t2020-05-20T18:40:00Z\t",
         'an expired key');
ok t_cmp(index($out, substr($key, 20)), -1, 'no key in the list');

chmod 0600, $file or die;
$inode = (stat $file)[1];
($rc, $out) = run('apikey', 'revoke', $file, $id);
ok t_cmp($rc, 0, 'revoke: 0');
ok t_cmp($out, "revoked $id (user alice)\n", 'it says so');
ok t_cmp((stat $file)[2] & 07777, 0640, 'revoke leaves the file mode 0640');
ok t_cmp((stat $file)[1] != $inode ? 'renamed' : 'same inode', 'renamed',
         'revoke puts a new file in place (a rename)');
my $after = slurp($file);
ok t_cmp($after, qr/^\Q$id\E:[0-9a-f]{64}:alice:-:\d+:\d+:$/m,
         'the record holds the time of the revocation');
my @b = split /\n/, $before;
my @a = split /\n/, $after;
ok t_cmp(join("\n", grep { !/^\Q$id\E:/ } @a), join("\n", grep { !/^\Q$id\E:/ } @b),
         'every other line, comments too, is as it was');
($rc, $out) = run('apikey', 'list', $file);
ok t_cmp($out, qr/^\Q$id\E\talice\trevoked\t/m, 'list shows it revoked');
($rc, $out, $err) = run('apikey', 'revoke', $file, $id);
ok t_cmp($rc, 0, 'revoking again: 0');
ok t_cmp($err, qr/revoked already/, 'it says so');
ok t_cmp(slurp($file), $after, 'and changes nothing');
($rc) = run('apikey', 'revoke', $file, 'nosuchid');
ok t_cmp($rc, 2, 'an unknown id: 2');
($rc) = run('apikey', 'revoke', $file);
ok t_cmp($rc, 2, 'no id: 2');
($rc) = run('apikey', 'revoke', "$dir/none", $id);
ok t_cmp($rc, 2, 'a missing file: 2');

# --- files the tool must not lose or shut the server out of -------------

# a NUL byte in a comment: the file is refused whole, never cut at the NUL
my $nul = "$dir/nul";
open $fh, '>', $nul or die;
print $fh "# keys\n# a\0b\n", grep { !/^#/ } split /^/, $after;
close $fh;
$before = slurp($nul);
($rc, $out, $err) = run('apikey', 'add', $nul, 'zed');
ok t_cmp($rc, 2, 'add to a file with a NUL in a comment: 2');
ok t_cmp($err, qr/line 2: a NUL byte/, 'the line is named');
ok t_cmp($out, '', 'no key printed');
($rc) = run('apikey', 'revoke', $nul, 'old1');
ok t_cmp($rc, 2, 'revoke in it: 2');
ok t_cmp(slurp($nul), $before, 'the file is untouched');

# commands on one file at once wait for each other: none loses the
# others' changes, and a revocation is never undone by an add
my $busy = "$dir/busy";
($rc, $out) = run('apikey', 'add', $busy, 'victim');
my ($victim) = $out =~ /^ag_([0-9a-f]{16})_/;
my @pids;
for my $n (1 .. 12) {
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open STDOUT, '>', "$dir/busy.out$n" or die;
        open STDERR, '>', '/dev/null' or die;
        exec $tool, 'apikey', ($n == 6 ? ('revoke', $busy, $victim)
                                       : ('add', $busy, "user$n")) or die;
    }
    push @pids, $pid;
}
my $failed = 0;
for (@pids) { waitpid $_, 0; $failed++ if $? != 0 }
ok t_cmp($failed, 0, '12 commands at once on one file: each exits 0');
($rc, $out) = run('apikey', 'list', $busy);
my %status = map { (split /\t/)[1, 2] } grep { !/^ID\t/ } split /\n/, $out;
ok t_cmp(scalar(grep { /^user\d+$/ } keys %status), 11,
         'every key added at once is in the file');
ok t_cmp($status{victim}, 'revoked', 'and the revocation among them holds');
my $stored = 0;
for my $n (grep { $_ != 6 } 1 .. 12) {
    my ($key) = (slurp("$dir/busy.out$n") // '') =~ /^(ag_\S+)$/m;
    $stored++ if $key && index(slurp($busy), sha256_hex($key)) >= 0;
}
ok t_cmp($stored, 11, 'each key printed is the one stored');

# a file readable by all becomes 0640: the tool says the server may be
# shut out, rather than letting a revocation go unnoticed
chmod 0644, $busy or die;
my ($some) = grep { $status{$_} eq 'active' } sort keys %status;
my ($some_id) = $out =~ /^([0-9a-f]{16})\t\Q$some\E\t/m;
($rc, $out, $err) = run('apikey', 'revoke', $busy, $some_id);
ok t_cmp($rc, 0, 'revoke in a file of mode 0644: 0');
ok t_cmp($err, qr/warning: .*readable by all users.*0640/,
         'with a warning that the server must still be able to read it');
ok t_cmp((stat $busy)[2] & 07777, 0640, 'the file is 0640');

# a key that cannot be shown is not stored
$before = slurp($busy);
SKIP: {
    skip 'no /dev/full', 5 unless -c '/dev/full';
    system("'$tool' apikey add '$busy' ghost >/dev/full 2>'$dir/err'");
    ok t_cmp($? >> 8, 2, 'add with standard output full: 2');
    ok t_cmp(slurp("$dir/err"), qr/nothing was stored/, 'it says so');
    ok t_cmp(slurp($busy), $before, 'and the file is untouched');
    # nor is a file that did not exist left behind, empty
    my $fresh = "$dir/fresh.keys";
    system("'$tool' apikey add '$fresh' ghost >/dev/full 2>'$dir/err'");
    ok t_cmp($? >> 8, 2, 'add to a new file with standard output full: 2');
    ok !-e $fresh;   # no empty file left behind
}
