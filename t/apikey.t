# API keys from a file: where a key may come from, what a bad one gets,
# and a key as the Basic password.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp t_start_error_log_watch t_finish_error_log_watch);
use MIME::Base64 qw(encode_base64);

use FindBin;
use lib "$FindBin::Bin/lib";
use AuthGateTestKeys qw(%KEY %KEY_ID);

plan tests => 72;

sub env_of {
    my $res = shift;
    return { map { /^(\w+)=(.*)$/ ? ($1 => $2) : () } split /\n/, $res->content };
}

sub basic { 'Basic ' . encode_base64("$_[0]:$_[1]", '') }

# GET with headers, and the log lines of the gate's denial.
sub get_logged {
    t_start_error_log_watch();
    my $res = GET @_;
    my @lines = grep { /AG00\d+:/ } t_finish_error_log_watch();
    return ($res, join '', @lines);
}

my ($res, $log, $env, @ch);

# --- sources -----------------------------------------------------------
($res, $log) = get_logged '/apikey/file/env.cgi';
ok t_cmp($res->code, 401, 'no key: 401');
ok t_cmp($res->header('WWW-Authenticate'),
         'ApiKey realm="keys", header="X-API-Key"', 'the ApiKey challenge');
ok $log =~ /reason=no_credentials/;

$res = GET '/apikey/file/env.cgi', 'X-API-Key' => $KEY{alice};
ok t_cmp($res->code, 200, 'X-API-Key: 200');
$env = env_of($res);
ok t_cmp($env->{REMOTE_USER}, 'alice', 'REMOTE_USER');
ok t_cmp($env->{AUTH_TYPE}, 'ApiKey', 'AUTH_TYPE');
ok t_cmp($env->{AUTHGATE_SCHEME}, 'apikey', 'AUTHGATE_SCHEME');
ok t_cmp($env->{AUTHGATE_USER}, 'alice', 'AUTHGATE_USER');
ok t_cmp($env->{AUTHGATE_SCOPE}, 'read write', 'AUTHGATE_SCOPE');
ok t_cmp($env->{AUTHGATE_KEY_ID}, $KEY_ID{alice}, 'AUTHGATE_KEY_ID');

$res = GET '/apikey/file/env.cgi', Authorization => "ApiKey $KEY{alice}";
ok t_cmp($res->code, 200, 'Authorization: ApiKey: 200');
ok t_cmp(env_of($res)->{REMOTE_USER}, 'alice', 'user from Authorization');

$res = GET '/apikey/file/env.cgi', Authorization => "apikey $KEY{alice}";
ok t_cmp($res->code, 200, 'the scheme name is case-insensitive');

$res = GET '/apikey/file/env.cgi', 'x-api-key' => "  $KEY{alice}";
ok t_cmp($res->code, 200, 'header name case and leading white space');

$res = GET "/apikey/file/env.cgi?api_key=$KEY{quinn}";
ok t_cmp($res->code, 401, 'no query parameter where not configured');

$res = GET "/apikey/query/env.cgi?x=1&api_key=$KEY{quinn}";
ok t_cmp($res->code, 200, 'the query parameter where configured');
ok t_cmp(env_of($res)->{REMOTE_USER}, 'quinn', 'user from the query');

$res = GET "/apikey/query/env.cgi?api_key=$KEY{quinn}&api_key=$KEY{quinn}";
ok t_cmp($res->code, 400, 'the parameter twice: 400');
$res = GET "/apikey/query/env.cgi?x=1&api_key";
ok t_cmp($res->code, 400, 'the parameter without a value: 400');
$res = GET "/apikey/query/env.cgi?api_key=&x=1";
ok t_cmp($res->code, 400, 'the parameter empty: 400');

$res = GET '/apikey/query/env.cgi', 'X-API-Key' => $KEY{alice};
ok t_cmp(env_of($res)->{REMOTE_USER}, 'alice', 'the header still works');
($res, $log) = get_logged "/apikey/query/env.cgi?api_key=$KEY{quinn}",
    'X-API-Key' => $KEY{alice};
