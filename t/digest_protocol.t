# Digest (RFC 7616) with responses computed by hand: challenges, every
# refusal and its reason code in the error log, nonce-count windows,
# -sess, auth-int, userhash, username*, stale nonces, Authentication-Info.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use Apache::TestRequest qw(GET POST);
use DigestTest;

my $JASON = "J\xc3\xa4s\xc3\xb8n Doe";

# GET PATH with an Authorization answering challenge C for alice.
sub alice {
    my ($path, $c, %o) = @_;
    my $v = digest_auth(challenge => $c, user => 'alice',
                        password => 'wonderland', uri => $path, %o);
    return GET $path, Authorization => $v;
}

# --- challenges --------------------------------------------------------------

{
    my $res = GET '/digest/index.html';
    is $res->code, 401, 'no credentials: 401';
    my @v = $res->header('WWW-Authenticate');
    is scalar(@v), 2, 'two challenges, one header line each';
    like $v[0], qr/^Digest realm="digest", qop="auth", algorithm=SHA-256, nonce="[A-Za-z0-9_-]{48}", opaque="[A-Za-z0-9_-]+", charset=UTF-8, userhash=true$/,
        'SHA-256 first, with realm, qop, algorithm, nonce, opaque, charset, userhash';
    like $v[1], qr/algorithm=MD5,/, 'MD5 second';
    my @c = challenges($res);
    is $c[0]{nonce}, $c[1]{nonce}, 'one nonce for both challenges';
    ok !exists $c[0]{stale}, 'no stale on a first challenge';

    $res = GET '/digest-htdigest/index.html';
    unlike scalar($res->header('WWW-Authenticate')), qr/userhash/,
        'no userhash where the authgate provider is not used';
    $res = GET '/digest-int/index.html';
    like scalar($res->header('WWW-Authenticate')), qr/qop="auth,auth-int"/,
        'qop list without spaces';
    $res = GET '/digest-sess/index.html';
    is join(' ', map { $_->{algorithm} } challenges($res)),
        'SHA-256-sess MD5-sess SHA-512-256-sess',
        'AuthGateDigestAlgorithms order';
    $res = GET '/digest-mixed/index.html';
    my @all = $res->header('WWW-Authenticate');
    ok @all == 2 && $all[0] =~ /^Digest / && $all[1] eq 'Basic realm="digest"',
        'Digest beside Basic, in AuthGateSchemes order';
}

# --- success, with every algorithm ------------------------------------------

for my $alg (qw(SHA-256 MD5)) {
    my $c = fresh_challenge('/digest/index.html', $alg);
    my $mark = log_mark();
    my ($v, $resp, $cnonce, $ha1) =
        digest_auth(challenge => $c, user => 'alice', password => 'wonderland',
                    uri => '/digest/index.html');
    my $res = GET '/digest/index.html', Authorization => $v;
    is $res->code, 200, "$alg: right response, 200";
    like $res->content, qr/digest ok/, "$alg: the document";
    my $info = $res->header('Authentication-Info') // '';
    my $rspauth = H($alg, join ':', $ha1, $c->{nonce}, '00000001', $cnonce,
                    'auth', H($alg, ':/digest/index.html'));
    is $info, qq{rspauth="$rspauth", cnonce="$cnonce", nc=00000001, qop=auth},
        "$alg: Authentication-Info with the right rspauth";
    like log_since($mark), qr/AG00002: granted scheme=digest user=alice/,
        "$alg: the grant is logged";
}
# Good credentials for a document that is not there: the 404 still says
# Authentication-Info, whose rspauth and nextnonce the client needs.
{
    my $c = fresh_challenge('/digest/index.html', 'SHA-256');
    my $res = alice('/digest/no-such-file.html', $c);
    is $res->code, 404, 'good credentials, no document: 404';
    like $res->header('Authentication-Info') // '',
        qr/^rspauth="[0-9a-f]{64}", cnonce="[^"]+", nc=00000001, qop=auth$/,
        '... with Authentication-Info';
}
{
    my $c = fresh_challenge('/digest-sha512/index.html');
    is $c->{algorithm}, 'SHA-512-256', 'SHA-512-256 challenge';
    is alice('/digest-sha512/index.html', $c)->code, 200,
        'SHA-512-256 (FIPS 180-4 SHA-512/256) response: 200';
}
for my $alg (qw(SHA-512-256-sess SHA-256-sess MD5-sess)) {
    my $c = fresh_challenge('/digest-sess/index.html', $alg);
    is alice('/digest-sess/index.html', $c)->code, 200, "$alg: 200";
    my $c2 = fresh_challenge('/digest-sess/index.html', $alg);
    (my $plain = $alg) =~ s/-sess$//;
    my $v = digest_auth(challenge => $c2, user => 'alice',
                        password => 'wonderland', uri => '/digest-sess/index.html',
                        algorithm => $plain);
    my $mark = log_mark();
    is GET('/digest-sess/index.html', Authorization => $v)->code, 401,
        "$plain where only $alg is offered: 401";
    is_deeply [denials($mark)], ['digest_bad_response'],
        "... logged as digest_bad_response";
}
{
    my $c = fresh_challenge('/digest/cgi/env.cgi', 'SHA-256');
    my $res = alice('/digest/cgi/env.cgi', $c);
    my $env = $res->content;
    ok $res->code == 200 && $env =~ /^AUTH_TYPE=Digest$/m &&
       $env =~ /^AUTHGATE_SCHEME=digest$/m && $env =~ /^AUTHGATE_USER=alice$/m &&
       $env =~ /^REMOTE_USER=alice$/m,
        'the CGI sees AUTH_TYPE=Digest, AUTHGATE_SCHEME, AUTHGATE_USER, REMOTE_USER';
}

