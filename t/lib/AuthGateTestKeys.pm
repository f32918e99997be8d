# The API keys of the Apache::Test suite.  t/conf/apikeys.txt,
# t/conf/apikeys-reload.txt and t/conf/apikeys-memo.txt hold their hashes;
# t/apikey_dbd.t puts the dbd ones into SQLite.  They protect nothing but these tests.
package AuthGateTestKeys;
use strict;
use warnings;

use Exporter 'import';
our @EXPORT_OK = qw(%KEY %KEY_ID key_secret);

our %KEY = (
    alice   => 'ag_48c32be45120488f_Q58Yu4Ow09zLxF9gqFoKxY1lcKzuT3OjARbX0Hqwwp9',
    quinn   => 'ag_6c9cc0dee0fa0467_YYjOHlZlXyImpk0HfGhuspAKJeGj6MVdpfctbiyLbzG',
    eve     => 'ag_d0e7a6b5763c2db5_dmukKR0PIhsgdGALMZr3B06T0k0Ely9IvTMIka8kVjv',
    rob     => 'ag_8bf868a12eab87a8_6UyZepMgKbAaM7Ep2zVWvOtbMQMVZ3kGCVsdp9ugFt9',
    fred    => 'ag_82fab743e9ce233d_r6xeeL23xK3FhPlZgJRWBcy4ByFdeujfqJOJIl41uQr',
    before  => 'ag_ef52b0fc093bacce_FG6u71r5V2egx9PYR7GwapmbuW4Fm9RmTAtmlcK8yjl',
    dbalice => 'ag_85d11efb14ffc483_GLQY3EWOnDEzDUJHNMR5CycmQupwfa9Wrj7r8nnwIIK',
    dbold   => 'ag_c6810588b7d8496e_gC7sE44ERFEl2fudLPOVmpbakbfgZGlPKrZpb7v65iw',
    dbplain => 'legacy.partner-key.0001.JL2G35WVLjl0I59VS8vqjG9zrq55tys',
    dbbad   => 'ag_b1d8d7bb33bbac22_JL2G35WVLjl0I59VS8vqjG9zrq55tysluJz8crxSja2',
    dbrevoked => 'ag_5d0c6f1e2b3a4958_Hq2Wm8RtY4uIo0PaSdF6gJkL1zXcV7bN3mQeW9rT5yU',
    dbnull  => 'ag_3ca8756d1bb57c3b_9Zuth4WL2T5PcHZpAXg6DPyhymsSxLHWlmylva4hh6s',
    memo1   => 'ag_1075cd722c9ca2bb_H72wfHMnxS2AM5RjzsscQgvW3NSHSJNyPLWZxkp0mo6',
    memo2   => 'ag_a1a21faa2f9b6b47_K1WpM513Aowubg0bTFt6d3dGzepi8RJdxBJw17XJSNe',
);

our %KEY_ID = map { $_ => substr($KEY{$_}, 3, 16) } grep { $KEY{$_} =~ /^ag_/ } keys %KEY;

# The secret part: what must never show up in a log.
sub key_secret { $_[0] =~ /^ag_/ ? substr($_[0], 20) : $_[0] }

1;
