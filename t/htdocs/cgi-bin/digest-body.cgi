#!/usr/bin/perl
# Echoes what reached the handler: the user and the request body.
binmode STDIN;
my $body = '';
read(STDIN, $body, $ENV{CONTENT_LENGTH} || 0);
print "Content-Type: text/plain\r\n\r\n";
print "user=", ($ENV{REMOTE_USER} // ''), "\n";
print "length=", length($body), "\n";
print "body=$body\n";