{
    # mod_dir answers /digest/ through a subrequest for index.html: the
    # count the request carries is spent once, not again by the subrequest.
    my $c = fresh_challenge('/digest/', 'SHA-256');
    my $res = alice('/digest/', $c);
    is $res->code, 200, 'a directory index (mod_dir subrequest): 200';
    like $res->content, qr/digest ok/, '... the index document';
    is alice('/digest/', $c)->code, 401, '... and its count is used up';

    # The index of /digest-idx/ is /digest/cgi/env.cgi: another location,
    # so the subrequest is authenticated again, with the same credentials.
    $c = fresh_challenge('/digest-idx/', 'SHA-256');
    my $mark = log_mark();
    $res = alice('/digest-idx/', $c);
    is $res->code, 200, 'an index in another location (a subrequest): 200';
    like $res->content, qr/^REMOTE_USER=alice$/m, '... the CGI ran for alice';
    is_deeply [denials($mark)], [], '... the subrequest reused the count '
        . 'without a replay refusal';

    # A subrequest is a GET whatever the client sent: its response is
    # checked against the client's method, the one the client hashed.
    # (No body: the CGI does not read one, and mod_cgid may then reset.)
    $c = fresh_challenge('/digest-idx/', 'SHA-256');
    $mark = log_mark();
    $res = POST '/digest-idx/', content => '',
        Authorization => scalar digest_auth(
            challenge => $c, user => 'alice', password => 'wonderland',
            uri => '/digest-idx/', method => 'POST');
    is $res->code, 200, 'a POST whose index is in another location: 200';
    like $res->content, qr/^REMOTE_USER=alice$/m, '... the CGI ran for alice';
    is_deeply [denials($mark)], [], '... and nothing was refused';
}

# --- userhash and username* ---------------------------------------------------

