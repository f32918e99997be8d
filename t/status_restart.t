# The authgate-status counters live as long as the server: a graceful
# restart keeps them, a server stopped and started again begins at 0.
# An httpd of the test's own (OwnServer), so that the suite's server is
# not restarted.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test qw(-withtestmore);
use LWP::UserAgent;
use OwnServer;

my $secret = 'base64:' . ('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=');
my $server = OwnServer->new(body => <<"EOF");
<Location "/gate">
    AuthType AuthGate
    AuthName "api"
    AuthGateSchemes Bearer
    AuthGateJWTSecret $secret
    Require valid-user
    AuthzSendForbiddenOnFailure On
</Location>
<Location "/authgate-status">
    SetHandler authgate-status
    Require all granted
</Location>
EOF
my $ua = LWP::UserAgent->new(keep_alive => 0, timeout => 10);
my $sample = 'authgate_requests_total{scheme="none",outcome="denied"}';

# The value of $sample now.
sub denied {
    my $res = $ua->get($server->url('/authgate-status'));
    return undef unless $res->code == 200;
    return $res->content =~ /^\Q$sample\E (\d+)$/m ? $1 : undef;
}

sub knock { $ua->get($server->url('/gate/')) for 1 .. shift }

ok $server->start, 'an httpd of its own (' . $server->mpm . ') is up';
is denied(), 0, 'a new server: 0';
knock(3);
is denied(), 3, 'three requests without credentials: 3';

my ($rc, $out) = $server->graceful;
is $rc, 0, 'apache2 -k graceful' or diag $out;
ok $server->wait_up, 'the new generation is up';
is denied(), 3, 'the counters are kept across the restart';
knock(1);
is denied(), 4, 'and the new generation adds to them';

is $server->stop, 0, 'the server stops cleanly';
ok $server->start, 'and starts again';
is denied(), 0, 'a server started again begins at 0';
knock(2);
is denied(), 2, 'and counts from there';
is $server->stop, 0, 'the server stops cleanly again';

done_testing();
