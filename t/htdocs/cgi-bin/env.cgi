#!/usr/bin/perl
# Prints what the gate told the application, one NAME=value a line.
print "Content-Type: text/plain\r\n\r\n";
for my $name (sort grep { /^(REMOTE_USER|AUTH_TYPE|AUTHGATE_\w+)$/ } keys %ENV) {
    print "$name=$ENV{$name}\n";
}