for my $alg (qw(SHA-256 MD5)) {
    my $c = fresh_challenge('/digest/cgi/env.cgi', $alg);
    my $res = alice('/digest/cgi/env.cgi', $c, userhash => 1);
    is $res->code, 200, "$alg userhash: 200";
    like $res->content, qr/^REMOTE_USER=alice$/m,
        "$alg userhash: the user is the one the userhash names";
}
{
    my $c = fresh_challenge('/digest-other/index.html');
    my $v = digest_auth(challenge => $c, user => 'alice',
                        password => 'wonderland', uri => '/digest-other/index.html',
                        userhash => 1, realm => 'other');
    is GET('/digest-other/index.html', Authorization => $v)->code, 200,
        'userhash in realm "other": its own user';
    my $uh = H('SHA-256', 'alice:digest');
    $c = fresh_challenge('/digest-other/index.html', 'SHA-256');
    $v = digest_auth(challenge => $c, user => 'alice', password => 'wonderland',
                     uri => '/digest-other/index.html', userhash => 1);
    $v =~ s/username="[0-9a-f]+"/username="$uh"/;
    my $mark = log_mark();
    is GET('/digest-other/index.html', Authorization => $v)->code, 401,
        'the userhash of realm "digest" is nobody in realm "other"';
    is_deeply [denials($mark)], ['digest_unknown_user'],
        '... digest_unknown_user';
}
{
    my $c = fresh_challenge('/digest/cgi/env.cgi', 'SHA-256');
    my $v = digest_auth(challenge => $c, user => $JASON,
                        password => 'Secret, or not?', uri => '/digest/cgi/env.cgi',
                        username_star => 1);
    like $v, qr/username\*=UTF-8''J%C3%A4s%C3%B8n%20Doe/, 'username* sent';
    my $res = GET '/digest/cgi/env.cgi', Authorization => $v;
    is $res->code, 200, 'username* (RFC 8187) with a UTF-8 name: 200';
    like $res->content, qr/^AUTHGATE_USER=\Q$JASON\E$/m, '... the decoded name';

    # the same name in Latin-1: not the UTF-8 the ext-value declares
    $c = fresh_challenge('/digest/cgi/env.cgi', 'SHA-256');
    $v = digest_auth(challenge => $c, user => $JASON,
                     password => 'Secret, or not?', uri => '/digest/cgi/env.cgi',
                     username_star => 1);
    $v =~ s/J%C3%A4s%C3%B8n/J%E4s%F8n/ or die 'no username* to change';
    my $mark = log_mark();
    is GET('/digest/cgi/env.cgi', Authorization => $v)->code, 400,
        'username* whose octets are not UTF-8: 400';
    is_deeply [denials($mark)], ['malformed'], '... malformed';
}

# --- refusals -------------------------------------------------------------------

