# At start the module warns once, naming the section, where AuthType
# AuthGate is used without AuthzSendForbiddenOnFailure On (AG00005).
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use File::Spec ();

plan tests => 4;

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
