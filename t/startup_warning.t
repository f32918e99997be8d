# At start the module warns once, naming the section, where AuthType
# AuthGate is used without AuthzSendForbiddenOnFailure On (AG00005); and
# once, naming the first of them, when AuthGate directives are written
# where nothing can use them: no AuthType AuthGate anywhere, no
# .htaccess that may set it, no provider line naming authgate (AG00006).
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use File::Spec ();
use AuthGateTest ();
use OwnServer;

plan tests => 17;

my $file = File::Spec->catfile(Apache::Test::vars('t_logs'), 'error_log');
open my $fh, '<', $file or die "$file: $!";
my @warnings = grep { /AG00005:/ } <$fh>;
close $fh;

my @refused =
    grep { m{AG00005: <Location /refused401> at \S+/extra\.conf:\d+ } }
    @warnings;
ok t_cmp(scalar @refused, 1,
         'one warning for <Location /refused401>, with its file and line');
ok t_cmp($refused[0] || '', qr/\[authgate:warn\]/, 'at level warn');
ok t_cmp(scalar(grep { m{<Location /forbidden>} } @warnings), 0,
         'none for a section that sets AuthzSendForbiddenOnFailure On');
ok t_cmp(scalar(grep { m{<Location /realm-escape-httpd>} } @warnings), 0,
         'none for a section of another AuthType');

# Values are read as httpd reads them, quoted or not, and both settings
# are inherited by the sections written inside a section: a server of the
# test's own, whose error log holds its warnings alone.
my $root = Apache::Test::vars('serverroot');
my $gate = <<"EOF";
    AuthName "digest"
    AuthGateSchemes Digest
    AuthGateDigestProvider authgate
    AuthGateUserFile "$root/conf/digest.users"
    Require valid-user
EOF
my $server = OwnServer->new(body => <<"EOF");
<Location "/quoted-type">
    AuthType "AuthGate"
$gate</Location>
<Location "/quoted-on">
    AuthType AuthGate
    AuthzSendForbiddenOnFailure "On"
$gate</Location>
<Directory "/nonexistent/gate">
    AuthType AuthGate
    AuthzSendForbiddenOnFailure On
$gate    <Files "off.txt">
        AuthzSendForbiddenOnFailure Off
    </Files>
    <Files "same.txt">
        Require user alice
    </Files>
</Directory>
EOF
ok $server->start;
my @own = grep { /AG00005:/ } split /\n/, $server->log;
ok t_cmp(scalar(grep { m{<Location "/quoted-type">} } @own), 1,
         'AuthType "AuthGate", quoted: warned');
ok t_cmp(scalar(grep { m{<Location "/quoted-on">} } @own), 0,
         'AuthzSendForbiddenOnFailure "On", quoted: not warned');
ok t_cmp(scalar(grep { m{<Files "off.txt">} } @own), 1,
         '<Files> turning it Off inside an AuthGate <Directory>: warned');
ok t_cmp(scalar(grep { m{<Files "same.txt">} || m{<Directory "/nonexistent/gate">} } @own), 0,
         'sections that inherit both, or set On: not warned');
ok t_cmp(scalar(grep { /AG00006:/ } split /\n/, $server->log), 0,
         'AuthType AuthGate is set: no AG00006');
ok t_cmp($server->stop, 0, 'the server stops cleanly');

# AG00006: the first of the unused directives, with its file and line.
my $moddir = AuthGateTest::module_dir();
my $unused = <<"EOF";
<Location "/api">
    AuthType Basic
    AuthGateSchemes Bearer
    AuthGateJWTIssuer "https://issuer.example"
    Require valid-user
</Location>
EOF
$server = OwnServer->new(body => $unused);
ok $server->start;
my $conf = $server->conf;
my @lines = do { open my $c, '<', $conf or die $!; <$c> };
my ($at) = grep { $lines[$_ - 1] =~ /^\s*AuthGateSchemes Bearer/ } 1 .. @lines;
ok t_cmp(scalar(grep { m{AG00006: AuthGateSchemes at \Q$conf\E:$at and 1 more AuthGate directives: no section sets AuthType AuthGate} } split /\n/, $server->log),
         1, 'AuthGate directives under AuthType Basic, and none of '
         . 'AuthGate anywhere: AG00006 names the first, with file and line');
$server->stop;

# Not when .htaccess may set AuthType AuthGate, nor when a stock module
# calls the authgate provider, which reads them.
for my $use ('<Directory "/nonexistent/dav">' . "\n    AllowOverride AuthConfig\n</Directory>\n",
             qq{LoadModule auth_basic_module "$moddir/mod_auth_basic.so"\n}
             . qq{<Location "/keys">\n    AuthType Basic\n    AuthName "keys"\n}
             . qq{    AuthBasicProvider authgate\n    AuthGateApiKeyFile "$root/conf/apikeys.txt"\n}
             . qq{    Require valid-user\n</Location>\n}) {
    $server = OwnServer->new(body => $use . $unused);
    ok $server->start;
    ok t_cmp(scalar(grep { /AG00006:/ } split /\n/, $server->log), 0,
             $use =~ /AllowOverride/ ? 'AllowOverride AuthConfig: no AG00006'
                                     : 'AuthBasicProvider authgate: no AG00006');
    $server->stop;
}
