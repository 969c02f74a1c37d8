package dev.sekisho.it.bench;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import static java.util.Objects.requireNonNull;

/**
 * Measures a path against the direct path in alternating slices ({@link SliceSchedule}): both
 * paths' clients connect, both warm up slice by slice, then the timed slices run, each with all of
 * its side's clients at once while the other side's connections wait idle. Each slice's CPU (this
 * JVM, MariaDB, the client threads) and JIT time are read around it alone, so every figure is
 * charged to the path whose calls ran; its time is that of its clients' summed rates
 * ({@link SideTotals.Slice#timeAtClientRates}), not the wall time from waking the clients to the last
 * one's end, which in a short slice on a loaded machine would charge the faster path most.
 */
final class PairedSlices
{
    private final long minId;
    private final long maxId;

    /** Ids are drawn at random from {@code [minId, maxId]}. */
    PairedSlices(long minId, long maxId)
    {
        if (minId > maxId) {
            throw new IllegalArgumentException("no ids between " + minId + " and " + maxId);
        }
        this.minId = minId;
        this.maxId = maxId;
    }

    /** The two sides' totals over the timed slices (empty when there were none). */
    record Pair(SideTotals direct, SideTotals compared)
    {
        Pair
        {
            requireNonNull(direct, "direct is null");
            requireNonNull(compared, "compared is null");
        }
    }

    /**
     * @param warmupPerClient each client's warm-up calls per side (0: none), in slices like the timed calls
     * @param callsPerClient each client's timed calls per side (0: a warm-up only)
     */
    Pair measure(Lookup.Factory direct, Lookup.Factory compared, int clients, int warmupPerClient, int callsPerClient, int slices,
            boolean directFirst)
            throws Exception
    {
        ExecutorService executor = Executors.newFixedThreadPool(clients);
        List<Lookup> directLookups = new ArrayList<>();
        List<Lookup> comparedLookups = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                directLookups.add(direct.open());
                comparedLookups.add(compared.open());
            }
            if (warmupPerClient > 0) {
                run(executor, directLookups, comparedLookups, warmupPerClient, slices, directFirst, new SideTotals(), new SideTotals());
            }
            SideTotals directTotals = new SideTotals();
            SideTotals comparedTotals = new SideTotals();
            if (callsPerClient > 0) {
                run(executor, directLookups, comparedLookups, callsPerClient, slices, directFirst, directTotals, comparedTotals);
            }
            return new Pair(directTotals, comparedTotals);
        }
        finally {
            executor.shutdownNow();
            for (Lookup lookup : directLookups) {
                lookup.close();
            }
            for (Lookup lookup : comparedLookups) {
                lookup.close();
            }
        }
    }

    private void run(ExecutorService executor, List<Lookup> directLookups, List<Lookup> comparedLookups, int callsPerClient, int slices,
            boolean directFirst, SideTotals directTotals, SideTotals comparedTotals)
            throws Exception
    {
        int[] sizes = SliceSchedule.split(callsPerClient, slices);
        SliceSchedule schedule = SliceSchedule.alternating(sizes.length, directFirst);
        int directSlices = 0;
        int comparedSlices = 0;
        for (SliceSchedule.Side side : schedule.order()) {
            if (side == SliceSchedule.Side.DIRECT) {
                directTotals.add(slice(executor, directLookups, sizes[directSlices++]));
            }
            else {
                comparedTotals.add(slice(executor, comparedLookups, sizes[comparedSlices++]));
            }
        }
    }

    private SideTotals.Slice slice(ExecutorService executor, List<Lookup> lookups, int callsPerClient)
            throws Exception
    {
        List<Callable<Calls>> tasks = new ArrayList<>();
        for (Lookup lookup : lookups) {
            tasks.add(() -> calls(lookup, callsPerClient));
        }
        long compilingBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        ProcessCpu.Sample cpuBefore = ProcessCpu.sample();
        long start = System.nanoTime();
        List<Future<Calls>> futures = executor.invokeAll(tasks);
        long wallNanos = System.nanoTime() - start;
        ProcessCpu.Sample cpu = ProcessCpu.sample().minus(cpuBefore);
        long compilingMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compilingBefore;
        long[] all = new long[callsPerClient * lookups.size()];
        int[] clientCalls = new int[lookups.size()];
        long[] clientNanos = new long[lookups.size()];
        long clientCpuNanos = 0;
        int filled = 0;
        for (int client = 0; client < futures.size(); client++) {
            Calls calls = futures.get(client).get();
            System.arraycopy(calls.latencies(), 0, all, filled, calls.latencies().length);
            filled += calls.latencies().length;
            clientCalls[client] = calls.latencies().length;
            clientNanos[client] = calls.elapsedNanos();
            clientCpuNanos += calls.clientCpuNanos();
        }
        return new SideTotals.Slice(all, SideTotals.Slice.timeAtClientRates(clientCalls, clientNanos, wallNanos), cpu, clientCpuNanos, compilingMillis);
    }

    /** One client's calls: their latencies, its own time from the first call's start to the last one's end, and the CPU its thread spent (its driver's work). */
    private record Calls(long[] latencies, long elapsedNanos, long clientCpuNanos) {}

    private Calls calls(Lookup lookup, int count)
            throws SQLException
    {
        long cpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long[] latencies = new long[count];
        long began = System.nanoTime();
        for (int call = 0; call < count; call++) {
            long id = ThreadLocalRandom.current().nextLong(minId, maxId + 1);
            long start = System.nanoTime();
            lookup.run(id);
            latencies[call] = System.nanoTime() - start;
        }
        long elapsed = System.nanoTime() - began;
        return new Calls(latencies, elapsed, ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBefore);
    }
}
