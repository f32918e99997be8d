use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest qw(GET);

plan tests => 2;

my $res = GET '/index.html';
ok $res->code == 200;
$res = GET '/basic/index.html';
ok $res->code == 401;