ok t_cmp($res->code, 400, 'a key in the header and in the query: 400');
ok t_cmp($log, qr/reason=malformed scheme=apikey/, '... malformed');
$res = GET "/apikey/query/env.cgi?api_key=$KEY{quinn}",
    Authorization => "ApiKey $KEY{quinn}";
ok t_cmp($res->code, 400,
         'Authorization: ApiKey and the query, even with one key: 400');
$res = GET "/apikey/query/env.cgi?x=1", 'X-API-Key' => $KEY{alice};
ok t_cmp($res->code, 200, 'the header and a query without the key: 200');
$res = GET "/apikey/file/env.cgi?api_key=$KEY{quinn}",
    'X-API-Key' => $KEY{alice};
ok t_cmp($res->code, 200,
         'where the query is not read, a parameter of its name is no key');

$res = GET '/apikey/header/env.cgi', 'X-Partner-Key' => $KEY{alice};
ok t_cmp($res->code, 200, 'AuthGateApiKeyHeader X-Partner-Key');
($res, $log) = get_logged '/apikey/header/env.cgi', 'X-API-Key' => $KEY{alice};
ok t_cmp($res->code, 401, 'X-API-Key is not read there');
ok t_cmp($res->header('WWW-Authenticate'),
         'ApiKey realm="partners", header="X-Partner-Key"',
         'the challenge names the header');
$res = GET "/apikey/header/env.cgi?key=$KEY{quinn}";
ok t_cmp($res->code, 200, 'AuthGateApiKeyQuery key');
$res = GET "/apikey/header/noquery/env.cgi?key=$KEY{quinn}";
ok t_cmp($res->code, 401, 'AuthGateApiKeyQuery off in a nested section');

# --- refusals ----------------------------------------------------------
my $unknown = $KEY{alice};
substr($unknown, -1, 1) = substr($unknown, -1) eq 'A' ? 'B' : 'A';
($res, $log) = get_logged '/apikey/file/env.cgi', 'X-API-Key' => $unknown;
ok t_cmp($res->code, 401, 'unknown key: 401');
ok t_cmp($res->header('WWW-Authenticate'),
         'ApiKey realm="keys", header="X-API-Key"', 'with the challenge');
ok t_cmp($log, qr/reason=apikey_unknown scheme=apikey .* key_id=$KEY_ID{alice}/,
         'apikey_unknown logged with the id the key claims');

($res, $log) = get_logged '/apikey/file/env.cgi', 'X-API-Key' => $KEY{eve};
ok t_cmp($res->code, 401, 'expired key: 401');
ok t_cmp($log, qr/reason=apikey_expired scheme=apikey .*user=eve key_id=$KEY_ID{eve}/,
         'apikey_expired logged');
ok $res->header('WWW-Authenticate') =~ /^ApiKey realm="keys"/;

($res, $log) = get_logged '/apikey/file/env.cgi', Authorization => "ApiKey $KEY{rob}";
ok t_cmp($res->code, 401, 'revoked key: 401');
ok t_cmp($log, qr/reason=revoked scheme=apikey .*user=rob key_id=$KEY_ID{rob}/,
         'revoked logged');
ok t_cmp($res->header('WWW-Authenticate'),
         'ApiKey realm="keys", header="X-API-Key"', 'revoked key: the challenge');

$res = GET '/apikey/file/env.cgi', 'X-API-Key' => $KEY{fred};
ok t_cmp($res->code, 200, 'a key that expires in 2100');
ok t_cmp(env_of($res)->{AUTHGATE_SCOPE}, 'read:org admin', 'its scopes');

($res, $log) = get_logged '/apikey/file/env.cgi', 'X-API-Key' => 'two words';
ok t_cmp($res->code, 400, 'a space in a key: 400');
ok t_cmp($log, qr/reason=malformed/, 'malformed logged');
$res = GET '/apikey/file/env.cgi', 'X-API-Key' => 'a' x 513;
ok t_cmp($res->code, 400, 'a key of 513 characters: 400');
$res = GET '/apikey/file/env.cgi', 'X-API-Key' => '';
ok t_cmp($res->code, 400, 'an empty key: 400');
$res = GET '/apikey/file/env.cgi', Authorization => 'ApiKey key="x"';
ok t_cmp($res->code, 400, 'ApiKey with parameters: 400');
$res = GET '/apikey/file/env.cgi', Authorization => basic('alice', $KEY{alice});
ok t_cmp($res->code, 401, 'Basic where only ApiKey is enabled: 401');

