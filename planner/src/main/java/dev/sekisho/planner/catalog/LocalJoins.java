package dev.sekisho.planner.catalog;

import dev.sekisho.planner.spi.QueryException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The hash joins that the gateway runs over two source scans, seen from the scans: the join reads
 * its build side (the right input) whole before it opens its probe side, so the build scan collects
 * its join keys, and the probe scan, opened next, sends them to its source as a bound IN list (a
 * dynamic filter, the way Trino's cut scans). The build side is the part of the statement held in
 * the gateway's memory: past {@link Plan#maxRows()} rows it fails with SQLSTATE 53200.
 *
 * <p>A {@link Plan} belongs to a compiled plan; each execution gets its own {@link Runtime}.
 */
public final class LocalJoins
{
    /** The key under which an execution's data context holds its {@link Runtime}. */
    public static final String RUNTIME = "sekisho.localJoins";
    /** More keys than this are not sent: the probe side is read whole instead. */
    public static final int MAX_DYNAMIC_FILTER_KEYS = 10_000;
    public static final String OUT_OF_MEMORY = "53200";

    private LocalJoins() {}

    /**
     * A scan of a compiled plan: a table with the columns and filters it was asked for.
     *
     * @param table the table
     * @param signature the columns and filters, as {@link #signature} writes them
     */
    public record Scan(ConnectorTable table, String signature)
    {
        public Scan
        {
            requireNonNull(table, "table is null");
            requireNonNull(signature, "signature is null");
        }

        String describe()
        {
            return table.connector().name() + " " + table.metadata().schema() + "." + table.metadata().name();
        }
    }

    /**
     * One hash join over two scans on one equality of columns.
     *
     * @param build the right input's scan, read first and held
     * @param buildField the field of the build scan's rows holding the key
     * @param probe the left input's scan
     * @param probeColumn the probe table's column (index in its metadata) that the key is compared with
     */
    public record Edge(Scan build, int buildField, Scan probe, int probeColumn)
    {
        public Edge
        {
            requireNonNull(build, "build is null");
            requireNonNull(probe, "probe is null");
        }
    }

    /**
     * The local joins of one compiled plan.
     *
     * @param edges the joins whose inputs are source scans
     * @param maxRows the most rows a join's build side may hold
     */
    public record Plan(List<Edge> edges, long maxRows)
    {
        public static final Plan NONE = new Plan(List.of(), Long.MAX_VALUE);

        public Plan
        {
            edges = List.copyOf(edges);
            if (maxRows < 1) {
                throw new IllegalArgumentException("maxRows must be positive: " + maxRows);
            }
        }

        /** The edge whose probe is this scan, if any. */
        public Optional<Edge> probedBy(ConnectorTable table, String signature)
        {
            return edges.stream().filter(edge -> edge.probe().table() == table && edge.probe().signature().equals(signature)).findFirst();
        }
    }

    /** How a scan's columns and filters are written in a {@link Scan}'s signature. */
    public static String signature(int[] columns, List<?> filters)
    {
        return java.util.Arrays.toString(columns) + " " + filters;
    }

    /** What one execution's scans share: the keys each build side collected. */
    public static final class Runtime
    {
        private final Plan plan;
        private final List<Collected> collected = new ArrayList<>();

        public Runtime(Plan plan)
        {
            this.plan = requireNonNull(plan, "plan is null");
        }

        /** The collectors of a scan that is a build side (one per join it builds). */
        synchronized List<Collector> collectorsFor(ConnectorTable table, String signature)
        {
            List<Collector> collectors = new ArrayList<>();
            for (Edge edge : plan.edges()) {
                if (edge.build().table() == table && edge.build().signature().equals(signature)) {
                    Collected keys = new Collected(edge);
                    collected.add(keys);
                    collectors.add(new Collector(keys, plan.maxRows()));
                }
            }
            return collectors;
        }

        /** The keys the build side of the join probing this scan collected, when it was read to its end and has few enough. */
        synchronized Optional<Filter> filterFor(ConnectorTable table, String signature)
        {
            for (int i = collected.size() - 1; i >= 0; i--) {
                Collected keys = collected.get(i);
                Edge edge = keys.edge;
                if (edge.probe().table() == table && edge.probe().signature().equals(signature) && keys.complete
                        && keys.keys.size() <= MAX_DYNAMIC_FILTER_KEYS) {
                    return Optional.of(new Filter(edge.probeColumn(), List.copyOf(keys.keys), edge.build().describe()));
                }
            }
            return Optional.empty();
        }
    }

    /** A probe scan's dynamic filter: its column must be one of these values (never null). */
    record Filter(int column, List<Object> values, String from)
    {
    }

    private static final class Collected
    {
        private final Edge edge;
        private final Set<Object> keys = new LinkedHashSet<>();
        private volatile boolean complete;

        Collected(Edge edge)
        {
            this.edge = edge;
        }
    }

    /** Collects a build side's keys as its rows are read, and counts them against the limit. */
    static final class Collector
    {
        private final Collected collected;
        private final long maxRows;
        private long rows;

        Collector(Collected collected, long maxRows)
        {
            this.collected = collected;
            this.maxRows = maxRows;
        }

        void row(Object[] row)
        {
            rows++;
            if (rows > maxRows) {
                Scan build = collected.edge.build();
                throw new QueryException(OUT_OF_MEMORY,
                        "the join the gateway runs for this statement would hold more than " + maxRows + " rows of " + build.table().metadata().schema()
                                + "." + build.table().metadata().name() + " (source " + build.table().connector().name() + ") in memory",
                        "Add a filter on " + build.table().exposedSchema() + "." + build.table().metadata().name()
                                + " (or join fewer of its rows), or raise execution.local_max_rows.", null);
            }
            Object key = row[collected.edge.buildField()];
            if (key != null && collected.keys.size() <= MAX_DYNAMIC_FILTER_KEYS) {
                collected.keys.add(key);
            }
        }

        void end()
        {
            collected.complete = true;
        }
    }
}
