# Nested <Location>s: a directive set in the inner one wins, one not set
# there is inherited from the outer one.
#   /inherit           AuthName outer, AuthGatePreflight Off, Basic, file
#   /inherit/inner     AuthName inner, AuthGatePreflight On
#   /inherit/provider  AuthGateBasicProvider other
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use Apache::TestRequest qw(GET OPTIONS);
use AuthGateTest qw(basic challenges);

plan tests => 12;

my %pw = %AuthGateTest::PASSWORD;
my @preflight = (Origin => 'https://app.example',
                 'Access-Control-Request-Method' => 'PUT');

my $res = GET '/inherit/index.html';
ok t_cmp(challenges($res), ['Basic realm="outer"'], 'outer: its realm');
$res = OPTIONS '/inherit/index.html', @preflight;
ok t_cmp($res->code, 401, 'outer: AuthGatePreflight Off');
$res = GET '/inherit/index.html', Authorization => basic(alice => $pw{alice});
ok t_cmp($res->code, 200, 'outer: alice through the file provider');

$res = GET '/inherit/inner/index.html';
ok t_cmp($res->code, 401, 'inner: the gate is inherited');
ok t_cmp(challenges($res), ['Basic realm="inner"'],
         'inner: AuthName overridden, schemes (Basic) inherited');
$res = OPTIONS '/inherit/inner/index.html', @preflight;
ok t_cmp($res->code, 200, 'inner: AuthGatePreflight On overrides Off');
$res = GET '/inherit/inner/index.html',
    Authorization => basic(alice => $pw{alice});
ok t_cmp($res->code, 200, 'inner: the provider (file) is inherited');
$res = GET '/inherit/inner/index.html',
    Authorization => basic(carol => $pw{carol});
ok t_cmp($res->code, 401, 'inner: a user of the other provider is unknown');

$res = GET '/inherit/provider/index.html',
    Authorization => basic(carol => $pw{carol});
ok t_cmp($res->code, 200, 'provider: AuthGateBasicProvider overridden');
$res = GET '/inherit/provider/index.html',
    Authorization => basic(alice => $pw{alice});
ok t_cmp($res->code, 401,
         'provider: the outer provider is replaced, not added to');
$res = GET '/inherit/provider/index.html';
ok t_cmp(challenges($res), ['Basic realm="outer"'],
         'provider: realm and schemes inherited');
$res = OPTIONS '/inherit/provider/index.html', @preflight;
ok t_cmp($res->code, 401, 'provider: AuthGatePreflight Off inherited');
