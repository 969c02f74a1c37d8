package dev.sekisho.it.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What one path of a pair measured over its slices of a round: the calls, the time, the CPU
 * (this JVM, MariaDB, the client threads) and the JIT's time summed over the slices, and every
 * call's latency. Throughput is the summed calls over the summed time, so a slice that ran while the
 * machine was slow weighs by the time it took, as it would have in one long run; the ratio against
 * the direct path is that of the two sums, and the per-slice-pair ratios show how far neighbouring
 * slices disagree.
 */
final class SideTotals
{
    private final Latencies latencies = new Latencies();
    private final List<Double> sliceThroughputs = new ArrayList<>();
    private long nanos;
    private long jvmCpuNanos;
    private long mariadbCpuNanos;
    private long clientCpuNanos;
    private long jitMillis;

    /**
     * One slice of one side: every client's calls, run all at once.
     *
     * @param nanos the slice's time: its calls over its throughput (see {@link #timeAtClientRates})
     */
    record Slice(long[] latencies, long nanos, ProcessCpu.Sample cpu, long clientCpuNanos, long jitMillis)
    {
        Slice
        {
            requireNonNull(latencies, "latencies is null");
            requireNonNull(cpu, "cpu is null");
            if (latencies.length == 0 || nanos <= 0) {
                throw new IllegalArgumentException("a slice has calls and takes time: " + latencies.length + " calls in " + nanos + " ns");
            }
        }

        double throughput()
        {
            return latencies.length / (nanos / 1e9);
        }

        /**
         * The time in which the slice's calls would run at the sum of its clients' rates, each client's
         * rate being its calls over its own time (first call's start to last call's end). The wall time
         * of a slice also holds waking its clients and waiting for the last one: on a loaded machine
         * tens of milliseconds, a larger share of a short slice of the faster path than of the slower
         * one's. Falls back to the wall time when a client measured no time.
         */
        static long timeAtClientRates(int[] calls, long[] clientNanos, long wallNanos)
        {
            if (calls.length != clientNanos.length || calls.length == 0) {
                throw new IllegalArgumentException("one count and one time per client: " + calls.length + ", " + clientNanos.length);
            }
            double callsPerNano = 0;
            long total = 0;
            for (int client = 0; client < calls.length; client++) {
                if (clientNanos[client] <= 0) {
                    return wallNanos;
                }
                callsPerNano += (double) calls[client] / clientNanos[client];
                total += calls[client];
            }
            return Math.max(1, Math.round(total / callsPerNano));
        }
    }

    void add(Slice slice)
    {
        latencies.add(slice.latencies());
        sliceThroughputs.add(slice.throughput());
        nanos += slice.nanos();
        jvmCpuNanos += slice.cpu().jvmNanos();
        // once one reading of MariaDB's CPU failed, the sum is unknown
        mariadbCpuNanos = mariadbCpuNanos < 0 || slice.cpu().mariadbNanos() < 0 ? -1 : mariadbCpuNanos + slice.cpu().mariadbNanos();
        clientCpuNanos += slice.clientCpuNanos();
        jitMillis += slice.jitMillis();
    }

    /** One path's totals over several pairs (the direct path's row of a round). */
    static SideTotals merged(List<SideTotals> parts)
    {
        SideTotals merged = new SideTotals();
        for (SideTotals part : parts) {
            merged.latencies.addAll(part.latencies);
            merged.sliceThroughputs.addAll(part.sliceThroughputs);
            merged.nanos += part.nanos;
            merged.jvmCpuNanos += part.jvmCpuNanos;
            merged.mariadbCpuNanos = merged.mariadbCpuNanos < 0 || part.mariadbCpuNanos < 0 ? -1 : merged.mariadbCpuNanos + part.mariadbCpuNanos;
            merged.clientCpuNanos += part.clientCpuNanos;
            merged.jitMillis += part.jitMillis;
        }
        return merged;
    }

    int calls()
    {
        return latencies.count();
    }

    Latencies latencies()
    {
        return latencies;
    }

    double throughput()
    {
        if (nanos == 0) {
            throw new IllegalStateException("no slices");
        }
        return calls() / (nanos / 1e9);
    }

    long jvmCpuNanos()
    {
        return jvmCpuNanos;
    }

    /** MariaDB's CPU over the slices, or -1 where it could not be read. */
    long mariadbCpuNanos()
    {
        return mariadbCpuNanos;
    }

    long clientCpuNanos()
    {
        return clientCpuNanos;
    }

    long jitMillis()
    {
        return jitMillis;
    }

    /** This JVM's and MariaDB's CPU per call, or -1 when MariaDB's could not be read. */
    double totalCpuPerCall()
    {
        return mariadbCpuNanos < 0 ? -1 : (double) (jvmCpuNanos + mariadbCpuNanos) / calls();
    }

    /** This side's throughput over the direct side's, each summed over its slices. */
    double throughputRatio(SideTotals direct)
    {
        return throughput() / direct.throughput();
    }

    /** The throughput ratio of each slice pair (this side's k-th slice against the direct side's k-th), in the order they ran. */
    double[] sliceRatios(SideTotals direct)
    {
        if (sliceThroughputs.size() != direct.sliceThroughputs.size()) {
            throw new IllegalArgumentException("the two sides ran " + sliceThroughputs.size() + " and " + direct.sliceThroughputs.size() + " slices");
        }
        double[] ratios = new double[sliceThroughputs.size()];
        for (int slice = 0; slice < ratios.length; slice++) {
            ratios[slice] = sliceThroughputs.get(slice) / direct.sliceThroughputs.get(slice);
        }
        return ratios;
    }

    /** The middle and the ends of a set of ratios. */
    record Spread(double median, double min, double max)
    {
        static Spread of(double[] values)
        {
            if (values.length == 0) {
                throw new IllegalArgumentException("no values");
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int middle = sorted.length / 2;
            double median = sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
            return new Spread(median, sorted[0], sorted[sorted.length - 1]);
        }
    }
}
