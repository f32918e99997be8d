package AuthGateTest;
# Helpers shared by the Apache::Test cases: credentials, the denials the
# gate logged while a piece of code ran, requests sent byte for byte, and
# the running server's coordinates.
use strict;
use warnings FATAL => 'all';

use Exporter 'import';
use File::Spec ();
use IO::Socket::INET ();
use MIME::Base64 ();
use Apache::Test ();
use Apache::TestRequest ();
use Apache::TestUtil qw(t_start_error_log_watch t_finish_error_log_watch
                        t_write_file);

our @EXPORT_OK = qw(basic challenges watch_log denials raw_request
                    server_port vhost_port client_run command_output
                    log_mark log_wait_for configtest module_dir
                    slurp spit);

# The users of t/conf/users.htpasswd and t/conf/other.htpasswd.
our %PASSWORD = (
    alice => 'wonder land',   # bcrypt
    bob   => 'b0b:pass',      # apr1, a colon in the password
    carol => 'c4rol',         # bcrypt, in other.htpasswd only
);

# The value of an Authorization header for USER:PASS.
sub basic {
    my ($user, $pass) = @_;
    return 'Basic ' . MIME::Base64::encode_base64("$user:$pass", '');
}

# Every value of HEADER (default WWW-Authenticate) of RES, in order.
sub challenges {
    my ($res, $header) = @_;
    return [ $res->header($header || 'WWW-Authenticate') ];
}

# Runs CODE and returns what it returned, and the error_log lines
# written meanwhile.  The gate logs a denial before the response leaves,
# so the lines are there when the response has been read.
sub watch_log {
    my ($code) = @_;
    t_start_error_log_watch();
    my $result = $code->();
    my @lines = t_finish_error_log_watch();
    return ($result, \@lines);
}

# The reason codes of the denial lines (AG00001) among LINES.
sub denials {
    my ($lines) = @_;
    return [ map { /AG00001: denied reason=(\S+)/ ? $1 : () } @$lines ];
}

# Where the log file NAME (in t/logs) ends now, for log_wait_for.
sub log_mark {
    my ($name) = @_;
    return -s log_path($name) || 0;
}

# The first line written to NAME after MARK that matches RE, waiting up
# to TIMEOUT seconds for it (mod_log_config writes after the response has
# left); undef if none came.  The file is reopened on each try: a handle
# that has met end-of-file does not see what is appended later.
sub log_wait_for {
    my ($name, $mark, $re, $timeout) = @_;
    for (my $waited = 0; $waited <= $timeout * 10; $waited++) {
        if (open my $fh, '<', log_path($name)) {
            seek $fh, $mark, 0;
            while (my $line = <$fh>) {
                return $line if $line =~ /\n\z/ && $line =~ $re;
            }
        }
        select undef, undef, undef, 0.1;
    }
    return undef;
}

sub log_path {
    my ($name) = @_;
    return Apache::Test::vars('t_logs') . "/$name";
}

sub server_port {
    return Apache::Test::vars('port');
}

# The port Apache::Test gave the <VirtualHost NAME> of t/conf/*.conf.in.
sub vhost_port {
    my ($name) = @_;
    my $port = Apache::Test::vars("${name}_port");
    die "no virtual host $name" unless $port;
    return $port;
}

# Sends REQUEST (CRLFs included) to PORT (default: the main server) on a
# fresh connection and returns the status code and the response headers
# as one string.  For what LWP will not send: repeated headers, control
# octets, exact byte sequences.
sub raw_request {
    my ($request, $port) = @_;
    my $sock = IO::Socket::INET->new(
        PeerAddr => '127.0.0.1',
        PeerPort => $port || server_port(),
        Proto    => 'tcp',
        Timeout  => 10,
    ) or die "connect: $!";
    print $sock $request;
    local $/ = "\r\n\r\n";
    my $head = <$sock>;
    close $sock;
    return (0, '') unless defined $head;
    my ($status) = $head =~ m{^HTTP/1\.\d (\d{3})};
    return ($status || 0, $head);
}

# Runs an external client (curl, python3) with ARGS, without a shell;
# returns its standard output and its exit status.
sub client_run {
    return run_program(0, @_);
}

