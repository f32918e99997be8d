package AuthGate::Bearer;
# Helpers of the Bearer tests: tokens signed at test time (by the authgate
# tool, or by hand for headers no signer writes), requests, and the one
# assertion per case: status, challenge and the reason code logged.
use strict;
use warnings FATAL => 'all';

use Exporter 'import';
use JSON::PP ();
use MIME::Base64 ();
use Digest::SHA ();
use File::Temp ();
use Time::HiRes ();

use Apache::Test ();
use Apache::TestRequest ();
use Apache::TestUtil qw(t_start_error_log_watch t_finish_error_log_watch);
use AuthGateTest qw(slurp spit);

our @EXPORT = qw(tool sign claims b64u raw_token hs256_raw rs256_raw
                 bearer_get case token_in_logs slurp spit);

# Paths in the tests (keys/..., ../authgate) are relative to t/.
use FindBin ();
chdir $FindBin::Bin or die "chdir $FindBin::Bin: $!";

my $JSON = JSON::PP->new->canonical;
my @tokens;                 # every token a test sent: none may be logged

sub tool {
    my @args = @_;
    open my $fh, '-|', '../authgate', @args or die "authgate: $!";
    my $out = do { local $/; <$fh> };
    close $fh;
    die "authgate @args[0..1]: exit " . ($? >> 8) . "\n" if $? != 0;
    $out =~ s/\s+\z//;
    return $out;
}

# The claims of a good token, with OVERRIDES (undef deletes a claim).
sub claims {
    my %over = @_;
    my %c = (sub => 'alice', exp => time + 300);
    while (my ($k, $v) = each %over) {
        if (defined $v) { $c{$k} = $v } else { delete $c{$k} }
    }
    return \%c;
}

# sign(key => FILE, alg => ALG, kid => ID, header => {...}, claims => {...})
sub sign {
    my %a = @_;
    my @args = ('jwt', 'sign', '--key', $a{key}, '--alg', $a{alg} // 'RS256');
    push @args, '--kid', $a{kid} if defined $a{kid};
    push @args, '--header', $JSON->encode($a{header}) if $a{header};
    push @args, ref $a{claims} ? $JSON->encode($a{claims})
                               : ($a{claims} // $JSON->encode(claims()));
    return tool(@args);
}

sub b64u {
    my $s = MIME::Base64::encode_base64url(shift);
    $s =~ s/=+$//;
    return $s;
}

# HEADER.CLAIMS.SIG from JSON texts (or refs) and signature bytes.
sub raw_token {
    my ($header, $claims, $sig) = @_;
    $header = $JSON->encode($header) if ref $header;
    $claims = $JSON->encode($claims) if ref $claims;
    return b64u($header) . '.' . b64u($claims) . '.' . b64u($sig // '');
}

sub hs256_raw {
    my ($header, $claims, $key) = @_;
    $header = $JSON->encode($header) if ref $header;
    $claims = $JSON->encode($claims) if ref $claims;
    my $input = b64u($header) . '.' . b64u($claims);
    return $input . '.' . b64u(Digest::SHA::hmac_sha256($input, $key));
}

sub rs256_raw {
    my ($header, $claims, $keyfile) = @_;
    $header = $JSON->encode($header) if ref $header;
    $claims = $JSON->encode($claims) if ref $claims;
    my $input = b64u($header) . '.' . b64u($claims);
    my $tmp = File::Temp->new;
    print $tmp $input;
    close $tmp;
    my $sig = `openssl dgst -sha256 -sign $keyfile $tmp`;
    die "openssl dgst failed\n" if $? != 0;
    return $input . '.' . b64u($sig);
}

# GET PATH with TOKEN in Authorization (unless undef); extra headers.
sub bearer_get {
    my ($path, $token, @headers) = @_;
    push @tokens, $token if defined $token && length $token > 20;
    push @tokens, $1 if $path =~ /access_token=([^&]{20,})/;
    return Apache::TestRequest::GET($path,
        defined $token ? (Authorization => "Bearer $token") : (),
        @headers);
}

# One case, one assertion:
#   case(NAME, PATH, TOKEN, status => 401, reason => 'token_expired',
#        challenge => qr/.../, headers => [...])
# checks the status, the WWW-Authenticate (when asked) and the reason code
# of the denial logged (when asked; 'none' when nothing may be logged),
# that a log line matches each of `logged` (a regex or a list), that
# exactly one matches `once`, and that none matches `not_logged`.
sub case {
    my ($name, $path, $token, %want) = @_;
    t_start_error_log_watch();
    my $t0 = Time::HiRes::time();
    my $res = bearer_get($path, $token, @{$want{headers} || []});
    my $took = Time::HiRes::time() - $t0;
    my @log = t_finish_error_log_watch();
    my ($reason) = map { /AG00001: denied reason=(\w+)/ ? $1 : () } @log;
    my $www = join("\n", $res->header('WWW-Authenticate'));
    my @why;
    push @why, "status " . $res->code . ", wanted " . ($want{status} // 200)
        if $res->code != ($want{status} // 200);
    push @why, "challenge '$www' does not match $want{challenge}"
        if $want{challenge} && $www !~ $want{challenge};
    push @why, "challenge '$www' where none was wanted"
        if $want{no_challenge} && length $www;
    if (defined $want{reason}) {
        my $got = $reason // 'none';
        push @why, "reason logged: $got, wanted $want{reason}"
            if $got ne $want{reason};
    }
    push @why, sprintf("took %.2fs", $took)
        if $want{max_seconds} && $took > $want{max_seconds};
    for my $re (ref $want{logged} eq 'ARRAY' ? @{$want{logged}}
                                              : grep { defined } $want{logged}) {
        push @why, "no log line matches $re" unless grep { $_ =~ $re } @log;
    }
    if (my $re = $want{once}) {
        my $n = grep { $_ =~ $re } @log;
        push @why, "$n log lines match $re, wanted 1" unless $n == 1;
    }
    if (my $re = $want{not_logged}) {
        push @why, "a log line matches $re" if grep { $_ =~ $re } @log;
    }
    push @why, "body lacks $want{body}"
        if $want{body} && $res->content !~ $want{body};
    print "# $name: $_\n" for @why;
    return Apache::Test::ok(!@why);
}

# 1 when a token sent by this test appears in the error or access log.
sub token_in_logs {
    my $logs = join '', map { -f $_ ? slurp($_) : '' }
        map { Apache::Test::vars('t_logs') . "/$_" } qw(error_log access_log);
    for my $t (@tokens) {
        my @parts = split /\./, $t;
        my @needles = ($t, grep { length > 16 } @parts[1 .. $#parts]);
        for my $n (@needles) {
            if (index($logs, $n) >= 0) {
                print "# a token part is logged: ", substr($n, 0, 12), "...\n";
                return 1;
            }
        }
    }
    return 0;
}

1;
