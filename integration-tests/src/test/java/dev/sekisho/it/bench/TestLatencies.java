package dev.sekisho.it.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

public class TestLatencies
{
    @Test
    public void testNearestRankPercentiles()
    {
        Latencies latencies = new Latencies();
        latencies.add(new long[] {50, 10, 40, 30, 20, 60, 70, 80, 90, 100});
        assertThat(latencies.percentile(0.50)).isEqualTo(50);
        assertThat(latencies.percentile(0.99)).isEqualTo(100);
        assertThat(latencies.percentile(0.10)).isEqualTo(10);
        assertThat(latencies.percentile(0.11)).isEqualTo(20);
        assertThat(latencies.percentile(1.0)).isEqualTo(100);
        assertThat(latencies.mean()).isEqualTo(55.0);
    }

    @Test
    public void testMergedSlicesGiveThePercentilesOfAllTheirCalls()
    {
        Random random = new Random(13);
        long[] all = new long[0];
        Latencies slices = new Latencies();
        Latencies otherPair = new Latencies();
        for (int slice = 0; slice < 20; slice++) {
            // each slice has its own speed, so the merged percentile is none of the slices' own
            long[] calls = random.longs(1 + random.nextInt(700), 1_000 * (slice + 1), 2_000 * (slice + 1)).toArray();
            all = concat(all, calls);
            (slice % 2 == 0 ? slices : otherPair).add(calls);
        }
        slices.addAll(otherPair);
        long[] sorted = all.clone();
        Arrays.sort(sorted);
        assertThat(slices.count()).isEqualTo(all.length);
        for (double quantile : new double[] {0.01, 0.5, 0.9, 0.99, 1.0}) {
            assertThat(slices.percentile(quantile)).isEqualTo(sorted[(int) Math.ceil(quantile * sorted.length) - 1]);
        }
        assertThat(slices.mean()).isCloseTo(Arrays.stream(all).average().orElseThrow(), within(1e-6));
    }

    @Test
    public void testAddingAfterAPercentileStillCountsTheNewCalls()
    {
        Latencies latencies = new Latencies();
        latencies.add(new long[] {1, 2, 3});
        assertThat(latencies.percentile(0.5)).isEqualTo(2);
        latencies.add(new long[] {100, 100, 100, 100});
        assertThat(latencies.percentile(0.5)).isEqualTo(100);
        assertThat(latencies.count()).isEqualTo(7);
    }

    @Test
    public void testNoLatenciesHaveNoPercentile()
    {
        assertThatThrownBy(() -> new Latencies().percentile(0.5)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Latencies().mean()).isInstanceOf(IllegalStateException.class);
    }

    private static long[] concat(long[] first, long[] second)
    {
        long[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
