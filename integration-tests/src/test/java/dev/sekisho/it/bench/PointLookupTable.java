package dev.sekisho.it.bench;

import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/** One round of the point-lookup benchmark as a Markdown table: each path beside the direct path measured in the same slices. */
final class PointLookupTable
{
    private PointLookupTable() {}

    /**
     * One row: a path at one client count.
     *
     * @param pairedDirect the direct path's totals over the slices that alternated with this path's; null for the direct path's own row
     */
    record Row(String path, int clients, SideTotals totals, SideTotals pairedDirect)
    {
        Row
        {
            requireNonNull(path, "path is null");
            requireNonNull(totals, "totals is null");
        }
    }

    static String markdown(List<Row> rows, PointLookupOptions options)
    {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%n%s, %d cores, Java %s (%s), load average %.2f%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        table.append(String.format(Locale.ROOT, "%nPoint lookup by primary key on shop.customers (latencies in ms; %d warm-up calls per path and pair; "
                + "each path's timed calls in %d slices alternating with as many of the direct path's)%n%n", options.warmup(), options.slices()));
        table.append("| path | clients | calls | p50 | p99 | mean | throughput (calls/s) | p50 / direct | p50 − direct (ms) | throughput / direct "
                + "| per slice pair: throughput / direct, median (min–max) "
                + "| CPU µs/call: JVM | of which the client threads | CPU µs/call: MariaDB | direct CPU / this CPU | JIT ms |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            SideTotals totals = row.totals();
            SideTotals direct = row.pairedDirect() == null ? totals : row.pairedDirect();
            double p50 = totals.latencies().percentile(0.50);
            double directP50 = direct.latencies().percentile(0.50);
            String spread = "—";
            if (row.pairedDirect() != null) {
                SideTotals.Spread slices = SideTotals.Spread.of(totals.sliceRatios(direct));
                spread = String.format(Locale.ROOT, "%.2fx (%.2f–%.2f)", slices.median(), slices.min(), slices.max());
            }
            table.append(String.format(Locale.ROOT, "| %s | %d | %,d | %.3f | %.3f | %.3f | %,.0f | %.2fx | %+.3f | %.2fx | %s | %s | %s | %s | %s | %,d |%n",
                    row.path(),
                    row.clients(),
                    totals.calls(),
                    p50 / 1e6,
                    totals.latencies().percentile(0.99) / 1e6,
                    totals.latencies().mean() / 1e6,
                    totals.throughput(),
                    p50 / directP50,
                    (p50 - directP50) / 1e6,
                    totals.throughputRatio(direct),
                    spread,
                    ProcessCpu.perCall(totals.jvmCpuNanos(), totals.calls()),
                    ProcessCpu.perCall(totals.clientCpuNanos(), totals.calls()),
                    ProcessCpu.perCall(totals.mariadbCpuNanos(), totals.calls()),
                    totals.totalCpuPerCall() <= 0 || direct.totalCpuPerCall() <= 0
                            ? "n/a"
                            : String.format(Locale.ROOT, "%.2fx", direct.totalCpuPerCall() / totals.totalCpuPerCall()),
                    totals.jitMillis()));
        }
        table.append(String.format(Locale.ROOT, "%nEach path ran in short slices alternating with the direct path (direct, path, path, direct, ...), "
                + "and its ratios are against the direct path's calls in those same slices: throughput / direct is the path's summed calls over its "
                + "slices' summed time against the direct path's (a slice's time: its calls at the sum of its clients' rates, each client's calls "
                + "over its own time from its first call to its last, so neither waking the clients nor waiting for the last one counts); p50 / direct and p50 − direct compare the merged latencies of all the slices; the slice "
                + "pairs' ratios show the noise between neighbouring slices. The direct row merges the direct path's slices of every pair. "
                + "CPU per call: this JVM's process CPU (clients, gateway and direct driver) and the embedded MariaDB's, summed over the timed "
                + "slices (both are read in 10 ms ticks: one slice's reading is off by up to a tick either way, the sum over ten slices by about "
                + "a tick); the client threads' part: the benchmark's own threads running the driver, pgjdbc, Avatica's or Connector/J, measured "
                + "by their thread CPU; the rest of the JVM's is the gateway's, GC and JIT. On a saturated machine the throughput ratio tends to "
                + "the CPU ratio. JIT ms: the JIT compilers' time during the timed slices (counted in the JVM's CPU; every path was warmed before "
                + "the first round, so a large figure means the JIT is still at work).%n"));
        return table.toString();
    }
}
