package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.InvalidConfigException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The {@code routing:} settings of a MySQL source: how its servers are checked and how fresh a
 * replica must be to serve a statement (docs/routing.md).
 *
 * <pre>{@code
 *     routing:
 *       max_lag: 30s               # default 30s: how far behind the primary a replica may be for any table
 *       max_lag_for:               # tighter or looser limits; a table's own entry beats its schema's
 *         shop: 60s
 *         shop.orders: 5s
 *       check_interval_ms: 1000    # default 1000: each server is checked this often
 *       check_timeout_ms: 3000     # default 3000: a check that takes longer counts as failed
 *       down_after: 2              # default 2: failed health checks in a row before a server is down
 *       up_after: 3                # default 3: good checks in a row before a down or lagging server serves again
 *       heartbeat:                 # optional: a pt-heartbeat style table written on the primary
 *         table: percona.heartbeat
 *         column: ts               # default ts: DATETIME or ISO text, in UTC
 * }</pre>
 *
 * @param maxLag the freshness limit of every table without a {@code max_lag_for} entry
 * @param maxLagFor limits per schema ({@code shop}) or table ({@code shop.orders}), keys in lower case
 * @param checkIntervalMillis how often each server is checked
 * @param checkTimeoutMillis how long a check may take before it counts as failed
 * @param downAfter failed health checks in a row before a server is down
 * @param upAfter good checks in a row before a down or lagging server takes statements again
 * @param heartbeat the heartbeat table, if one is configured
 */