# The same with standard error and standard output together.
sub command_output {
    return run_program(1, @_);
}

# Writes a small httpd configuration and runs the suite's httpd with
# -t -f on it.  ARGS:
#   name      the stem of the files: NAME.conf, NAME_error_log, NAME.pid
#   dir       where they go (default: t/logs)
#   root      the ServerRoot (default: the suite's, t/)
#   minimal   0 not to include httpd-minimal.conf (the suite's modules)
#   modules   more modules to load from httpd's module directory (names
#             as in mod_NAME.so), before mod_authgate
#   server    server-level lines, after the LoadModule lines
#   location  the path of the <Location> (default /gate)
#   section   the lines that open the <Location>
#   body      the lines under test, after them
# Lines are an array reference or one string of lines.  Returns the exit
# status, the output, the configuration's path, the number of the first
# line of BODY, that of the first server-level line and that of the
# <Location> line.
sub configtest {
    my (%args) = @_;
    die 'configtest: no name' unless $args{name};
    my $vars = Apache::Test::vars();
    my $top = File::Spec->rel2abs("$vars->{serverroot}/..");
    my $dir = $args{dir} || $vars->{t_logs};
    my $conf = "$dir/$args{name}.conf";
    my @lines = (
        'ServerRoot "' . ($args{root} || $vars->{serverroot}) . '"',
        'ServerName localhost',
        'Listen 127.0.0.1:1',
        qq{PidFile "$dir/$args{name}.pid"},
        qq{ErrorLog "$dir/$args{name}_error_log"},
        qq{DefaultRuntimeDir "$dir"},
    );
    push @lines, qq{Include "$top/httpd-minimal.conf"}
        if $args{minimal} // 1;
    if ($args{modules}) {
        my $moddir = module_dir();
        push @lines, map { qq{LoadModule ${_}_module "$moddir/mod_$_.so"} }
                         @{ $args{modules} };
    }
    push @lines, qq{LoadModule authgate_module "$top/mod_authgate.so"};
    my $server_line = @lines + 1;
    push @lines, config_lines($args{server});
    my $location_line = @lines + 1;
    push @lines, '<Location ' . ($args{location} || '/gate') . '>',
                 map { "    $_" } config_lines($args{section});
    my $body_line = @lines + 1;
    push @lines, (map { "    $_" } config_lines($args{body})), '</Location>';
    t_write_file($conf, join("\n", @lines, ''));
    my ($out, $rc) = command_output($vars->{httpd}, '-t', '-f', $conf);
    return ($rc, $out, $conf, $body_line, $server_line, $location_line);
}

# The lines of LINES: an array reference, one string, or undef (none).
sub config_lines {
    my ($lines) = @_;
    return () unless defined $lines;
    return ref $lines ? @$lines : split /\n/, $lines;
}

# Where httpd's modules are (apxs -q LIBEXECDIR).
sub module_dir {
    my ($dir) = client_run(Apache::Test::vars('apxs') || 'apxs',
                           '-q', 'LIBEXECDIR');
    chomp $dir;
    die 'apxs -q LIBEXECDIR: no answer' unless $dir;
    return $dir;
}

sub run_program {
    my ($with_stderr, @args) = @_;
    my $pid = open(my $fh, '-|');
    die "fork: $!" unless defined $pid;
    if ($pid == 0) {
        if ($with_stderr) {
            open STDERR, '>&', \*STDOUT;
        }
        else {
            open STDERR, '>', '/dev/null';
        }
        exec { $args[0] } @args or exit 127;
    }
    local $/;
    my $out = <$fh>;
    close $fh;
    return (defined $out ? $out : '', $? >> 8);
}

# The content of FILE.
sub slurp {
    my $file = shift;
    open my $fh, '<', $file or die "$file: $!";
    local $/;
    return scalar <$fh>;
}

# Replaces FILE with TEXT atomically (a new file renamed over it), as the
# authgate tool and an operator's deployment do.
sub spit {
    my ($file, $text) = @_;
    open my $fh, '>', "$file.new" or die "$file.new: $!";
    print $fh $text;
    close $fh or die "$file.new: $!";
    rename "$file.new", $file or die "rename $file: $!";
}

1;
