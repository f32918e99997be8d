# Bearer configured in .htaccess files, which httpd reads again at every
# request: a token verified under one section's policy is served from the
# verified-token cache there, and neither the cache nor the connection's
# memo of its last token lets it into a section whose policy differs
# (t/htdocs/bearer-ht/aud-a and aud-b: one secret, two audiences).
use strict;
use warnings FATAL => 'all';

use Apache::Test;
use FindBin;
use lib "$FindBin::Bin/lib";
use AuthGate::Bearer;

plan tests => 6;

my $hs = 'file:keys/hs.secret';
my $for_a = sign(key => $hs, alg => 'HS256', claims => claims(aud => 'aud-a'));

# one connection, so one process and its cache
Apache::TestRequest::user_agent(keep_alive => 1, reset => 1);
case('a token for aud-a in aud-a', '/bearer-ht/aud-a/', $for_a,
     body => qr/^bearer-ht a$/);
case('... and again: from the cache, although the .htaccess was read again',
     '/bearer-ht/aud-a/', $for_a, logged => qr/AG00306/);
case('the same token in aud-b (same secret, another audience): refused',
     '/bearer-ht/aud-b/', $for_a, status => 401, reason => 'wrong_audience');
case('... and again: the cached verdict of aud-a never applies there',
     '/bearer-ht/aud-b/', $for_a, status => 401, reason => 'wrong_audience');
case('aud-a still takes it from the cache (the connection\'s memo)',
     '/bearer-ht/aud-a/', $for_a,
     logged => qr/AG00306: .*\(the connection's last token\)/);
ok !token_in_logs();
