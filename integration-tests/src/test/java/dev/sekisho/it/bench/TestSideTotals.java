package dev.sekisho.it.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

public class TestSideTotals
{
    private static final long MILLI = 1_000_000;

    @Test
    public void testThroughputIsSummedCallsOverSummedTime()
    {
        SideTotals totals = new SideTotals();
        totals.add(slice(100, 100 * MILLI, 0, 0));
        totals.add(slice(100, 300 * MILLI, 0, 0));
        // 200 calls in 0.4 s, not the mean of 1,000/s and 333/s
        assertThat(totals.throughput()).isCloseTo(500.0, within(1e-9));
        assertThat(totals.calls()).isEqualTo(200);
    }

    @Test
    public void testRatioOfSumsAndPerSlicePairRatios()
    {
        SideTotals direct = new SideTotals();
        SideTotals compared = new SideTotals();
        // the machine slows down in the second pair: both sides at half speed, the ratio stays 0.5 per pair
        direct.add(slice(1_000, 100 * MILLI, 0, 0));
        compared.add(slice(1_000, 200 * MILLI, 0, 0));
        compared.add(slice(1_000, 400 * MILLI, 0, 0));
        direct.add(slice(1_000, 200 * MILLI, 0, 0));
        assertRatios(compared.sliceRatios(direct), 0.5, 0.5);
        // 2,000 calls in 0.6 s against 2,000 calls in 0.3 s
        assertThat(compared.throughputRatio(direct)).isCloseTo(0.5, within(1e-9));

        SideTotals unequal = new SideTotals();
        unequal.add(slice(1_000, 100 * MILLI, 0, 0));
        unequal.add(slice(3_000, 100 * MILLI, 0, 0));
        // sums: 4,000 calls in 0.2 s = 20,000/s against 2,000 in 0.3 s; the mean of the slice ratios (1 and 6) would say 3.5
        assertThat(unequal.throughputRatio(direct)).isCloseTo(3.0, within(1e-9));
        assertRatios(unequal.sliceRatios(direct), 1.0, 6.0);
    }

