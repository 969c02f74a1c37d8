package dev.sekisho.it.bench;

import java.util.Arrays;

/**
 * Every call's latency of one path in one round, gathered from its slices and clients: exact
 * samples rather than histogram buckets (a round has at most some hundred thousand), so the merged
 * percentiles are those of all the calls, not an approximation.
 */
final class Latencies
{
    private long[] nanos = new long[1024];
    private int count;
    private boolean sorted = true;

    void add(long[] more)
    {
        if (count + more.length > nanos.length) {
            nanos = Arrays.copyOf(nanos, Math.max(2 * nanos.length, count + more.length));
        }
        System.arraycopy(more, 0, nanos, count, more.length);
        count += more.length;
        sorted = more.length == 0 && sorted;
    }

    void addAll(Latencies other)
    {
        add(Arrays.copyOf(other.nanos, other.count));
    }

    int count()
    {
        return count;
    }

    /** The nearest-rank percentile: the smallest latency with at least {@code quantile} of the calls at or below it. */
    double percentile(double quantile)
    {
        if (count == 0) {
            throw new IllegalStateException("no latencies");
        }
        if (quantile <= 0 || quantile > 1) {
            throw new IllegalArgumentException("quantile must be in (0, 1]: " + quantile);
        }
        if (!sorted) {
            Arrays.sort(nanos, 0, count);
            sorted = true;
        }
        int index = (int) Math.ceil(quantile * count) - 1;
        return nanos[Math.max(0, Math.min(count - 1, index))];
    }

    double mean()
    {
        if (count == 0) {
            throw new IllegalStateException("no latencies");
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += nanos[i];
        }
        return sum / count;
    }
}
