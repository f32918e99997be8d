# `authgate digest`: the lines it writes, and a server that picks up the
# users it adds and changes (AuthGateUserFile is re-read when it changes;
# a file that turns bad leaves the last good version in use).
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET);
use File::Temp qw(tempdir);
use DigestTest;
use AuthGateTest qw(slurp);

my $root = Apache::Test::vars('serverroot');
my $tool = "$root/../authgate";
my $live = "$root/conf/digest-live.users";
# The file is set up as an operator's is: mode 0640 and a group that the
# tool's user has (the server's), which the tool keeps; it warns when it
# cannot keep it, or when it narrows a file that was readable by all.
chown -1, (split ' ', $))[0], $live or die "chgrp $live: $!";
chmod 0640, $live or die "chmod $live: $!";

# Runs the tool with INPUT on standard input: (exit code, output).
sub tool {
    my ($input, @args) = @_;
    my $dir = tempdir(CLEANUP => 1);
    open my $in, '>', "$dir/in" or die $!;
    print $in $input;
    close $in;
    my $q = join ' ', map { "'$_'" } @args;
    my $out = `$tool $q < $dir/in 2>&1`;
    return ($? >> 8, $out);
}

sub login {
    my ($user, $pass, $alg) = @_;
    my $c = fresh_challenge('/digest-live/index.html', $alg // 'SHA-256');
    return GET('/digest-live/index.html',
               Authorization => scalar digest_auth(
                   challenge => $c, user => $user, password => $pass,
                   uri => '/digest-live/index.html'))
        ->code;
}

ok -x $tool, "the authgate tool is there ($tool)";
is login('carol', 'first-pw'), 200, 'carol, in the file at start: 200';
is login('dave', 'tool-pw'), 401, 'dave, not yet in the file: 401';

my $mark = log_mark();
my ($rc, $out) = tool("tool-pw\n", 'digest', '--password-stdin', $live,
                      'digest', 'dave');
is $rc, 0, 'authgate digest --password-stdin adds dave: exit 0';
is $out, "Added user dave in realm digest\n", '... and says so';
my $text = slurp($live);
like $text, qr/^carol:digest:/m, "carol's line is kept";
my %want = (
    'MD5' => H('MD5', 'dave:digest:tool-pw'),
    'SHA-256' => H('SHA-256', 'dave:digest:tool-pw'),
    'SHA-512-256' => H('SHA-512-256', 'dave:digest:tool-pw'),
    'userhash-MD5' => H('MD5', 'dave:digest'),
    'userhash-SHA-256' => H('SHA-256', 'dave:digest'),
    'userhash-SHA-512-256' => H('SHA-512-256', 'dave:digest'),
);
my ($line) = $text =~ /^(dave:digest:.*)$/m;
is $line, 'dave:digest:' . join(' ', map { "$_=$want{$_}" }
    qw(MD5 SHA-256 SHA-512-256 userhash-MD5 userhash-SHA-256 userhash-SHA-512-256)),
    "dave's line: a hash for every algorithm and the userhashes";
is sprintf('%04o', (stat $live)[2] & 07777), '0640', 'the file is mode 0640';
unlike $text, qr/tool-pw/, 'the password is not in the file';

sleep 1.2;   # the user file is checked at most once a second
is login('dave', 'tool-pw'), 200, 'dave logs in without a restart (SHA-256)';
is login('dave', 'tool-pw', 'MD5'), 200, '... and with MD5';
like log_since($mark), qr/AG00301: AuthGateUserFile \S+digest-live\.users: reloaded/,
    'the reload is logged';

($rc, $out) = tool("new-pw\n", 'digest', '--password-stdin', $live, 'digest',
                   'dave');
is "$rc $out", "0 Changed user dave in realm digest\n", 'a new password for dave';
$text = slurp($live);
is scalar(() = $text =~ /^dave:/mg), 1, '... his line replaced, not added';
like $text, qr/^carol:digest:/m, "... carol's kept";
sleep 1.2;
is login('dave', 'tool-pw'), 401, 'the old password: 401';
is login('dave', 'new-pw'), 200, 'the new one: 200';

# A file that turns bad keeps the last good version in use.
$mark = log_mark();
my $tmp = "$live.broken";
open my $fh, '>', $tmp or die $!;
print $fh "$text" . "this is not a user line\n";
close $fh;
rename $tmp, $live or die $!;
sleep 1.2;
# (Each server process keeps the last version it read itself: carol is in
# all of them.)
is login('carol', 'first-pw'), 200, 'a broken file: carol still logs in';
like log_since($mark),
    qr/\[authgate:warn\][^\n]*AG00302: AuthGateUserFile \S+: line \d+: not USER:REALM:HASHES; the last good version stays in use/,
    '... with a warning naming the line';

($rc, $out) = tool("x\n", 'digest', '--password-stdin', $live, 'digest', 'eve');
ok $rc == 2 && $out =~ /line \d+: not USER:REALM:HASHES/,
    'the tool refuses to add to a file the server would refuse: exit 2';

# Usage errors: exit 2.
my $dir = tempdir(CLEANUP => 1);
($rc) = tool('', 'digest');
is $rc, 2, 'no arguments: exit 2';
($rc, $out) = tool("pw\n", 'digest', '--password-stdin', "$dir/u", 're:alm', 'u');
ok $rc == 2 && $out =~ /REALM holds ':'/, "a realm with ':': exit 2";
($rc, $out) = tool("pw\n", 'digest', '--password-stdin', "$dir/u", 'r', 'a:b');
ok $rc == 2 && $out =~ /USER holds ':'/, "a user with ':': exit 2";
($rc, $out) = tool("\n", 'digest', '--password-stdin', "$dir/u", 'r', 'u');
ok $rc == 2 && $out =~ /the password is empty/, 'an empty password: exit 2';
($rc, $out) = tool('', 'digest', '--password-stdin', "$dir/u", 'r', 'u');
ok $rc == 2 && $out =~ /no password read/, 'no input: exit 2';
ok !-e "$dir/u", '... and no file written';
# setsid (util-linux) detaches the tool from any terminal.
$out = `setsid -w $tool digest $dir/u r u < /dev/null 2>&1`;
ok(($? >> 8) == 2 && $out =~ /no terminal/,
   'without --password-stdin and without a terminal: exit 2');
($rc, $out) = tool('', 'digest', '--help');
ok $rc == 0 && $out =~ /^usage: authgate digest \[--password-stdin\] FILE REALM USER/,
    '--help: exit 0, usage';
($rc, $out) = tool('', 'digest', '--password-stdin', '--help');
ok $rc == 0 && $out =~ /^usage: authgate digest /,
    '--help after another option: exit 0, usage';
($rc, $out) = tool('', 'digest', "$dir/u", 'r', 'u', '-h');
ok $rc == 0 && $out =~ /^usage: authgate digest /, '-h after the arguments: exit 0';
ok !-e "$dir/u", '... and no file written';
($rc, $out) = tool("pw\n", 'digest', '--password-stdin', '--quiet', "$dir/u", 'r', 'u');
ok $rc == 2 && $out =~ /unknown option '--quiet'/, 'an unknown option: exit 2';
($rc) = tool("pw\n", 'digest', '--password-stdin', "$dir/u", 'r', 'u', 'v');
is $rc, 2, 'a fourth argument: exit 2';
ok !-e "$dir/u", '... and no file written';
($rc, $out) = tool("pw\n", 'digest', '--password-stdin', '--', "$dir/u", 'r', '-dash');
ok $rc == 0 && $out =~ /^Added user -dash in realm r$/m,
    'after --, a user whose name starts with a dash: exit 0';
($rc, $out) = tool('', '--help');
like $out, qr/^\s+digest\s/m, '`authgate --help` lists digest';

done_testing;
