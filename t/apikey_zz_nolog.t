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
use AuthGateTestKeys qw(%KEY key_secret);

my @names = sort keys %KEY;
plan tests => 1 + 6 * @names - 1;

sub basic { 'Basic ' . encode_base64("$_[0]:$_[1]", '') }

my $requests = 0;
for my $name (@names) {
    my $key = $KEY{$name};
    my $bent = $key;
    substr($bent, -2, 1) = substr($bent, -2, 1) eq 'x' ? 'y' : 'x';
    for my $k ($key, $bent) {
        for my $h (['X-API-Key' => $k], [Authorization => "ApiKey $k"],
                   ['X-API-Key' => "$k extra"]) {
            GET('/apikey/file/env.cgi', @$h);
            $requests++;
        }
        GET('/apikey/basic/env.cgi', Authorization => basic($name, $k));
        GET('/apikey/gbasic/env.cgi', Authorization => basic($name, $k));
        GET('/apikey/gbasic/env.cgi', Authorization => basic('other', $k));
        $requests += 3;
    }
}
ok t_cmp($requests, 12 * @names, 'requests sent');

sub slurp { open my $fh, '<', $_[0] or die "$_[0]: $!"; local $/; <$fh> }

my $logs = Apache::Test::vars('t_logs');
my @files = qw(error_log apikey_error_log access_log);
my %log = map { $_ => slurp("$logs/$_") } @files;
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
