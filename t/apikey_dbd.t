# API keys through mod_dbd and SQLite: lookups, a key as the Basic
# password, and what a broken database gets (503, never 200).
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);
use Digest::SHA qw(sha256_hex);
use MIME::Base64 qw(encode_base64);

use FindBin;
use lib "$FindBin::Bin/lib";
use AuthGateTest qw(log_mark);
use AuthGateTestKeys qw(%KEY %KEY_ID);

plan tests => 47;

my $db = Apache::Test::vars('serverroot') . '/apikeys.db';
Apache::TestRequest::module('authgate_apikey_dbd');

sub sqlite {
    my $sql = shift;
    open my $fh, '|-', 'sqlite3', '-bail', $db or die "sqlite3: $!";
    print $fh $sql;
    close $fh or die "sqlite3 failed: $?";
}

sub sqlq { my $v = shift; defined $v ? "'$v'" : 'NULL' }

sub make_db {
    unlink $db;
    my $rows = '';
    for my $r (
        # key, id, user, scopes, expires, revoked_at
        [$KEY{dbalice}, 'db-alice', 'alice-db', '  read   write ', undef, undef],
        [$KEY{dbold}, 'db-old', 'old', 'read', 1600000000, undef],
        [$KEY{dbnull}, undef, 'nulls', undef, undef, undef],
        [$KEY{dbplain}, undef, 'legacy', '', undef, undef],
        [$KEY{dbbad}, 'db-bad', 'bad', 'read', 'soon', undef],
        [$KEY{dbrevoked}, 'db-revoked', 'gone', 'read', undef, 1700000000],
    ) {
        my ($key, @v) = @$r;
        $rows .= sprintf "INSERT INTO api_keys VALUES (%s, %s);\n",
            sqlq(sha256_hex($key)), join ", ", map { sqlq($_) } @v;
    }
    sqlite(<<"SQL");
CREATE TABLE api_keys (
    key_sha256  CHAR(64) PRIMARY KEY,
    id          VARCHAR(64) UNIQUE,
    username    VARCHAR(255) NOT NULL,
    scopes      VARCHAR(1024),
    expires     BIGINT,
    revoked_at  BIGINT
);
$rows
SQL
}

sub env_of {
    my $res = shift;
    return { map { /^(\w+)=(.*)$/ ? ($1 => $2) : () } split /\n/, $res->content };
}

sub basic { 'Basic ' . encode_base64("$_[0]:$_[1]", '') }

# GET, and the gate's lines of this server's error log meanwhile (it logs
# before the response leaves).
sub get_logged {
    my $mark = log_mark('apikey_error_log');
    my $res = GET @_;
    open my $fh, '<', Apache::Test::vars('t_logs') . '/apikey_error_log'
        or die "apikey_error_log: $!";
    seek $fh, $mark, 0;
    my @lines = grep { /AG00\d+:/ } <$fh>;
    return ($res, join '', @lines);
}

my ($res, $log, $env);

make_db();

# --- lookups -----------------------------------------------------------
$res = GET '/apikey/dbd/env.cgi', 'X-API-Key' => $KEY{dbalice};
ok t_cmp($res->code, 200, 'a key in the database: 200');
$env = env_of($res);
ok t_cmp($env->{REMOTE_USER}, 'alice-db', 'its user');
ok t_cmp($env->{AUTHGATE_SCOPE}, 'read write', 'its scopes, white space tidied');
ok t_cmp($env->{AUTHGATE_KEY_ID}, 'db-alice', 'the id column');

($res, $log) = get_logged '/apikey/dbd/env.cgi', 'X-API-Key' => $KEY{dbold};
ok t_cmp($res->code, 401, 'an expired key: 401');
ok t_cmp($log, qr/reason=apikey_expired scheme=apikey .*user=old key_id=db-old/,
         'apikey_expired logged');

($res, $log) = get_logged '/apikey/dbd/env.cgi', 'X-API-Key' => $KEY{alice};
ok t_cmp($res->code, 401, 'a key not in the database: 401');
ok t_cmp($log, qr/reason=apikey_unknown/, 'apikey_unknown logged');
ok t_cmp($res->header('WWW-Authenticate'),
         'ApiKey realm="db", header="X-API-Key"', 'with the challenge');

($res, $log) = get_logged '/apikey/dbd/env.cgi', 'X-API-Key' => $KEY{dbrevoked};
ok t_cmp($res->code, 401, 'a key revoked in the database: 401');
ok t_cmp($log, qr/reason=apikey_unknown/, 'unknown to the query');

