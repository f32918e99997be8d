# Runs last (t/*.t run in sorted order): the error log of the whole run
# must hold no error of the gate's own and no child that died of a signal
# (a crash under some request of an earlier test).
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Apache::Test;
use Apache::TestUtil qw(t_cmp);
use File::Spec ();

plan tests => 3;

my $file = File::Spec->catfile(Apache::Test::vars('t_logs'), 'error_log');
open my $fh, '<', $file or die "$file: $!";
my @lines = <$fh>;
close $fh;

ok t_cmp(scalar @lines > 0, 1, 'the error log was written');

my @errors = grep { /\[authgate:(?:error|crit|alert|emerg)\]/ } @lines;
ok t_cmp(join('', @errors), '', 'no [authgate:error] (or worse) line');

# mpm_common: "AH00052: child pid N exit signal Segmentation fault (11)",
# "AH00051: ... possible coredump in ...".
my @crashes = grep { /exit signal|possible coredump|AddressSanitizer/ } @lines;
ok t_cmp(join('', @crashes), '', 'no child exited on a signal');
