# A bad AuthGateApiKey* directive stops `httpd -t`, naming the directive,
# the file and the line.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp t_write_file);
use File::Spec ();
use AuthGateTest qw(configtest);

my $vars = Apache::Test::vars();
my $keys = "$vars->{serverroot}/conf/apikeys.txt";
my $bad_keys = File::Spec->catfile($vars->{t_logs}, 'apikeys-bad.txt');
t_write_file($bad_keys, "# a comment\nk1:abc:alice:-:1:-:\n");

# [directive inside <Location /gate>, expected message, what]
my @bad = (
    [ qq{AuthGateApiKeyFile "$vars->{t_logs}/none.txt"},
      qr/AuthGateApiKeyFile: cannot load '\S+none.txt': cannot read file: No such file or directory/,
      'a missing key file' ],
    [ qq{AuthGateApiKeyFile "$bad_keys"},
      qr/AuthGateApiKeyFile: cannot load '\S+apikeys-bad.txt': line 2: bad key hash/,
      'a malformed key file, its line named' ],
    [ 'AuthGateApiKeyHeader "X API Key"',
      qr/AuthGateApiKeyHeader: 'X API Key' is not a header name/,
      'a header name with spaces' ],
    [ 'AuthGateApiKeyHeader Authorization',
      qr/AuthGateApiKeyHeader: Authorization is read anyway/,
      'Authorization as the key header' ],
    [ 'AuthGateApiKeyQuery on',
      qr/AuthGateApiKeyQuery: name the query parameter/,
      'AuthGateApiKeyQuery on' ],
    [ 'AuthGateApiKeyQuery a&b',
      qr/AuthGateApiKeyQuery: 'a&b' is not a plain query parameter name/,
      'a query parameter name with &' ],
    [ 'AuthGateApiKeyDBD "SELECT username FROM api_keys"',
      qr/AuthGateApiKeyDBD: the query takes the key's SHA-256 as its one parameter/,
      'a query without its parameter' ],
);

plan tests => 10 + 3 * @bad;

# httpd -t on INSIDE in a <Location /gate> for ApiKey, with a DBD driver.
sub apikey_configtest {
    my ($inside) = @_;
    return configtest(
        name    => 'apikey_configtest',
        server  => [ 'DBDriver sqlite3',
                     qq{DBDParams "$vars->{t_logs}/apikey_configtest.db"} ],
        section => [ 'AuthType AuthGate', 'AuthName "api"',
                     'AuthGateSchemes ApiKey' ],
        body    => $inside);
}

my ($rc, $out) = apikey_configtest([
    qq{AuthGateApiKeyFile "$keys"}, 'AuthGateApiKeyHeader X-Partner-Key',
    'AuthGateApiKeyQuery api_key',
    'AuthGateApiKeyDBD "SELECT username, scopes, expires FROM api_keys WHERE key_sha256 = %s"' ]);
ok t_cmp($rc, 0, 'a good configuration passes httpd -t');
ok t_cmp($out, qr/Syntax OK/, 'httpd says Syntax OK');

for my $case (@bad) {
    my ($inside, $message, $what) = @$case;
    my ($rc, $out, $conf, $line) = apikey_configtest($inside);
    ok t_cmp($rc != 0, 1, "$what: httpd -t fails");
    ok t_cmp($out, $message, "$what: the message names the directive");
    ok t_cmp($out, qr/on line $line of \Q$conf\E/, "$what: file and line");
}

# ApiKey enabled with nothing to check keys against: the start stops,
# naming the section and the AuthGateSchemes line, each with its file
# and line.
my ($conf, $location_line);
($rc, $out, $conf, undef, undef, $location_line) =
    apikey_configtest('AuthGateApiKeyHeader X-Partner-Key');
my $schemes_line = $location_line + 3;   # the section's third line
ok t_cmp($rc != 0, 1, 'ApiKey without a key store: httpd -t fails');
ok t_cmp($out,
         qr/AG00320: <Location \/gate> \(\Q$conf\E:$location_line\): ApiKey is enabled \(AuthGateSchemes at \Q$conf\E:$schemes_line\) but no AuthGateApiKeyFile or AuthGateApiKeyDBD applies/,
         'ApiKey without a key store: the section and the directives named');

# The same where ApiKey is enabled by an outer section and the section
# that fails holds no AuthGate directive: each is named where it is.
my $server_line;
($rc, $out, $conf, undef, $server_line, $location_line) = configtest(
    name     => 'apikey_configtest',
    server   => [ '<Location /gate>', '    AuthGateSchemes ApiKey',
                  '</Location>' ],
    location => '/gate/v2',
    section  => [ 'AuthType AuthGate', 'AuthName "api"' ]);
$schemes_line = $server_line + 1;
ok t_cmp($rc != 0, 1, 'ApiKey enabled outside the section: httpd -t fails');
ok t_cmp($out,
         qr/AG00320: <Location \/gate\/v2> \(\Q$conf\E:$location_line\): ApiKey is enabled \(AuthGateSchemes at \Q$conf\E:$schemes_line\) but no AuthGateApiKeyFile or AuthGateApiKeyDBD applies/,
         'ApiKey enabled outside the section: both places named');

# Stock mod_auth_basic asking the authgate provider (AuthBasicProvider
# authgate) for keys where no key store applies: every request would be a
# 500, so the start stops, naming the section and the provider line.
my @stock = (name => 'apikey_configtest', location => '/basic-keys',
             section => [ 'AuthType Basic', 'AuthName "api"',
                          'AuthBasicProvider file authgate',
                          'Require valid-user' ]);
($rc, $out, $conf, undef, undef, $location_line) = configtest(@stock);
my $provider_line = $location_line + 3;   # the section's third line
ok t_cmp($rc != 0, 1,
         'stock Basic with the authgate provider and no key store: httpd -t fails');
ok t_cmp($out,
         qr/AG00320: <Location \/basic-keys> \(\Q$conf\E:$location_line\): AuthBasicProvider at \Q$conf\E:$provider_line asks for the authgate provider but no AuthGateApiKeyFile or AuthGateApiKeyDBD applies/,
         '... naming the section and the AuthBasicProvider line');
($rc, $out) = configtest(@stock, body => qq{AuthGateApiKeyFile "$keys"});
ok t_cmp($rc, 0, 'with AuthGateApiKeyFile: httpd -t passes');
# a section that names the provider but is not Basic is not judged
($rc, $out) = configtest(name => 'apikey_configtest', location => '/no-type',
                         section => [ 'AuthBasicProvider authgate' ]);
ok t_cmp($rc, 0, 'the provider named where AuthType is not Basic: httpd -t passes');