$res = GET '/apikey/dbd/env.cgi', Authorization => "ApiKey $KEY{dbnull}";
ok t_cmp($res->code, 200, 'NULL scopes and expiry: 200');
$env = env_of($res);
ok !exists $env->{AUTHGATE_SCOPE};
ok t_cmp($env->{AUTHGATE_KEY_ID}, $KEY_ID{dbnull}, 'id read from the key');

$res = GET '/apikey/dbd/env.cgi', 'X-API-Key' => $KEY{dbplain};
ok t_cmp($res->code, 200, "a key of the operator's own form");
ok !exists env_of($res)->{AUTHGATE_KEY_ID};

($res, $log) = get_logged '/apikey/dbd/env.cgi', 'X-API-Key' => $KEY{dbbad};
ok t_cmp($res->code, 503, 'a row with a bad expiry: 503');
ok t_cmp($log, qr/AG00540: AuthGateApiKeyDBD: the row's expires/,
         'the row is blamed');

($res, $log) = get_logged '/apikey/dbdfail/env.cgi', 'X-API-Key' => $KEY{dbalice};
ok t_cmp($res->code, 503, 'a statement that fails: 503');
ok t_cmp($log, qr/AG00540: AuthGateApiKeyDBD: (the query|reading a row) failed/,
         'the failure is logged');

# --- Basic -------------------------------------------------------------
$res = GET '/apikey/dbdbasic/env.cgi',
    Authorization => basic('alice-db', $KEY{dbalice});
ok t_cmp($res->code, 200, 'AuthGateBasicProvider authgate with dbd: 200');
ok t_cmp(env_of($res)->{AUTHGATE_SCOPE}, 'read write', 'scopes');
$res = GET '/apikey/dbdbasic/env.cgi',
    Authorization => basic('alice', $KEY{dbalice});
ok t_cmp($res->code, 401, 'another user name: 401');
$res = GET '/apikey/dbdstock/env.cgi',
    Authorization => basic('alice-db', $KEY{dbalice});
ok t_cmp($res->code, 200, 'AuthBasicProvider authgate, two columns: 200');
ok t_cmp(env_of($res)->{AUTHGATE_SCOPE}, 'read write', 'scopes');

# --- one keep-alive connection ----------------------------------------
# The connection's memo of its last key is for AuthGateApiKeyFile only:
# every request asks the database, so a row changed between two requests
# of one connection is seen by the second.
Apache::TestRequest::user_agent(keep_alive => 1, reset => 1);
$res = GET '/apikey/dbd/env.cgi', 'X-API-Key' => $KEY{dbalice};
ok t_cmp($res->code, 200, 'a key on a keep-alive connection: 200');
sqlite("UPDATE api_keys SET revoked_at = 1700000000 WHERE id = 'db-alice';");
$res = GET '/apikey/dbd/env.cgi', 'X-API-Key' => $KEY{dbalice};
ok t_cmp($res->code, 401, 'revoked in the database meanwhile: 401');
ok t_cmp(Apache::TestRequest::user_agent_request_num($res), 2,
         '... as the second request of the same connection');
sqlite("UPDATE api_keys SET revoked_at = NULL WHERE id = 'db-alice';");
Apache::TestRequest::user_agent(reset => 1);

# --- outages -----------------------------------------------------------
sub outage {
    my $what = shift;
    my ($res, $log) = get_logged '/apikey/dbd/env.cgi',
                                 'X-API-Key' => $KEY{dbalice};
    ok t_cmp($res->code, 503, "$what: 503");
    ok t_cmp($res->header('Retry-After'), qr/^\d+$/, "$what: Retry-After");
    ok t_cmp($log, qr/reason=backend_unavailable scheme=apikey/,
             "$what: backend_unavailable logged");
    ok $res->content !~ /REMOTE_USER/;
    $res = GET '/apikey/dbdbasic/env.cgi',
        Authorization => basic('alice-db', $KEY{dbalice});
    ok t_cmp($res->code, 503, "$what: the gate's Basic: 503");
    $res = GET '/apikey/dbdstock/env.cgi',
        Authorization => basic('alice-db', $KEY{dbalice});
    # mod_auth_basic turns a provider's failure into its own 500, without
    # Retry-After: the README says so, and points to the gate's Basic
    ok t_cmp($res->code, 500, "$what: stock Basic: mod_auth_basic's 500");
}

sqlite("DROP TABLE api_keys;");
outage('table dropped');

unlink $db or die "unlink $db: $!";
outage('database removed');
unlink $db;

make_db();
chmod 0, $db or die "chmod $db: $!";
outage('database unreadable');
chmod 0640, $db;

$res = GET '/apikey/dbd/env.cgi', 'X-API-Key' => $KEY{dbalice};
ok t_cmp($res->code, 200, 'the database back: 200 again');