{
    my $c = fresh_challenge('/digest/index.html', 'SHA-256');
    my $mark = log_mark();
    my $v = digest_auth(challenge => $c, user => 'alice', password => 'wrong',
                        uri => '/digest/index.html');
    my $res = GET '/digest/index.html', Authorization => $v;
    is $res->code, 401, 'wrong password: 401';
    my @c = challenges($res);
    ok @c == 2 && !exists $c[0]{stale}, '... fresh challenges, no stale';
    isnt $c[0]{nonce}, $c->{nonce}, '... with a new nonce';
    is_deeply [denials($mark)], ['digest_bad_response'],
        '... logged once as digest_bad_response';
    like log_since($mark), qr/reason=digest_bad_response scheme=digest client=\S+ user=alice/,
        '... naming the scheme and the user';
    is alice('/digest/index.html', $c, nc => 1)->code, 200,
        'a wrong response did not use up the nonce-count it carried';

    $mark = log_mark();
    $c = fresh_challenge('/digest/index.html', 'SHA-256');
    $v = digest_auth(challenge => $c, user => 'mallory', password => 'x',
                     uri => '/digest/index.html');
    is GET('/digest/index.html', Authorization => $v)->code, 401,
        'unknown user: 401';
    is_deeply [denials($mark)], ['no_credentials', 'digest_unknown_user'],
        '... digest_unknown_user';
}
{
    my $c = fresh_challenge('/digest/index.html', 'SHA-256');
    my $mark = log_mark();
    is alice('/digest/index.html', $c, nc => 1)->code, 200, 'nc 1: 200';
    my $res = alice('/digest/index.html', $c, nc => 1);
    is $res->code, 401, 'nc 1 again (replay): 401';
    ok !grep({ exists $_->{stale} } challenges($res)), '... no stale=true';
    is alice('/digest/index.html', $c, nc => 5)->code, 200, 'nc 5: 200';
    is alice('/digest/index.html', $c, nc => 3)->code, 200, 'nc 3 after 5: 200';
    is alice('/digest/index.html', $c, nc => 4)->code, 200, 'nc 4 after 3: 200';
    is alice('/digest/index.html', $c, nc => 3)->code, 401, 'nc 3 again: 401';
    is alice('/digest/index.html', $c, nc => 4)->code, 401, 'nc 4 again: 401';
    is alice('/digest/index.html', $c, nc => 5)->code, 401, 'nc 5 again: 401';
    is alice('/digest/index.html', $c, nc => 2)->code, 200, 'nc 2, late: 200';
    # the window holds 1,024 counts (ag_nonce.h)
    is alice('/digest/index.html', $c, nc => 1100)->code, 200, 'nc 1100: 200';
    is alice('/digest/index.html', $c, nc => 76)->code, 401,
        'nc 76, 1024 below 1100: below the window, 401';
    is alice('/digest/index.html', $c, nc => 77)->code, 200,
        'nc 77, 1023 below: inside the window, 200';
    is alice('/digest/index.html', $c, nc_text => '0000044c')->code, 401,
        'nc 1100 again in hex: 401';
    is_deeply [denials($mark)],
        [('digest_replay') x 6],
        'replays and the count below the window: digest_replay each';
    like log_since($mark), qr/AG00414: nonce-count 0000004c: below_window/,
        'the log tells a count below the window from a replay';
}
{
    # A wrong response must not move the window either.
    my $c = fresh_challenge('/digest/index.html', 'SHA-256');
    is alice('/digest/index.html', $c, nc => 1)->code, 200, 'nc 1 of a new nonce';
    my $v = digest_auth(challenge => $c, user => 'alice', password => 'wrong',
                        uri => '/digest/index.html', nc => 5000);
    is GET('/digest/index.html', Authorization => $v)->code, 401,
        'nc 5000 with a wrong password: 401';
    is alice('/digest/index.html', $c, nc => 2)->code, 200,
        'nc 2 still inside the window: the wrong response moved nothing';
}
{
    my $c = fresh_challenge('/digest/index.html', 'SHA-256');
    (my $forged = $c->{nonce}) =~ s/^(.{20})(.)/$1 . ($2 eq 'A' ? 'B' : 'A')/e;
    my $mark = log_mark();
    my $res = alice('/digest/index.html', $c, nonce => $forged);
    is $res->code, 401, 'forged nonce: 401';
    ok !grep({ exists $_->{stale} } challenges($res)),
        '... without stale=true';
    is_deeply [denials($mark)], ['digest_bad_response'],
        '... digest_bad_response';
    like log_since($mark), qr/AG00416: Digest response with a nonce not made here/,
        '... refused as a nonce not made here (before any store lookup)';

    $mark = log_mark();
    $c = fresh_challenge('/digest/index.html', 'SHA-256');
    my $v = digest_auth(challenge => $c, user => 'alice', password => 'wonderland',
                        uri => '/digest-other/index.html', realm => 'other',
                        opaque => fresh_challenge('/digest-other/')->{opaque});
    $res = GET '/digest-other/index.html', Authorization => $v;
    is $res->code, 401, 'a nonce of realm "digest" in realm "other": 401';
    ok !grep({ exists $_->{stale} } challenges($res)), '... without stale=true';
    like log_since($mark), qr/AG00416: Digest response with a nonce not made here/,
        '... a foreign nonce';

    my $rfc = { %$c, nonce => 'dcd98b7102dd2f0e8b11d0f600bfb0c093' };
    is alice('/digest/index.html', $rfc)->code, 401,
        "someone else's nonce (RFC 2617's): 401";
}
{
    my $c = fresh_challenge('/digest/index.html', 'SHA-256');
    my $mark = log_mark();
    my $v = digest_auth(challenge => $c, user => 'alice', password => 'wonderland',
                        uri => '/digest/other.html');
    my $res = GET '/digest/index.html', Authorization => $v;
    is $res->code, 400, 'uri parameter of another document: 400';
    is_deeply [denials($mark)], ['malformed'], '... malformed';
    like log_since($mark), qr/AG00415: the uri parameter is not this request's/,
        '... because of the uri';
    is alice('/digest/index.html?a=1', $c, uri => '/digest/index.html')->code,
        400, 'uri without the query of the request: 400';
    is alice('/digest/index.html?a=1', $c, nc => 2)->code, 200,
        'uri with the query: 200';
    my $hp = Apache::TestRequest::hostport();
    is alice('/digest/index.html', $c, nc => 3,
             uri => "http://$hp/digest/index.html")->code, 200,
        'uri in absolute form for an origin-form request: 200';
}
{
    my $c = fresh_challenge('/digest/index.html', 'SHA-256');
    my $mark = log_mark();
    my $v = digest_auth(challenge => $c, user => 'alice', password => 'wonderland',
                        uri => '/digest/index.html');
    (my $plain512 = $v) =~ s/algorithm=SHA-256/algorithm=SHA-512/;
    is GET('/digest/index.html', Authorization => $plain512)->code, 401,
        'algorithm=SHA-512 (not an RFC 7616 algorithm): 401';
    $v = digest_auth(challenge => $c, user => 'alice', password => 'wonderland',
                     uri => '/digest/index.html', algorithm => 'SHA-512-256');
    is GET('/digest/index.html', Authorization => $v)->code, 401,
        'a right SHA-512-256 response where it is not offered: 401';
    is alice('/digest/index.html', $c, qop => 'auth-int')->code, 401,
        'qop=auth-int where only auth is offered: 401';
    is alice('/digest/index.html', $c, opaque => 'other')->code, 401,
        'another opaque: 401';
    is_deeply [denials($mark)], [('digest_bad_response') x 4],
        '... each digest_bad_response';
    $mark = log_mark();
    ($v = digest_auth(challenge => $c, user => 'alice', password => 'wonderland',
                      uri => '/digest/index.html')) =~ s/, qop=auth//;
    is GET('/digest/index.html', Authorization => $v)->code, 400,
        'no qop (RFC 2069): 400';
    my $full = digest_auth(challenge => $c, user => 'alice',
                           password => 'wonderland', uri => '/digest/index.html');
    is GET('/digest/index.html', Authorization => "$full, nc=00000002")->code,
        400, 'a parameter twice: 400';
    is GET('/digest/index.html', Authorization => 'Digest YWxpY2U6d29uZGVy')->code,
        400, 'token68 form: 400';
    is_deeply [denials($mark)], [('malformed') x 3], '... malformed';
}

