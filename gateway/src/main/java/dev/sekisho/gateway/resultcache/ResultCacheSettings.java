package dev.sekisho.gateway.resultcache;

import dev.sekisho.planner.spi.SourceTable;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@code result_cache:} in sekisho.yaml.
 *
 * @param maxBytes the cache's bound, estimated bytes of all cached rows
 * @param maxEntryBytes results larger than this are not cached (they stream as usual)
 * @param tableTtls how long a result of each table may be served; keyed by {@code schema} or
 *         {@code schema.table} as the source spells them; a table without one is never cached
 * @param changeSettle after a source reports a table changed (its change feed), how long results
 *         of that table are not kept: the time the servers that answer reads may take to apply the
 *         change (their lag), so that a result read from one still behind is not kept as fresh
 * @param lastModifiedCheck for a source that records when each table last changed (BigQuery's
 *         {@code lastModifiedTime}): how often, at most, that time is read per table whose results
 *         are read through the cache; a table whose last good check is older than twice this is
 *         not served from the cache
 */
public record ResultCacheSettings(long maxBytes, long maxEntryBytes, Map<String, Duration> tableTtls, Duration changeSettle, Duration lastModifiedCheck)
{
    public static final Duration DEFAULT_CHANGE_SETTLE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_LAST_MODIFIED_CHECK = Duration.ofSeconds(10);

    public ResultCacheSettings(long maxBytes, long maxEntryBytes, Map<String, Duration> tableTtls)
    {
        this(maxBytes, maxEntryBytes, tableTtls, DEFAULT_CHANGE_SETTLE);
    }

    public ResultCacheSettings(long maxBytes, long maxEntryBytes, Map<String, Duration> tableTtls, Duration changeSettle)
    {
        this(maxBytes, maxEntryBytes, tableTtls, changeSettle, DEFAULT_LAST_MODIFIED_CHECK);
    }

    public static final long DEFAULT_MAX_BYTES = 256L << 20;
    public static final long DEFAULT_MAX_ENTRY_BYTES = 1L << 20;

    public ResultCacheSettings
    {
        if (maxBytes <= 0 || maxEntryBytes <= 0 || maxEntryBytes > maxBytes) {
            throw new IllegalArgumentException("need 0 < max_entry_bytes <= max_bytes, got " + maxEntryBytes + " and " + maxBytes);
        }
        if (changeSettle == null || changeSettle.isNegative()) {
            throw new IllegalArgumentException("changeSettle must not be negative");
        }
        if (lastModifiedCheck == null || lastModifiedCheck.toMillis() < 100) {
            throw new IllegalArgumentException("lastModifiedCheck must be at least 100 ms");
        }
        tableTtls = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(tableTtls, "tableTtls is null")));
        tableTtls.forEach((table, ttl) -> {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("the TTL of " + table + " must be positive");
            }
        });
    }

    /**
     * How long a result reading {@code tables} may be served: the shortest TTL among them (a
     * table's own TTL wins over its schema's); empty when one of them has none, or none are known.
     */
    public Optional<Duration> ttl(List<SourceTable> tables)
    {
        if (tables.isEmpty()) {
            return Optional.empty();
        }
        Duration shortest = null;
        for (SourceTable table : tables) {
            Optional<Duration> ttl = ttl(table);
            if (ttl.isEmpty()) {
                return Optional.empty();
            }
            shortest = shortest == null || ttl.get().compareTo(shortest) < 0 ? ttl.get() : shortest;
        }
        return Optional.of(shortest);
    }

    private Optional<Duration> ttl(SourceTable table)
    {
        Duration ofSchema = null;
        for (Map.Entry<String, Duration> entry : tableTtls.entrySet()) {
            if (table.isNamedBy(entry.getKey())) {
                if (entry.getKey().indexOf('.') >= 0) {
                    return Optional.of(entry.getValue());
                }
                ofSchema = entry.getValue();
            }
        }
        return Optional.ofNullable(ofSchema);
    }
}
