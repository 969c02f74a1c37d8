package dev.sekisho.it.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * CPU time spent so far by this JVM (clients, gateway and direct driver all run in it) and by the
 * embedded MariaDB server (a child process of this JVM). On a 2-core machine shared with other
 * work, throughput ratios move with the load; the CPU a path spends per call does much less, and
 * on a saturated machine the throughput ratio of two paths is the inverse of their CPU per call.
 */
final class ProcessCpu
{
    /** Linux reports {@code /proc/<pid>/stat} times in USER_HZ ticks, 100 per second on every Linux ABI. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    /** The MariaDB server processes found last time: looking them up walks every process on the machine, too slow to do around each slice. */
    private static volatile List<ProcessHandle> servers = List.of();

    private ProcessCpu() {}

    /** One reading: this JVM's CPU and MariaDB's CPU, in nanoseconds; MariaDB's is -1 where it cannot be read. */
    record Sample(long jvmNanos, long mariadbNanos)
    {
        /** This JVM's and MariaDB's CPU together, or -1 where MariaDB's could not be read. */
        long totalNanos()
        {
            return mariadbNanos < 0 ? -1 : jvmNanos + mariadbNanos;
        }

        Sample minus(Sample earlier)
        {
            return new Sample(jvmNanos - earlier.jvmNanos,
                    mariadbNanos < 0 || earlier.mariadbNanos < 0 ? -1 : mariadbNanos - earlier.mariadbNanos);
        }
    }

    static Sample sample()
    {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        return new Sample(jvm, mariadbNanos());
    }

    private static long mariadbNanos()
    {
        List<ProcessHandle> servers = ProcessCpu.servers;
        if (servers.isEmpty() || !servers.stream().allMatch(ProcessHandle::isAlive)) {
            servers = ProcessHandle.current().descendants()
                    .filter(process -> process.info().command()
                            .map(command -> command.endsWith("mysqld") || command.endsWith("mariadbd"))
                            .orElse(false))
                    .toList();
            ProcessCpu.servers = servers;
        }
        if (servers.isEmpty()) {
            return -1;
        }
        long ticks = 0;
        for (ProcessHandle server : servers) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(server.pid()), "stat"));
                // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // fields 14 and 15 of the whole line (utime, stime) are 11 and 12 after the state field
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            }
            catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return ticks * NANOS_PER_TICK;
    }

    static String perCall(long nanos, int calls)
    {
        return nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", nanos / 1e3 / calls);
    }
}