# --- auth-int ---------------------------------------------------------------------

{
    my $body = 'name=value&other=' . ('x' x 5000);
    my $c = fresh_challenge('/digest-int/cgi/digest-body.cgi', 'SHA-256');
    my $v = digest_auth(challenge => $c, user => 'alice', password => 'wonderland',
                        uri => '/digest-int/cgi/digest-body.cgi', method => 'POST',
                        qop => 'auth-int', body => $body);
    my $res = POST '/digest-int/cgi/digest-body.cgi', Authorization => $v,
        content => $body;
    is $res->code, 200, 'auth-int with the right body hash: 200';
    is $res->content, "user=alice\nlength=" . length($body) . "\nbody=$body\n",
        '... and the body reached the handler whole';
    $v = digest_auth(challenge => $c, user => 'alice', password => 'wonderland',
                     uri => '/digest-int/cgi/digest-body.cgi', method => 'POST',
                     qop => 'auth-int', body => $body, nc => 2);
    my $mark = log_mark();
    is POST('/digest-int/cgi/digest-body.cgi', Authorization => $v,
            content => "${body}y")->code, 401,
        'auth-int with another body: 401';
    is_deeply [denials($mark)], ['digest_bad_response'], '... digest_bad_response';
    $v = digest_auth(challenge => $c, user => 'alice', password => 'wonderland',
                     uri => '/digest-int/cgi/digest-body.cgi', method => 'POST',
                     qop => 'auth', nc => 3);
    is POST('/digest-int/cgi/digest-body.cgi', Authorization => $v,
            content => $body)->code, 200, 'qop=auth where both are offered: 200';
    my $big = 'z' x (64 * 1024 + 1);
    $v = digest_auth(challenge => $c, user => 'alice', password => 'wonderland',
                     uri => '/digest-int/cgi/digest-body.cgi', method => 'POST',
                     qop => 'auth-int', body => $big, nc => 4);
    $mark = log_mark();
    is POST('/digest-int/cgi/digest-body.cgi', Authorization => $v,
            content => $big)->code, 413, 'auth-int with a body over 64 KiB: 413';
    is_deeply [denials($mark)], ['malformed'], '... malformed';

    # The index of /digest-int-idx/ is the CGI in /digest-int/: mod_dir's
    # subrequest is authenticated again with the same auth-int
    # credentials, and the body it was hashed from still reaches the CGI.
    my $ci = fresh_challenge('/digest-int-idx/', 'SHA-256');
    $v = digest_auth(challenge => $ci, user => 'alice', password => 'wonderland',
                     uri => '/digest-int-idx/', method => 'POST',
                     qop => 'auth-int', body => $body);
    $mark = log_mark();
    my $ires = POST('/digest-int-idx/', Authorization => $v, content => $body);
    is $ires->code, 200, 'auth-int, an index in another location (a subrequest): 200';
    is $ires->content, "user=alice\nlength=" . length($body) . "\nbody=$body\n",
        '... and the body reached the CGI whole';
    is_deeply [denials($mark)], [], '... with no refusal';
    $v = digest_auth(challenge => $c, user => 'alice', password => 'wonderland',
                     uri => '/digest-int/cgi/digest-body.cgi', qop => 'auth-int',
                     nc => 5);
    is GET('/digest-int/cgi/digest-body.cgi', Authorization => $v)->code, 200,
        'auth-int without a body (the hash of nothing): 200';
}

