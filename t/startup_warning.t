# At start the module warns once, naming the section, where AuthType
# AuthGate is used without AuthzSendForbiddenOnFailure On (AG00005).
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use File::Spec ();
use OwnServer;

plan tests => 10;

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
ok t_cmp($server->stop, 0, 'the server stops cleanly');