# --- two schemes -------------------------------------------------------
$res = GET '/apikey/both/env.cgi';
@ch = $res->header('WWW-Authenticate');
ok t_cmp(scalar @ch, 2, 'two challenges');
ok t_cmp($ch[0], 'Basic realm="keys"', 'Basic first');
ok t_cmp($ch[1], 'ApiKey realm="keys", header="X-API-Key"', 'then ApiKey');

# --- a key as the Basic password ----------------------------------------
$res = GET '/apikey/basic/env.cgi', Authorization => basic('alice', $KEY{alice});
ok t_cmp($res->code, 200, 'AuthBasicProvider authgate: 200');
$env = env_of($res);
ok t_cmp($env->{REMOTE_USER}, 'alice', 'REMOTE_USER');
ok t_cmp($env->{AUTH_TYPE}, 'Basic', 'AUTH_TYPE Basic');
ok t_cmp($env->{AUTHGATE_KEY_ID}, $KEY_ID{alice}, 'AUTHGATE_KEY_ID');
ok t_cmp($env->{AUTHGATE_SCOPE}, 'read write', 'AUTHGATE_SCOPE');
$res = GET '/apikey/basic/env.cgi', Authorization => basic('bob', $KEY{alice});
ok t_cmp($res->code, 401, "another user's name: 401");
$res = GET '/apikey/basic/env.cgi', Authorization => basic('alice', $unknown);
ok t_cmp($res->code, 401, 'an unknown key: 401');
$res = GET '/apikey/basic/env.cgi', Authorization => basic('eve', $KEY{eve});
ok t_cmp($res->code, 401, 'an expired key: 401');

$res = GET '/apikey/gbasic/env.cgi', Authorization => basic('alice', $KEY{alice});
ok t_cmp($res->code, 200, 'AuthGateBasicProvider authgate: 200');
$env = env_of($res);
ok t_cmp($env->{AUTHGATE_SCHEME}, 'basic', 'AUTHGATE_SCHEME basic');
ok t_cmp($env->{AUTHGATE_KEY_ID}, $KEY_ID{alice}, 'AUTHGATE_KEY_ID');
ok t_cmp($env->{AUTHGATE_SCOPE}, 'read write', 'AUTHGATE_SCOPE');
($res, $log) = get_logged '/apikey/gbasic/env.cgi',
                          Authorization => basic('bob', $KEY{alice});
ok t_cmp($res->code, 401, "another user's name: 401");
ok t_cmp($log, qr/reason=basic_bad_password scheme=basic .*user=bob/,
         'logged as a bad password');
($res, $log) = get_logged '/apikey/gbasic/env.cgi',
                          Authorization => basic('rob', $KEY{rob});
ok t_cmp($res->code, 401, 'a revoked key: 401');
ok t_cmp($log, qr/reason=revoked scheme=basic .*user=rob key_id=$KEY_ID{rob}/,
         'logged as revoked');
$res = GET '/apikey/both/env.cgi', 'X-API-Key' => $KEY{alice};
ok t_cmp($res->code, 200, 'ApiKey beside Basic');

# --- the gate's variables replace what was there before it ---------------
$res = GET '/apikey/spoof', 'X-API-Key' => $KEY{alice},
    'X-Spoof' => 'eve';
ok t_cmp($res->code, 200, 'a key, with variables set before the gate');
ok t_cmp($res->header('X-Env-User'), 'alice', 'AUTHGATE_USER replaced');
ok t_cmp($res->header('X-Env-Key-Id'), $KEY_ID{alice},
         'AUTHGATE_KEY_ID replaced');
$res = GET '/apikey/spoof', 'X-API-Key' => $KEY{alice};
ok t_cmp($res->header('X-Env-User'), 'alice',
         'AUTHGATE_USER, with nothing set before');