# --- stale nonces and nextnonce ------------------------------------------------

{
    my $c = fresh_challenge('/digest-short/index.html', 'MD5');
    my ($v, undef, undef, $ha1) = digest_auth(
        challenge => $c, user => 'alice', password => 'wonderland',
        uri => '/digest-short/index.html');
    my $res = GET '/digest-short/index.html', Authorization => $v;
    is $res->code, 200, 'a 3 s nonce, at once: 200';
    unlike $res->header('Authentication-Info') // '', qr/nextnonce/,
        '... no nextnonce yet';
    select undef, undef, undef, 2.6;
    $res = GET '/digest-short/index.html',
        Authorization => scalar digest_auth(
            challenge => $c, user => 'alice', ha1 => $ha1,
            uri => '/digest-short/index.html', nc => 2);
    is $res->code, 200, 'after 2.6 s: 200';
    like $res->header('Authentication-Info') // '', qr/nextnonce="[A-Za-z0-9_-]{48}"/,
        '... with a nextnonce: less than a fifth of its life is left';
    select undef, undef, undef, 0.6;
    my $mark = log_mark();
    $res = GET '/digest-short/index.html',
        Authorization => scalar digest_auth(
            challenge => $c, user => 'alice', ha1 => $ha1,
            uri => '/digest-short/index.html', nc => 3);
    is $res->code, 401, 'after 3.2 s, a right response: 401';
    my @c = challenges($res);
    ok @c == 2 && $c[0]{stale} eq 'true' && $c[1]{stale} eq 'true',
        '... stale=true on each challenge';
    is_deeply [denials($mark)], ['digest_stale'], '... digest_stale';
    # The client retries with what it already has (HA1), asking nobody.
    $res = GET '/digest-short/index.html',
        Authorization => scalar digest_auth(
            challenge => $c[0], user => 'alice', ha1 => $ha1,
            uri => '/digest-short/index.html');
    is $res->code, 200, 'the retry with the fresh nonce and the same HA1: 200';

    $mark = log_mark();
    $v = digest_auth(challenge => $c[0], user => 'alice', password => 'wrong',
                     uri => '/digest-short/index.html', nc => 2);
    select undef, undef, undef, 3.2;
    $res = GET '/digest-short/index.html', Authorization => $v;
    ok $res->code == 401 && !grep({ exists $_->{stale} } challenges($res)),
        'a wrong response with a stale nonce: no stale=true';
    is_deeply [denials($mark)], ['digest_bad_response'], '... digest_bad_response';
}

# --- htdigest through mod_authn_file ----------------------------------------------

{
    my $c = fresh_challenge('/digest-htdigest/index.html');
    is $c->{algorithm}, 'MD5', 'htdigest location offers MD5';
    my $v = digest_auth(challenge => $c, user => 'bob', password => 'builder',
                        uri => '/digest-htdigest/index.html');
    is GET('/digest-htdigest/index.html', Authorization => $v)->code, 200,
        'a user of a plain htdigest file (file provider): 200';
    my $mark = log_mark();
    is alice('/digest-htdigest/index.html', $c, nc => 2)->code, 401,
        'a user not in it: 401';
    is_deeply [denials($mark)], ['digest_unknown_user'], '... digest_unknown_user';
}

# --- nothing secret in the log -------------------------------------------------

{
    my $log = log_since(0);
    open my $fh, '<', Apache::Test::vars('t_logs') . '/access_log' or die $!;
    my $access = do { local $/; <$fh> };
    my @leaks = grep { index($log, $_) >= 0 || index($access, $_) >= 0 }
        sent_responses();
    is scalar(@leaks), 0, 'no response hash sent appears in the error or '
        . 'access log (' . scalar(sent_responses()) . ' checked)';
    unlike $log . $access, qr/wonderland|Secret, or not\?|builder/,
        'no password appears in the error or access log';
    unlike $log, qr/\[authgate:(error|crit|alert|emerg)\]/,
        'no authgate error in the log';
}

done_testing;
