# Helpers of the Digest tests: challenges parsed, Digest responses
# computed by hand (RFC 7616), and the error log read since a mark.
package DigestTest;

use strict;
use warnings FATAL => 'all';

use Digest::MD5 qw(md5_hex);
use Digest::SHA qw(sha256_hex sha512256_hex);
use Exporter 'import';
use Apache::Test ();
use Apache::TestRequest ();

our @EXPORT = qw(H parse_challenge challenges digest_auth fresh_challenge
                 log_mark log_since denials url sent_responses
                 gate_location);

my @sent;    # every response hash sent, for the no-secret-in-log check

# A <Location "/"> of Digest through the gate, with the suite's user file
# (alice, wonderland): the body of a test's own server (OwnServer).
sub gate_location {
    my $root = Apache::Test::vars('serverroot');
    return <<"EOF";
<Location "/">
    AuthType AuthGate
    AuthName "digest"
    AuthGateSchemes Digest
    AuthGateDigestProvider authgate
    AuthGateUserFile "$root/conf/digest.users"
    Require valid-user
    AuthzSendForbiddenOnFailure On
</Location>
EOF
}

# hex(H(S)) for ALG (its -sess variant hashes the same way).
sub H {
    my ($alg, $s) = @_;
    (my $a = uc $alg) =~ s/-SESS$//;
    return md5_hex($s) if $a eq 'MD5';
    return sha256_hex($s) if $a eq 'SHA-256';
    return sha512256_hex($s) if $a eq 'SHA-512-256';
    die "no hash for $alg";
}

# The parameters of one "Digest ..." challenge, names in lower case.
sub parse_challenge {
    my $v = shift;
    return unless defined $v && $v =~ s/^\s*Digest\s+//i;
    my %p;
    while ($v =~ /\G\s*,?\s*([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gc) {
        my ($k, $q, $t) = ($1, $2, $3);
        if (defined $q) {
            $q =~ s/\\(.)/$1/g;
            $p{lc $k} = $q;
        }
        else {
            $p{lc $k} = $t;
        }
    }
    return \%p;
}

# The Digest challenges of a response, in order.
sub challenges {
    my ($res, $header) = @_;
    return grep { defined } map { parse_challenge($_) }
        $res->header($header // 'WWW-Authenticate');
}

# A fresh challenge of PATH (the first one, or the one of ALG).
sub fresh_challenge {
    my ($path, $alg) = @_;
    my $res = Apache::TestRequest::GET($path);
    my @c = challenges($res);
    return $c[0] unless $alg;
    my ($c) = grep { lc($_->{algorithm} // '') eq lc $alg } @c;
    return $c;
}

# An Authorization value answering CHALLENGE (a hash of its parameters)
# for USER with PASSWORD (or HA1), METHOD and URI.  Options: algorithm,
# qop, nc (a number) or nc_text, cnonce, body (auth-int), userhash,
# username_star (RFC 8187 form), realm, nonce, opaque (override the
# challenge's), response (send this instead of the right one).
# In list context: the value, the response hash sent, the cnonce and the
# HA1; so a header list takes it as `Authorization => scalar digest_auth`.
sub digest_auth {
    my %a = @_;
    my $c = $a{challenge} || {};
    my $alg = $a{algorithm} // $c->{algorithm} // 'MD5';
    my $realm = $a{realm} // $c->{realm};
    my $nonce = $a{nonce} // $c->{nonce};
    my $opaque = exists $a{opaque} ? $a{opaque} : $c->{opaque};
    my $qop = $a{qop} // 'auth';
    my $nc = $a{nc_text} // sprintf('%08x', $a{nc} // 1);
    my $cnonce = $a{cnonce} // sprintf('c%08x', int(rand(0xffffffff)));
    my $method = $a{method} // 'GET';
    my $ha1 = $a{ha1} // H($alg, "$a{user}:$realm:$a{password}");
    $ha1 = H($alg, "$ha1:$nonce:$cnonce") if $alg =~ /-sess$/i;
    my $a2 = "$method:$a{uri}";
    $a2 .= ':' . H($alg, $a{body} // '') if $qop eq 'auth-int';
    my $response = $a{response}
        // H($alg, join ':', $ha1, $nonce, $nc, $cnonce, $qop, H($alg, $a2));
    push @sent, $response;
    my @p;
    if ($a{userhash}) {
        push @p, 'username="' . H($alg, "$a{user}:$realm") . '"';
    }
    elsif ($a{username_star}) {
        (my $u = $a{user}) =~ s/([^A-Za-z0-9!#\$&+\-.^_`|~])/sprintf('%%%02X', ord $1)/ge;
        push @p, "username*=UTF-8''$u";
    }
    else {
        push @p, qq{username="$a{user}"};
    }
    push @p, qq{realm="$realm"}, qq{nonce="$nonce"}, qq{uri="$a{uri}"},
        "algorithm=$alg", "qop=$qop", "nc=$nc", qq{cnonce="$cnonce"},
        qq{response="$response"};
    push @p, qq{opaque="$opaque"} if defined $opaque;
    push @p, 'userhash=true' if $a{userhash};
    my $value = 'Digest ' . join(', ', @p);
    return wantarray ? ($value, $response, $cnonce, $ha1) : $value;
}

sub sent_responses { return @sent }

sub url {
    my ($path, $vhost) = @_;
    Apache::TestRequest::module($vhost // 'default');
    my $hp = Apache::TestRequest::hostport();
    Apache::TestRequest::module('default');
    return "http://$hp$path";
}

sub log_path { return Apache::Test::vars('t_logs') . '/error_log' }

sub log_mark { return -s log_path() // 0 }

# The error log written since MARK.
sub log_since {
    my $mark = shift;
    open my $fh, '<', log_path() or die "error_log: $!";
    seek $fh, $mark, 0;
    local $/;
    my $s = <$fh>;
    return $s // '';
}

# The reason codes of the denials logged since MARK, in order.
sub denials {
    my $mark = shift;
    return log_since($mark) =~ /AG00001: denied reason=(\w+)/g;
}

1;
