# An httpd of a test's own, beside the suite's server (whose log other
# tests read, and which a test must not restart or stop): a temporary
# ServerRoot, a free port, a generated httpd.conf made of a common head
# (the suite's MPM with two children and none forked later, the AAA
# modules and mod_authgate, one DocumentRoot with an index.html) and the
# body the test gives.  The server runs in the
# foreground, as a child of the test, so that its exit status is seen.
#
#   my $s = OwnServer->new(body => '<Location "/"> ... </Location>');
#   $s->start or die;                  # up, or false after 30 s
#   my ($rc, $out) = $s->graceful;     # apache2 -k graceful
#   $s->wait_up;                       # the new generation alone answers
#   my $status = $s->stop;             # exit status, undef if it hung
#   $s->log;                           # its error log, so far
package OwnServer;

use strict;
use warnings FATAL => 'all';

use File::Temp qw(tempdir);
use IO::Socket::INET ();
use POSIX qw(WNOHANG setsid);
use Time::HiRes qw(sleep time);
use Apache::Test ();
use AuthGateTest qw(module_dir);

my $WAIT = 30;      # seconds for a start, a restart or a stop
my %running;        # pid => server, for the END block
my $moddir;

# A free port: bound, read and let go.
sub free_port {
    my $sock = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
                                     LocalPort => 0, Proto => 'tcp',
                                     Listen => 1) or die "a free port: $!";
    my $port = $sock->sockport;
    close $sock;
    return $port;
}

# BODY: the configuration after the common head (server-wide directives
# and the Location blocks).  LOGLEVEL: the LogLevel line's value.  MPM:
# the MPM (the suite's by default).  PRELOAD: a shared object loaded
# (LoadFile) before the modules, whose symbols then come before those of
# the modules' own libraries.
sub new {
    my ($class, %a) = @_;
    my $root = Apache::Test::vars('serverroot');
    my $mpm = $a{mpm} || $ENV{AUTHGATE_MPM} || 'event';
    my $dir = tempdir(CLEANUP => 1);
    my $self = bless {
        dir => $dir, port => free_port(), mpm => $mpm,
        httpd => Apache::Test::vars('httpd'), up => 0,
    }, $class;
    $moddir //= module_dir();
    chmod 0755, $dir;
    mkdir "$dir/htdocs" or die $!;
    mkdir "$dir/logs" or die $!;
    open my $fh, '>', "$dir/htdocs/index.html" or die $!;
    print $fh "ok\n";
    close $fh;
    my $loglevel = $a{loglevel} // 'warn authgate:debug';
    # As many idle children as StartServers makes are neither too few nor
    # too many: the parent forks none of its own accord, which, a moment
    # before a graceful restart, would add a child of the old generation
    # that wait_up did not know of.
    my $spares = $mpm eq 'prefork'
        ? "MinSpareServers 1\nMaxSpareServers 4"
        : "ThreadsPerChild 25\nMinSpareThreads 25\nMaxSpareThreads 75";
    my $preload = $a{preload} ? qq{LoadFile "$a{preload}"\n} : '';
    open $fh, '>', $self->conf or die $!;
    print $fh <<"EOF", $a{body} // '';
ServerRoot "$dir"
ServerName 127.0.0.1
Listen 127.0.0.1:$self->{port}
PidFile "$dir/logs/httpd.pid"
DefaultRuntimeDir "$dir/logs"
ErrorLog "$dir/logs/error_log"
LogLevel $loglevel
${preload}LoadModule mpm_${mpm}_module "$moddir/mod_mpm_$mpm.so"
LoadModule authn_core_module "$moddir/mod_authn_core.so"
LoadModule authz_core_module "$moddir/mod_authz_core.so"
LoadModule authz_user_module "$moddir/mod_authz_user.so"
LoadModule authgate_module "$root/../mod_authgate.so"
DocumentRoot "$dir/htdocs"
StartServers 2
${spares}
EOF
    close $fh;
    return $self;
}

