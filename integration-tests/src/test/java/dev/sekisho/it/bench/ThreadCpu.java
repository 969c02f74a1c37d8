package dev.sekisho.it.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * CPU time of this JVM's threads, grouped by the job their name says, so that a path's CPU per row
 * can be told apart: the gateway's statement thread (it reads the source and encodes the rows), its
 * event loop (socket writes), the client driver (the benchmark's {@code main} thread) and the rest
 * of the JVM (GC, JIT and every other thread), beside MariaDB's. A thread's CPU includes the time
 * the kernel spends on its system calls.
 */
final class ThreadCpu
{
    /** Name prefix of a group, in the order the groups are printed; the rest of the JVM is "other". */
    private static final Map<String, String> GROUPS;

    static {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("sekisho-holder-", "statement thread");
        groups.put("sekisho-pg-io-", "event loop");
        groups.put("main", "client (main)");
        GROUPS = Collections.unmodifiableMap(groups);
    }

    private ThreadCpu() {}

    /** One reading: each live thread's name and CPU, and the process's and MariaDB's CPU. */
    record Sample(Map<Long, String> names, Map<Long, Long> threadNanos, ProcessCpu.Sample process) {}

    static Sample sample()
    {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> nanos = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                names.put(info.getThreadId(), info.getThreadName());
                nanos.put(info.getThreadId(), cpu);
            }
        }
        return new Sample(names, nanos, ProcessCpu.sample());
    }

    /**
     * CPU per row between two readings, by group: e.g. "statement thread 420 ns, event loop 35 ns,
     * client (main) 160 ns, rest of the JVM 60 ns, MariaDB 250 ns". A thread that ended in between
     * is counted in the rest of the JVM.
     */
    static String perRow(Sample before, Sample after, long rows)
    {
        Map<String, Long> groups = new LinkedHashMap<>();
        GROUPS.values().forEach(group -> groups.put(group, 0L));
        long named = 0;
        for (Map.Entry<Long, Long> thread : after.threadNanos().entrySet()) {
            long spent = thread.getValue() - before.threadNanos().getOrDefault(thread.getKey(), 0L);
            String group = group(after.names().get(thread.getKey()));
            if (group != null) {
                groups.merge(group, spent, Long::sum);
                named += spent;
            }
        }
        ProcessCpu.Sample process = after.process().minus(before.process());
        StringJoiner text = new StringJoiner(", ");
        groups.forEach((group, nanos) -> text.add(String.format(Locale.ROOT, "%s %,d ns", group, nanos / rows)));
        text.add(String.format(Locale.ROOT, "rest of the JVM %,d ns", (process.jvmNanos() - named) / rows));
        text.add(process.mariadbNanos() < 0 ? "MariaDB n/a" : String.format(Locale.ROOT, "MariaDB %,d ns", process.mariadbNanos() / rows));
        return text.toString();
    }

    private static String group(String name)
    {
        if (name == null) {
            return null;
        }
        for (Map.Entry<String, String> group : GROUPS.entrySet()) {
            if (name.startsWith(group.getKey()) && (!group.getKey().equals("main") || name.equals("main"))) {
                return group.getValue();
            }
        }
        return null;
    }
}
