# Digest with real clients: curl --digest, Python requests' HTTPDigestAuth,
# Perl LWP, and httpd's own mod_auth_digest over the authgate provider.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use Apache::TestRequest ();
use LWP::UserAgent;
use DigestTest;

my $PY = '/usr/bin/python3';
my $CLIENTS = "$FindBin::Bin/lib/digest_clients.py";

sub full_url {
    (my $u = url(shift)) =~ s{//localhost:}{//127.0.0.1:};
    return $u;
}

# curl --digest: the status, and what curl sent (from its -v output).
sub curl {
    my ($path, $user, $pass) = @_;
    my $url = full_url($path);
    my $out = `curl -sS -v --digest -u '$user:$pass' -o /dev/null -w 'status=%{http_code}' '$url' 2>&1`;
    my ($status) = $out =~ /status=(\d+)/;
    my @auth = $out =~ /^> Authorization: (.*?)\r?$/mg;
    return ($status // 0, $auth[-1] // '', $out);
}

sub python {
    my $out = `$PY $CLIENTS @_ 2>&1`;
    chomp $out;
    return $out;
}

# --- curl ----------------------------------------------------------------------

{
    my $mark = log_mark();
    my ($status, $auth) = curl('/digest/index.html', 'alice', 'wonderland');
    is $status, 200, 'curl --digest, SHA-256 offered first: 200';
    like $auth, qr/algorithm=SHA-256/, '... curl answered with SHA-256';
    like $auth, qr/userhash=true/, '... and a userhash';
    unlike $auth, qr/username="alice"/, '... so the name is not sent';
    like log_since($mark), qr/AG00002: granted scheme=digest user=alice/,
        '... the user the userhash names';

    ($status, $auth) = curl('/digest-md5/index.html', 'alice', 'wonderland');
    is $status, 200, 'curl --digest, MD5 only: 200';
    like $auth, qr/algorithm=MD5/, '... with MD5';

    ($status, $auth) = curl('/digest-sha256/index.html', 'alice', 'wonderland');
    is $status, 200, 'curl --digest, SHA-256 only: 200';

    # curl 7.88 names SHA-512-256 but computes it with SHA-256: refused.
    $mark = log_mark();
    ($status, $auth) = curl('/digest-sha512/index.html', 'alice', 'wonderland');
    ok $status == 401 && $auth =~ /algorithm=SHA-512-256/,
        'curl --digest, SHA-512-256 only: 401 (curl 7.88 hashes it with SHA-256)';
    is_deeply [denials($mark)], ['no_credentials', 'digest_unknown_user'],
        '... its SHA-256 userhash names nobody: digest_unknown_user';

    ($status, $auth) = curl('/digest-sess/index.html', 'alice', 'wonderland');
    my ($alg) = $auth =~ /algorithm=([\w-]+)/;
    is $status, 200, 'curl --digest, only -sess algorithms offered: 200 with '
        . ($alg // 'none');

    $mark = log_mark();
    ($status) = curl('/digest/index.html', 'alice', 'wrong');
    is $status, 401, 'curl --digest with a wrong password: 401';
    is_deeply [denials($mark)], ['no_credentials', 'digest_bad_response'],
        '... digest_bad_response';

    ($status, $auth) = curl('/digest-htdigest/index.html', 'bob', 'builder');
    is $status, 200, 'curl --digest against an htdigest file (file provider): 200';
    like $auth, qr/username="bob"/, '... no userhash offered there';

    ($status) = curl('/stock-digest/index.html', 'alice', 'wonderland');
    is $status, 200,
        "curl --digest against httpd's mod_auth_digest with AuthDigestProvider authgate: 200";
    ($status) = curl('/stock-digest/index.html', 'alice', 'wrong');
    is $status, 401, '... a wrong password there: 401';
}

# --- Python requests ---------------------------------------------------------

{
    like python('requests', full_url('/digest-md5/index.html'), 'alice', 'wonderland'),
        qr/^status=200 history=1 algorithm=MD5$/, 'requests HTTPDigestAuth, MD5: 200';
    like python('requests', full_url('/digest-sha256/index.html'), 'alice', 'wonderland'),
        qr/^status=200 history=1 algorithm=SHA-256$/,
        'requests HTTPDigestAuth, SHA-256: 200';
    # requests reads the two challenges as one and keeps the last algorithm.
    like python('requests', full_url('/digest/index.html'), 'alice', 'wonderland'),
        qr/^status=200 history=1 algorithm=MD5$/,
        'requests HTTPDigestAuth, SHA-256 and MD5 offered: 200 with MD5';
    like python('requests', full_url('/digest-md5/index.html'), 'alice', 'wrong'),
        qr/^status=401/, 'requests with a wrong password: 401';
    # requests 2.28 knows SHA-512 (plain, which RFC 7616 does not define)
    # but not SHA-512-256: it fails before sending anything.
    like python('requests', full_url('/digest-sha512/index.html'), 'alice', 'wonderland'),
        qr/^error=TypeError$/,
        'requests HTTPDigestAuth cannot answer SHA-512-256 (TypeError, nothing sent)';
    like python('stale', full_url('/digest-short/index.html'), 'alice', 'wonderland', '3.3'),
        qr/^first=200 history=1 second=200 history=1 second_401_stale=True$/,
        'requests session: the stale nonce gets stale=true, the retry 200';
}

# --- parallel requests on one nonce --------------------------------------------

{
    my $out = python('parallel', full_url('/digest/index.html'), 'alice',
                     'wonderland', 'SHA-256', 32);
    my ($first) = $out =~ /^first=(.*)$/m;
    my ($again) = $out =~ /^again=(.*)$/m;
    is $first, join(',', (200) x 32),
        '32 concurrent requests, counts 1..32 of one nonce: all 200';
    is $again, join(',', (401) x 32), 'the same 32 again: all 401';
}

# --- Perl LWP ----------------------------------------------------------------------

{
    my $hp = Apache::TestRequest::hostport();
    my $ua = LWP::UserAgent->new(keep_alive => 1);
    $ua->credentials($hp, 'digest', 'alice', 'wonderland');
    my $res = $ua->get(url('/digest/index.html'));
    is $res->code, 200, 'LWP credentials, SHA-256 and MD5 offered: 200';
    like $res->request->header('Authorization') // '', qr/algorithm="MD5"/,
        '... LWP answers with MD5';
    my @codes = map { $ua->get(url('/digest/index.html'))->code } 1 .. 12;
    is join(',', @codes), join(',', (200) x 12),
        '12 more requests, counts sent ahead of the challenge: all 200';
    like $ua->get(url('/digest/index.html'))->request->header('Authorization'),
        qr/nc=0000000E/, '... LWP writes counts in upper-case hex (0000000E)';
    $res = $ua->get(url('/digest-md5/index.html'));
    is $res->code, 200, 'LWP credentials, MD5 only: 200';
    $res = LWP::UserAgent->new->get(url('/digest-md5/index.html'));
    is $res->code, 401, 'LWP without credentials: 401';
    # LWP answers each challenge (SHA-256's and MD5's) with the wrong
    # password, and hands back the first 401, of the request it made
    # without credentials: the log shows what it sent
    my $wrong = LWP::UserAgent->new(keep_alive => 1);
    $wrong->credentials($hp, 'digest', 'alice', 'wrong');
    my $mark = log_mark();
    $res = $wrong->get(url('/digest/index.html'));
    is $res->code, 401, 'LWP credentials with a wrong password: 401';
    my @why = denials($mark);
    ok @why > 1 && !grep({ $_ ne 'no_credentials' && $_ ne 'digest_bad_response' } @why)
        && grep({ $_ eq 'digest_bad_response' } @why),
        '... its answers refused as digest_bad_response' or diag "@why";
}

# A user agent that asks its user for the password, counting the asks:
# stale=true must make it retry without asking.
package PromptingUA {
    use parent -norequire, 'LWP::UserAgent';
    our $asked = 0;
    sub get_basic_credentials {
        $asked++;
        return ('alice', 'wonderland');
    }
}
{
    my $ua = PromptingUA->new(keep_alive => 1);
    my $res = $ua->get(url('/digest-short/index.html'));
    is $res->code, 200, 'a prompting LWP client: 200';
    is $PromptingUA::asked, 1, '... its user was asked once';
    sleep 4;
    my $mark = log_mark();
    $res = $ua->get(url('/digest-short/index.html'));
    is $res->code, 200, 'after the nonce expired: 200';
    is $PromptingUA::asked, 1, '... without asking its user again (stale=true)';
    is_deeply [denials($mark)], ['digest_stale'],
        '... the old nonce was refused as digest_stale first';

    # Without stale=true (a nonce not made here) the same client asks again.
    $ua->add_handler(request_prepare => sub {
        my $req = shift;
        my $a = $req->header('Authorization') or return;
        $a =~ s/nonce="[^"]{10}/nonce="AAAAAAAAAA/;
        $req->header(Authorization => $a);
    });
    $res = $ua->get(url('/digest-short/index.html'));
    cmp_ok $PromptingUA::asked, '>', 1,
        'a refusal without stale=true makes the same client ask its user';
}

done_testing;