sub dir { return $_[0]{dir} }
sub port { return $_[0]{port} }
sub mpm { return $_[0]{mpm} }
sub conf { return "$_[0]{dir}/httpd.conf" }
sub error_log { return "$_[0]{dir}/logs/error_log" }
sub url { return "http://127.0.0.1:$_[0]{port}" . ($_[1] // '/') }

# Its error log so far (from byte MARK on, when given).
sub log {
    my ($self, $mark) = @_;
    open my $f, '<', $self->error_log or return '';
    seek $f, $mark, 0 if $mark;
    local $/;
    return scalar(<$f>) // '';
}

sub log_mark { return -s $_[0]->error_log || 0 }

# Generations that came up: each start and each restart logs this once.
sub generations {
    my @g = $_[0]->log =~ /resuming normal operations/g;
    return scalar @g;
}

sub wait_for {
    my ($cond) = @_;
    my $deadline = time + $WAIT;
    sleep 0.1 until $cond->() || time > $deadline;
    return $cond->();
}

# Starts it, in a session of its own as a daemon has (prefork's parent
# stops its children by signalling its process group), without waiting.
sub spawn {
    my $self = shift;
    die "already running\n" if $self->{pid};
    $self->{up} = $self->generations + 1;
    delete $self->{status};
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        setsid();
        open STDOUT, '>>', "$self->{dir}/logs/stdout" or POSIX::_exit(127);
        open STDERR, '>&', \*STDOUT or POSIX::_exit(127);
        { exec $self->{httpd}, '-f', $self->conf, '-DFOREGROUND' }
        POSIX::_exit(127);
    }
    $self->{pid} = $pid;
    $running{$pid} = $self;
    return $self;
}

# The state and parent of process PID, from /proc/PID/stat; empty when
# there is no such process.
sub proc_stat {
    my $pid = shift;
    open my $f, '<', "/proc/$pid/stat" or return;
    my $line = <$f> // return;
    return $line =~ /\)\s+(\S)\s+(\d+)/;
}

# Whether PID is a live (not exited) child of the server's parent.
sub is_child {
    my ($self, $pid) = @_;
    my ($state, $parent) = proc_stat($pid);
    return defined $parent && $parent == $self->{pid} && $state ne 'Z';
}

# The server's children, as they are now.
sub children {
    my $self = shift;
    return unless $self->{pid};
    return grep { $self->is_child($_) }
        map { m{^/proc/(\d+)$} ? $1 : () } glob '/proc/[0-9]*';
}

# Whether the generation last started or restarted has come up and the
# children of the one before it have gone: until they have, one of them
# may still take a connection and answer it with the old configuration.
sub wait_up {
    my $self = shift;
    my @old = @{ delete $self->{old} // [] };
    return wait_for(sub {
        $self->generations >= $self->{up}
            && !grep { $self->is_child($_) } @old;
    });
}

sub start { return $_[0]->spawn->wait_up }

# apache2 -k graceful: its exit status and output.  wait_up then waits
# for the new generation.
sub graceful {
    my $self = shift;
    $self->{up} = $self->generations + 1;
    $self->{old} = [ $self->children ];
    my $out = `$self->{httpd} -f @{[$self->conf]} -k graceful 2>&1`;
    return ($?, $out);
}

# apache2 -k stop, and the server's exit status once it has gone; undef
# when it did not go within the wait (it is killed then).
sub stop {
    my $self = shift;
    my $pid = $self->{pid} or return $self->{status};
    `$self->{httpd} -f @{[$self->conf]} -k stop 2>&1`;
    wait_for(sub {
        $self->{status} = $? if waitpid($pid, WNOHANG) == $pid;
        defined $self->{status};
    }) or do { kill 'KILL', $pid; waitpid $pid, 0 };
    delete $running{$pid};
    delete $self->{pid};
    return $self->{status};
}

# a test that dies half-way leaves no server behind
END {
    kill 'TERM', keys %running if %running;
}

1;