public record RoutingSettings(
        Duration maxLag,
        Map<String, Duration> maxLagFor,
        long checkIntervalMillis,
        long checkTimeoutMillis,
        int downAfter,
        int upAfter,
        Optional<Heartbeat> heartbeat)
{
    /**
     * A check's default time limit. A check opens a connection when it has none and runs two or three
     * statements: a second is too little on a loaded machine (a gateway on two busy cores marked its
     * only, healthy server down at start-up), while down_after still needs two failures in a row.
     */
    public static final long DEFAULT_CHECK_TIMEOUT_MILLIS = 3000;

    public static final RoutingSettings DEFAULT = new RoutingSettings(Duration.ofSeconds(30), Map.of(), 1000, DEFAULT_CHECK_TIMEOUT_MILLIS, 2, 3, Optional.empty());

    private static final List<String> KEYS = List.of("max_lag", "max_lag_for", "check_interval_ms", "check_timeout_ms", "down_after", "up_after", "heartbeat");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_$]+");

    public RoutingSettings
    {
        requireNonNull(maxLag, "maxLag is null");
        maxLagFor = Map.copyOf(maxLagFor);
        requireNonNull(heartbeat, "heartbeat is null");
        if (checkIntervalMillis < 100 || checkTimeoutMillis < 100 || downAfter < 1 || upAfter < 1) {
            throw new IllegalArgumentException("invalid routing settings");
        }
    }

    /**
     * A pt-heartbeat style table: the primary writes the current UTC time into it every second or
     * so; on a replica, how old its newest row is tells the lag even when Seconds_Behind_Master
     * under-reports (it counts from the event being applied, not from the primary's clock).
     *
     * @param schema the table's schema
     * @param table the table
     * @param column the column holding the time of each beat (UTC)
     */
    public record Heartbeat(String schema, String table, String column)
    {
        public Heartbeat
        {
            requireNonNull(schema, "schema is null");
            requireNonNull(table, "table is null");
            requireNonNull(column, "column is null");
        }

        /** The query that reads the newest beat and the replica's own clock. */
        String query()
        {
            return "SELECT CAST(MAX(`" + column + "`) AS DATETIME(6)), UTC_TIMESTAMP(6) FROM `" + schema + "`.`" + table + "`";
        }
    }

    /** Validates the {@code routing:} mapping of a source; errors name {@code routing.KEY}. */
    static RoutingSettings parse(Map<String, Object> map)
    {
        for (String key : map.keySet()) {
            if (!KEYS.contains(key)) {
                throw new InvalidConfigException("routing." + key, "is not a routing setting; known: " + String.join(", ", KEYS));
            }
        }
        Duration maxLag = duration("routing.max_lag", map.get("max_lag"), DEFAULT.maxLag());
        Map<String, Duration> maxLagFor = new LinkedHashMap<>();
        Object limits = map.get("max_lag_for");
        if (limits != null) {
            if (!(limits instanceof Map<?, ?> entries)) {
                throw new InvalidConfigException("routing.max_lag_for", "must be a mapping of schema or schema.table to a lag such as 5s");
            }
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                String name = String.valueOf(entry.getKey());
                String path = "routing.max_lag_for." + name;
                String[] parts = name.split("\\.", -1);
                if (parts.length > 2 || parts[0].isEmpty() || (parts.length == 2 && parts[1].isEmpty())) {
                    throw new InvalidConfigException(path, "must name a schema (shop) or a table (shop.orders)");
                }
                if (maxLagFor.put(name.toLowerCase(Locale.ROOT), duration(path, entry.getValue(), null)) != null) {
                    throw new InvalidConfigException(path, "is given twice (names are not case-sensitive)");
                }
            }
        }
        int interval = MySqlConfig.integer("routing.check_interval_ms", map.get("check_interval_ms"), (int) DEFAULT.checkIntervalMillis());
        if (interval < 100) {
            throw new InvalidConfigException("routing.check_interval_ms", "must be at least 100, not " + interval);
        }
        int timeout = MySqlConfig.integer("routing.check_timeout_ms", map.get("check_timeout_ms"), (int) DEFAULT.checkTimeoutMillis());
        if (timeout < 100) {
            throw new InvalidConfigException("routing.check_timeout_ms", "must be at least 100, not " + timeout);
        }
        int downAfter = MySqlConfig.integer("routing.down_after", map.get("down_after"), DEFAULT.downAfter());
        if (downAfter < 1) {
            throw new InvalidConfigException("routing.down_after", "must be at least 1, not " + downAfter);
        }
        int upAfter = MySqlConfig.integer("routing.up_after", map.get("up_after"), DEFAULT.upAfter());
        if (upAfter < 1) {
            throw new InvalidConfigException("routing.up_after", "must be at least 1, not " + upAfter);
        }
        return new RoutingSettings(maxLag, maxLagFor, interval, timeout, downAfter, upAfter, heartbeat(map.get("heartbeat")));
    }

    private static Optional<Heartbeat> heartbeat(Object value)
    {
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidConfigException("routing.heartbeat", "must be a mapping with table: (schema.table) and column:");
        }
        for (Object key : map.keySet()) {
            if (!List.of("table", "column").contains(String.valueOf(key))) {
                throw new InvalidConfigException("routing.heartbeat." + key, "is not a heartbeat setting; known: table, column");
            }
        }
        String table = MySqlConfig.string("routing.heartbeat.table", map.get("table"));
        if (table == null) {
            throw new InvalidConfigException("routing.heartbeat.table", "is required (schema.table, e.g. percona.heartbeat)");
        }
        String[] parts = table.split("\\.", -1);
        if (parts.length != 2 || !IDENTIFIER.matcher(parts[0]).matches() || !IDENTIFIER.matcher(parts[1]).matches()) {
            throw new InvalidConfigException("routing.heartbeat.table", "must be schema.table in letters, digits and _, not '" + table + "'");
        }
        String column = Optional.ofNullable(MySqlConfig.string("routing.heartbeat.column", map.get("column"))).orElse("ts");
        if (!IDENTIFIER.matcher(column).matches()) {
            throw new InvalidConfigException("routing.heartbeat.column", "must be a column name in letters, digits and _, not '" + column + "'");
        }
        return Optional.of(new Heartbeat(parts[0], parts[1], column));
    }

    /** A lag such as {@code 500ms}, {@code 30s}, {@code 2m} or {@code 1h}; a bare number is seconds. */
    static Duration duration(String path, Object value, Duration fallback)
    {
        if (value == null) {
            if (fallback == null) {
                throw new InvalidConfigException(path, "needs a lag such as 5s");
            }
            return fallback;
        }
        if (value instanceof Map || value instanceof List) {
            throw new InvalidConfigException(path, "must be a lag such as 5s, 500ms or 2m");
        }
        Matcher matcher = DURATION.matcher(value.toString().trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new InvalidConfigException(path, "must be a lag such as 5s, 500ms or 2m, not '" + value + "'");
        }
        double amount = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1_000;
        };
        if (millis < 1_000) {
            // lag is measured in whole seconds by the server, and each reading is up to one check interval old
            throw new InvalidConfigException(path, "must be at least 1s, not '" + value + "'");
        }
        return Duration.ofMillis(Math.round(millis));
    }
}
