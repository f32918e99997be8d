# The scopes of an API key feed `Require scope` as a token's do: granted
# when the key holds the scope, 403 (and no challenge: the key is good)
# when it does not.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp t_start_error_log_watch t_finish_error_log_watch);

use FindBin;
use lib "$FindBin::Bin/lib";
use AuthGateTestKeys qw(%KEY);

plan tests => 9;

sub get_logged {
    t_start_error_log_watch();
    my $res = GET @_;
    my @lines = grep { /AG00\d+:/ } t_finish_error_log_watch();
    return ($res, join '', @lines);
}

my ($res, $log);

$res = GET '/apikey/scope/env.cgi', 'X-API-Key' => $KEY{alice};
ok t_cmp($res->code, 200, 'a key with scope write passes Require scope write');

($res, $log) = get_logged '/apikey/scope/env.cgi', 'X-API-Key' => $KEY{quinn};
ok t_cmp($res->code, 403, 'a key with only read: 403');
ok t_cmp($res->header('WWW-Authenticate'), undef,
         'the 403 of an API key carries no challenge');
ok t_cmp($log, qr/reason=insufficient_scope scheme=apikey .*user=quinn/,
         'the refusal is logged as insufficient_scope');

$res = GET '/apikey/scope/env.cgi';
ok t_cmp($res->code, 401, 'no key at all: 401, not 403');

$res = GET '/apikey/scope-all/env.cgi', 'X-API-Key' => $KEY{fred};
ok t_cmp($res->code, 200, 'RequireAll of two scopes the key holds: 200');
ok t_cmp($res->content, qr/AUTHGATE_SCOPE=read:org admin/,
         'AUTHGATE_SCOPE is the key\'s scopes');

($res, $log) = get_logged '/apikey/scope-all/env.cgi', 'X-API-Key' => $KEY{alice};
ok t_cmp($res->code, 403, 'RequireAll with a scope the key lacks: 403');
ok t_cmp($log, qr/reason=insufficient_scope/, 'logged as insufficient_scope');
