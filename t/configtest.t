# A configuration error stops `httpd -t` with a message that names the
# directive, the file and the line.  Each case is a small configuration
# of its own, checked by the httpd binary under test.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use AuthGateTest qw(configtest);

my $vars = Apache::Test::vars();

# [directives inside <Location /gate>, expected message, what]
my @bad = (
    [ 'AuthGateSchemes Bearer Foo',
    qr/AuthGateSchemes: (?:scheme 'Bearer' is not built|unknown scheme 'Foo')/,
      'AuthGateSchemes Bearer Foo' ],
    [ 'AuthGateSchemes Basic Foo',
      qr/AuthGateSchemes: unknown scheme 'Foo'/, 'an unknown scheme' ],
    [ 'AuthGateSchemes Basic basic',
      qr/AuthGateSchemes: scheme 'basic' named twice/,
      'a scheme named twice' ],
    [ 'AuthGateSchemes',
      qr/AuthGateSchemes/, 'AuthGateSchemes without a scheme' ],
    [ 'AuthGateBasicProvider nosuch',
      qr/AuthGateBasicProvider: unknown authn provider 'nosuch'/,
      'an authn provider that does not exist' ],
    [ 'AuthGatePreflight maybe',
      qr/AuthGatePreflight/, 'AuthGatePreflight neither On nor Off' ],
    [ 'Require auth-scheme basic kerberos',
      qr/Require auth-scheme: unknown scheme 'kerberos'/,
      'Require auth-scheme with an unknown scheme' ],
);

# AG00320 finds the section that fails wherever it was written.
# [server-level lines, which of them opens the failing section, the
#  section as the message names it, what]
my @gate = map { "    $_" }
    ('AuthType AuthGate', 'AuthName "api"', 'AuthGateSchemes ApiKey');
my @where = (
    [ [ '<Directory "/srv/authgate//gated">', @gate, '</Directory>' ], 0,
      '<Directory /srv/authgate/gated/>',
      'a <Directory>, its path made canonical as the core makes it' ],
    [ [ '<LocationMatch "^/re/">', @gate, '</LocationMatch>' ], 0,
      '<Location ~ ^/re/>', 'a <LocationMatch>' ],
    [ [ '<Location /dup>', '    Require all granted', '</Location>',
        '<Location /dup>', @gate, '</Location>' ], 3,
      '<Location /dup>', 'the second of two sections of one path' ],
    [ [ '<VirtualHost 127.0.0.1:1>', '<Location /vh>', @gate,
        '</Location>', '</VirtualHost>' ], 1,
      '<Location /vh>', 'a section in a <VirtualHost>' ],
);

plan tests => 2 + 3 * @bad + 3 + @where;

# httpd -t on INSIDE in a <Location /gate> for Basic.
sub gate_configtest {
    my ($inside) = @_;
    return configtest(
        name    => 'configtest',
        section => [ 'AuthType AuthGate', 'AuthName "api"',
                     qq{AuthUserFile "$vars->{serverroot}/conf/users.htpasswd"},
                     'AuthGateSchemes Basic', 'Require valid-user' ],
        body    => $inside);
}

my ($rc, $out) = gate_configtest('AuthGateBasicProvider file');
ok t_cmp($rc, 0, 'a good configuration passes httpd -t');
ok t_cmp($out, qr/Syntax OK/, 'httpd says Syntax OK');

for my $case (@bad) {
    my ($inside, $message, $what) = @$case;
    my ($rc, $out, $conf, $line) = gate_configtest($inside);
    ok t_cmp($rc != 0, 1, "$what: httpd -t fails");
    ok t_cmp($out, $message, "$what: the message names the directive");
    ok t_cmp($out, qr/on line $line of \Q$conf\E/, "$what: file and line");
}

# A section that enables Basic with nothing to check passwords against
# stops the start, naming the section and the AuthGateSchemes line, each
# with its file and line.
my ($conf, $location_line);
($rc, $out, $conf, undef, undef, $location_line) = configtest(
    name => 'configtest', minimal => 0,
    modules => [ qw(mpm_prefork authn_core authz_core authz_user) ],
    section => [ 'AuthType AuthGate', 'AuthGateSchemes Basic',
                 'Require valid-user' ]);
my $schemes_line = $location_line + 2;   # the section's second line
ok t_cmp($out, qr/AG00320: <Location \/gate> \(\Q$conf\E:$location_line\): Basic is enabled \(AuthGateSchemes at \Q$conf\E:$schemes_line\) but no AuthGateBasicProvider applies and the default provider, file, is not loaded/,
         'Basic with no provider and mod_authn_file not loaded: refused, naming where');
my $provider_line;
($rc, $out, $conf, $provider_line, undef, $location_line) =
    gate_configtest('AuthGateBasicProvider authgate');
ok t_cmp($rc != 0, 1, 'AuthGateBasicProvider authgate without keys: httpd -t fails');
ok t_cmp($out, qr/AG00320: <Location \/gate> \(\Q$conf\E:$location_line\): AuthGateBasicProvider at \Q$conf\E:$provider_line asks for the authgate provider but no AuthGateApiKeyFile or AuthGateApiKeyDBD applies/,
         'AuthGateBasicProvider authgate without keys: the message names the section and the provider line');

for my $case (@where) {
    my ($lines, $at, $name, $what) = @$case;
    my ($rc, $out, $conf, undef, $server_line) = configtest(
        name => 'configtest', server => $lines,
        section => [ 'Require all granted' ]);
    my $line = $server_line + $at;
    ok t_cmp($out,
             qr/AG00320: \Q$name\E \(\Q$conf\E:$line\): ApiKey is enabled/,
             "AG00320 names $what, with its file and line");
}
