# No API key reaches the error log or the access log: every test key is
# sent here in every way the gate takes one (and the other apikey tests,
# which run before this one, send them too), then the logs are searched
# for the keys' secret parts and their hashes.  The key t/apikey.t sends
# in a query string is the exception the README warns about: a URL is
# logged whole, so that key is looked for in the error log only.
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use Apache::TestRequest qw(GET);
use Apache::TestUtil qw(t_cmp);
use Digest::SHA qw(sha256_hex);
use MIME::Base64 qw(encode_base64);

use FindBin;
use lib "$FindBin::Bin/lib";
use AuthGateTest qw(slurp);
use AuthGateTestKeys qw(%KEY key_secret);

my @names = sort keys %KEY;
plan tests => 2 + 6 * @names - 1;

sub basic { 'Basic ' . encode_base64("$_[0]:$_[1]", '') }

# Every request gets a real answer (never a 5xx), so the logs searched
# below were written by a gate that judged these keys.
my ($sent, $server_errors) = (0, 0);
sub send_one {
    my $res = GET(@_);
    $sent++;
    $server_errors++ if !$res->code || $res->code >= 500;
}

for my $name (@names) {
    my $key = $KEY{$name};
    my $bent = $key;
    substr($bent, -2, 1) = substr($bent, -2, 1) eq 'x' ? 'y' : 'x';
    for my $k ($key, $bent) {
        for my $h (['X-API-Key' => $k], [Authorization => "ApiKey $k"],
                   ['X-API-Key' => "$k extra"]) {
            send_one('/apikey/file/env.cgi', @$h);
        }
        send_one('/apikey/basic/env.cgi', Authorization => basic($name, $k));
        send_one('/apikey/gbasic/env.cgi', Authorization => basic($name, $k));
        send_one('/apikey/gbasic/env.cgi', Authorization => basic('other', $k));
    }
}
ok t_cmp($server_errors, 0, "$sent requests, none answered with a 5xx");

my $logs = Apache::Test::vars('t_logs');
my @files = qw(error_log apikey_error_log access_log);
my %log = map { $_ => slurp("$logs/$_") } @files;
ok t_cmp($log{error_log}, qr/AG00001: denied reason=apikey_unknown scheme=apikey .*key_id=/,
         'the keys were judged and the denials logged: the search below has a log to search');
for my $name (@names) {
    my $secret = key_secret($KEY{$name});
    my $hash = sha256_hex($KEY{$name});
    for my $file (@files) {
        # quinn's key is sent in a URL on purpose (t/apikey.t)
        ok t_cmp(index($log{$file}, $secret), -1, "key of $name not in $file")
            unless $name eq 'quinn' && $file eq 'access_log';
        ok t_cmp(index($log{$file}, $hash), -1, "hash of $name not in $file");
    }
}