    @Test
    public void testSlicePairsNeedTheSameNumberOfSlices()
    {
        SideTotals direct = new SideTotals();
        SideTotals compared = new SideTotals();
        direct.add(slice(10, MILLI, 0, 0));
        assertThatThrownBy(() -> compared.sliceRatios(direct)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void testCpuPerCallSumsEachSlicesReadings()
    {
        SideTotals totals = new SideTotals();
        totals.add(new SideTotals.Slice(new long[100], MILLI, new ProcessCpu.Sample(3_000_000, 1_000_000), 2_000_000, 7));
        totals.add(new SideTotals.Slice(new long[300], MILLI, new ProcessCpu.Sample(5_000_000, 3_000_000), 4_000_000, 5));
        assertThat(totals.jvmCpuNanos()).isEqualTo(8_000_000);
        assertThat(totals.mariadbCpuNanos()).isEqualTo(4_000_000);
        assertThat(totals.clientCpuNanos()).isEqualTo(6_000_000);
        assertThat(totals.jitMillis()).isEqualTo(12);
        // (8 + 4) ms over 400 calls
        assertThat(totals.totalCpuPerCall()).isCloseTo(30_000.0, within(1e-9));
    }

    @Test
    public void testOneUnreadableMariadbSampleMakesItsCpuUnknown()
    {
        SideTotals totals = new SideTotals();
        totals.add(new SideTotals.Slice(new long[10], MILLI, new ProcessCpu.Sample(1_000, 500), 0, 0));
        totals.add(new SideTotals.Slice(new long[10], MILLI, new ProcessCpu.Sample(1_000, -1), 0, 0));
        totals.add(new SideTotals.Slice(new long[10], MILLI, new ProcessCpu.Sample(1_000, 500), 0, 0));
        assertThat(totals.mariadbCpuNanos()).isEqualTo(-1);
        assertThat(totals.totalCpuPerCall()).isEqualTo(-1);
        assertThat(SideTotals.merged(List.of(totals)).mariadbCpuNanos()).isEqualTo(-1);
    }

    @Test
    public void testMergedDirectSidesOfSeveralPairs()
    {
        SideTotals first = new SideTotals();
        first.add(new SideTotals.Slice(new long[] {1, 2, 3}, 300 * MILLI, new ProcessCpu.Sample(30, 60), 9, 1));
        SideTotals second = new SideTotals();
        second.add(new SideTotals.Slice(new long[] {4, 5, 6, 7, 8, 9, 10}, 100 * MILLI, new ProcessCpu.Sample(70, 40), 21, 2));
        SideTotals merged = SideTotals.merged(List.of(first, second));
        assertThat(merged.calls()).isEqualTo(10);
        assertThat(merged.throughput()).isCloseTo(25.0, within(1e-9));
        assertThat(merged.latencies().percentile(0.5)).isEqualTo(5);
        assertThat(merged.jvmCpuNanos()).isEqualTo(100);
        assertThat(merged.mariadbCpuNanos()).isEqualTo(100);
        assertThat(merged.clientCpuNanos()).isEqualTo(30);
        assertThat(merged.jitMillis()).isEqualTo(3);
        assertThat(first.calls()).isEqualTo(3);
    }

    @Test
    public void testSpreadOfSliceRatios()
    {
        SideTotals.Spread odd = SideTotals.Spread.of(new double[] {0.7, 0.4, 0.5});
        assertThat(odd).isEqualTo(new SideTotals.Spread(0.5, 0.4, 0.7));
        SideTotals.Spread even = SideTotals.Spread.of(new double[] {0.9, 0.4, 0.5, 0.6});
        assertThat(even.median()).isCloseTo(0.55, within(1e-9));
        assertThat(even.min()).isEqualTo(0.4);
        assertThat(even.max()).isEqualTo(0.9);
        assertThatThrownBy(() -> SideTotals.Spread.of(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void testSliceTimeIsThatOfItsClientsSummedRates()
    {
        // one client: its own time, not the wall time that also held waking it
        assertThat(SideTotals.Slice.timeAtClientRates(new int[] {100}, new long[] {50 * MILLI}, 80 * MILLI)).isEqualTo(50 * MILLI);
        // 1 call/ms and 0.5 call/ms: 200 calls at 1.5 calls/ms
        assertThat(SideTotals.Slice.timeAtClientRates(new int[] {100, 100}, new long[] {100 * MILLI, 200 * MILLI}, 250 * MILLI))
                .isEqualTo(133_333_333L);
        // eight clients of 200 ms each, the last one woken 60 ms late: the slice ran at their rate, 3,000 calls in 200 ms
        int[] calls = new int[8];
        long[] nanos = new long[8];
        Arrays.fill(calls, 375);
        Arrays.fill(nanos, 200 * MILLI);
        assertThat(SideTotals.Slice.timeAtClientRates(calls, nanos, 260 * MILLI)).isEqualTo(200 * MILLI);
        // a client that measured no time: the wall time
        assertThat(SideTotals.Slice.timeAtClientRates(new int[] {1, 5}, new long[] {0, 10 * MILLI}, 12 * MILLI)).isEqualTo(12 * MILLI);
        assertThatThrownBy(() -> SideTotals.Slice.timeAtClientRates(new int[] {1}, new long[] {1, 2}, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    public void testASliceHasCallsAndTime()
    {
        assertThatThrownBy(() -> slice(0, MILLI, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> slice(10, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SideTotals().throughput()).isInstanceOf(IllegalStateException.class);
    }

    private static void assertRatios(double[] actual, double... expected)
    {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).isCloseTo(expected[i], within(1e-9));
        }
    }

    private static SideTotals.Slice slice(int calls, long wallNanos, long jvmCpu, long mariadbCpu)
    {
        long[] latencies = new long[calls];
        Arrays.fill(latencies, 1);
        return new SideTotals.Slice(latencies, wallNanos, new ProcessCpu.Sample(jvmCpu, mariadbCpu), 0, 0);
    }
}
