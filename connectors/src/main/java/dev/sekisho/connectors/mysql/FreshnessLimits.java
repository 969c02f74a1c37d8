package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.SourceTable;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * How fresh a statement's data must be: each table's {@code max_lag} (its own entry under
 * {@code max_lag_for}, else its schema's, else the source's {@code max_lag}), and for a statement
 * the tightest among the tables it reads.
 */
final class FreshnessLimits
{
    private final String source;
    private final Duration sourceLimit;
    private final Map<String, Duration> limits;
    /**
     * The limit of each table list seen: routing asks for every statement, and the answer depends
     * only on the tables and the settings, which do not change (a reload makes a new source).
     */
    private final Map<List<SourceTable>, Limit> byTables = new ConcurrentHashMap<>();
    /** Distinct table lists remembered at most; then the memo starts afresh. */
    private static final int MAX_REMEMBERED = 10_000;
    /**
     * The last table list asked about, by identity: a cached plan hands the same list to each of its
     * executions, and hashing a list of records on every statement cost more than the routing itself.
     */
    private volatile Known last;

    private record Known(List<SourceTable> tables, Limit limit)
    {
    }

    FreshnessLimits(String source, RoutingSettings routing)
    {
        this.source = requireNonNull(source, "source is null");
        this.sourceLimit = routing.maxLag();
        this.limits = routing.maxLagFor();
    }

    /**
     * The limit that applies to a statement reading {@code tables}, and where it comes from.
     *
     * @param seconds the lag a server may have at most
     * @param origin the configuration entry that set it, e.g. {@code max_lag_for shop.orders}
     */
    record Limit(double seconds, String origin)
    {
        String describe()
        {
            return "max_lag " + ReplicationLag.formatSeconds(seconds) + " (" + origin + ")";
        }
    }

    Limit forTables(List<SourceTable> tables)
    {
        // an immutable list is its own copy: only such a list is recognised by identity
        List<SourceTable> key = List.copyOf(tables);
        Known recent = last;
        if (recent != null && recent.tables() == key) {
            return recent.limit();
        }
        Limit known = byTables.get(key);
        if (known == null) {
            known = tightest(key);
            if (byTables.size() >= MAX_REMEMBERED) {
                byTables.clear();
            }
            byTables.put(key, known);
        }
        last = new Known(key, known);
        return known;
    }

    private Limit tightest(List<SourceTable> tables)
    {
        Limit tightest = new Limit(seconds(sourceLimit), "max_lag of source " + source);
        boolean first = true;
        for (SourceTable table : tables) {
            Limit limit = forTable(table);
            if (first || limit.seconds() < tightest.seconds()) {
                tightest = limit;
                first = false;
            }
        }
        return tightest;
    }

    private Limit forTable(SourceTable table)
    {
        String qualified = table.qualifiedName().toLowerCase(Locale.ROOT);
        Duration own = limits.get(qualified);
        if (own != null) {
            return new Limit(seconds(own), "max_lag_for " + qualified);
        }
        String schema = table.schema().toLowerCase(Locale.ROOT);
        Duration ofSchema = limits.get(schema);
        if (ofSchema != null) {
            return new Limit(seconds(ofSchema), "max_lag_for " + schema + ", for " + qualified);
        }
        return new Limit(seconds(sourceLimit), "max_lag of source " + source + ", for " + qualified);
    }

    /** The loosest limit of the source: a server past it can serve no table ({@code lagging}). */
    double loosestSeconds()
    {
        double loosest = seconds(sourceLimit);
        for (Duration limit : limits.values()) {
            loosest = Math.max(loosest, seconds(limit));
        }
        return loosest;
    }

    private static double seconds(Duration duration)
    {
        return duration.toMillis() / 1000.0;
    }
}
