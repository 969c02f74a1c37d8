package dev.sekisho.gateway.resultcache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SourceTable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Results of source statements, bounded by their estimated bytes, each kept for the TTL of the
 * tables it read. A statement that is being read from its source already is not sent again: the
 * callers that arrive meanwhile wait for the first one's rows (single flight). A result that
 * outgrows {@link ResultCacheSettings#maxEntryBytes()} while it is read is not kept; its reader
 * streams on, the waiters run the statement themselves. Thread-safe.
 */
public final class ResultCache
{
    /** What the cache holds and did since the gateway started, for {@code SHOW sekisho.cache}, the metrics and the admin endpoint. */
    public record Stats(long entries, long bytes, long hits, long misses, long bypasses, long evictions, long invalidations, long sharedWaits,
            long lastModifiedChecks, long lastModifiedChanges, long lastModifiedFailures)
    {
        /** Hits over cacheable reads (hits and misses), 0 before the first. */
        public double hitRatio()
        {
            long reads = hits + misses;
            return reads == 0 ? 0 : (double) hits / reads;
        }
    }

    private final ResultCacheSettings settings;
    private final Cache<ResultKey, CachedResult> results;
    private final ConcurrentHashMap<ResultKey, CompletableFuture<Optional<CachedResult>>> loading = new ConcurrentHashMap<>();
    /** Counted on every statement by every worker: adders, which do not contend as one atomic would. */
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder bypasses = new LongAdder();
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong invalidations = new AtomicLong();
    private final AtomicLong sharedWaits = new AtomicLong();
    private final AtomicLong lastModifiedChecks = new AtomicLong();
    private final AtomicLong lastModifiedChanges = new AtomicLong();
    private final AtomicLong lastModifiedFailures = new AtomicLong();
    /** Bumped by every invalidation: a load that began before one is not stored. */
    private final AtomicLong generation = new AtomicLong();
    /** When a change feed last reported a change: by source name, and by source and lower-case {@code schema.table}. */
    private final ConcurrentHashMap<String, Long> changedAt = new ConcurrentHashMap<>();
    /**
     * The TTL of each source statement seen (empty: not cacheable), which depends only on its SQL
     * and tables and the immutable settings: scanning the SQL for non-deterministic calls and
     * matching the tables against the TTLs cost more than the cache lookup itself.
     */
    private final ConcurrentHashMap<StatementShape, Optional<Duration>> ttls = new ConcurrentHashMap<>();
    /** Statements whose TTL is remembered at most; then the memo starts afresh (a plain map reads faster than a bounded cache). */
    private static final int MAX_REMEMBERED_TTLS = 10_000;
    /** The entry a statement answered on a front door's I/O thread was admitted for (see {@link #pin}); set only on that thread, only while it runs. */
    private static final ThreadLocal<Pin> PINNED = new ThreadLocal<>();
    /** Whether each source's own checks let a statement be cached now (a BigQuery table's last-modified check), by source name. */
    private final ConcurrentHashMap<String, Predicate<BackendQuery>> sources = new ConcurrentHashMap<>();
    /** Reads answered from an entry pinned on a front door's I/O thread: the proof that hits skip the worker hand-off. */
    private final LongAdder pinnedHits = new LongAdder();

    /** What a statement's TTL depends on. */
    private record StatementShape(String sql, List<SourceTable> tables)
    {
        /** The SQL's hash, which the string keeps: hashing every table record on each statement cost more than the look-up. */
        @Override
        public int hashCode()
        {
            return sql.hashCode();
        }
    }

    public ResultCache(ResultCacheSettings settings)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.results = Caffeine.newBuilder()
                .maximumWeight(settings.maxBytes())
                .<ResultKey, CachedResult>weigher((key, result) -> (int) Math.min(Integer.MAX_VALUE, result.bytes() + key.query().sql().length() * 2L))
                .expireAfter(new Expiry<ResultKey, CachedResult>()
                {
                    @Override
                    public long expireAfterCreate(ResultKey key, CachedResult value, long currentTime)
                    {
                        return value.ttl().toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(ResultKey key, CachedResult value, long currentTime, long currentDuration)
                    {
                        return value.ttl().toNanos();
                    }

                    @Override
                    public long expireAfterRead(ResultKey key, CachedResult value, long currentTime, long currentDuration)
                    {
                        return currentDuration;
                    }
                })
                .removalListener((ResultKey key, CachedResult value, RemovalCause cause) -> {
                    if (cause.wasEvicted()) {
                        evictions.incrementAndGet();
                    }
                })
                .executor(Runnable::run)
                .build();
    }

    public ResultCacheSettings settings()
    {
        return settings;
    }

    /** How long a result of this statement may be kept; empty when it must not be cached. */
    Optional<Duration> ttl(BackendQuery query)
    {
        StatementShape shape = new StatementShape(query.sql(), query.tables());
        Optional<Duration> ttl = ttls.get(shape);
        if (ttl == null) {
            ttl = ttlOf(shape);
            if (ttls.size() >= MAX_REMEMBERED_TTLS) {
                ttls.clear();
            }
            ttls.put(shape, ttl);
        }
        if (ttl.isEmpty()) {
            return ttl;
        }
        for (Object value : query.parameters()) {
            if (value instanceof byte[]) {
                return Optional.empty();
            }
        }
        return ttl;
    }

    private Optional<Duration> ttlOf(StatementShape statement)
    {
        Optional<Duration> ttl = settings.ttl(statement.tables());
        if (ttl.isEmpty() || NonDeterministicSql.isNonDeterministic(statement.sql())) {
            return Optional.empty();
        }
        return ttl;
    }

    /**
     * The rows of {@code statement}: from the cache, from a statement already reading them, or from
     * {@code source} (read to the end, or up to the entry limit, before the first row is returned).
     *
     * @param hit run when the rows come from the cache (stored, or read by an identical statement)
     */
    ResultStream read(BackendQuery statement, Duration ttl, Supplier<ResultStream> source, Runnable hit)
    {
        ResultKey key = new ResultKey(statement);
        CachedResult cached = results.getIfPresent(key);
        if (cached != null) {
            hits.increment();
            hit.run();
            return cached.stream();
        }
        CompletableFuture<Optional<CachedResult>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<CachedResult>> running = loading.putIfAbsent(key, mine);
        if (running != null) {
            sharedWaits.incrementAndGet();
            Optional<CachedResult> shared = await(running);
            if (shared.isPresent()) {
                hits.increment();
                hit.run();
                return shared.get().stream();
            }
            misses.increment();
            return source.get();
        }
        misses.increment();
        long startedAt = generation.get();
        long startedNanos = System.nanoTime();
        try {
            cached = results.getIfPresent(key);
            if (cached != null) {
                // stored between the first look and the claim
                mine.complete(Optional.of(cached));
                return cached.stream();
            }
            ResultStream stream = source.get();
            Loaded loaded = load(stream, ttl);
            if (loaded.complete() != null) {
                if (generation.get() == startedAt && settled(statement, startedNanos)) {
                    results.put(key, loaded.complete());
                    if (generation.get() != startedAt) {
                        // an invalidation raced the store: the rows may predate the change
                        results.asMap().remove(key, loaded.complete());
                    }
                }
                mine.complete(Optional.of(loaded.complete()));
                return loaded.complete().stream();
            }
            mine.complete(Optional.empty());
            return loaded.partial();
        }
        catch (RuntimeException | Error e) {
            mine.complete(Optional.empty());
            throw e;
        }
        finally {
            loading.remove(key, mine);
        }
    }

    private static Optional<CachedResult> await(CompletableFuture<Optional<CachedResult>> running)
    {
        try {
            return running.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        catch (ExecutionException e) {
            return Optional.empty();
        }
    }

    /** Either the whole result, or (too large to keep) a stream of what was read followed by the rest. */
    private record Loaded(CachedResult complete, ResultStream partial)
    {
    }

    private Loaded load(ResultStream stream, Duration ttl)
    {
        List<ColumnMetadata> columns = stream.columns();
        List<Object[]> rows = new ArrayList<>();
        long bytes = 64L * columns.size();
        try {
            while (stream.next()) {
                Object[] row = new Object[columns.size()];
                bytes += 16 + 8L * row.length;
                for (int i = 0; i < row.length; i++) {
                    row[i] = stream.value(i);
                    bytes += RowBytes.of(row[i]);
                }
                rows.add(row);
                if (bytes > settings.maxEntryBytes()) {
                    bypasses.increment();
                    return new Loaded(null, new PrefixedStream(columns, rows, stream));
                }
            }
        }
        catch (RuntimeException | Error e) {
            stream.close();
            throw e;
        }
        stream.close();
        return new Loaded(new CachedResult(columns, rows, bytes, ttl), null);
    }

    /**
     * A source whose statements this cache answers (its {@link CachingConnector}), with the check
     * of its own that a statement must pass to be cached now.
     */
    void serves(String source, Predicate<BackendQuery> cacheableNow)
    {
        sources.put(requireNonNull(source, "source is null"), requireNonNull(cacheableNow, "cacheableNow is null"));
    }

    /**
     * The stored entry that a read of {@code query} by a session whose {@code sekisho.cache} is
     * {@code setting} would be answered from now, with the same checks as
     * {@link CachingConnector#execute} (cacheable statement and tables, the session's setting, the
     * source's own check); empty when the read would go to the source or wait for another's. Never
     * blocks, never loads, and changes no figure: only the read the entry is pinned for counts.
     */
    public Optional<Entry> peek(BackendQuery query, Optional<String> setting)
    {
        Predicate<BackendQuery> source = sources.get(query.source());
        if (source == null || !CachingConnector.isOn(setting) || ttl(query).isEmpty() || !source.test(query)) {
            return Optional.empty();
        }
        ResultKey key = new ResultKey(query);
        CachedResult cached = results.getIfPresent(key);
        return cached == null ? Optional.empty() : Optional.of(new Entry(key, cached));
    }

    /**
     * Whether a read of {@code query} by a session whose {@code sekisho.cache} is {@code setting}
     * would go through the cache (answered from it, or loading it), with the same checks as
     * {@link #peek}: such a statement is left to a worker, which loads the entry. Never blocks.
     */
    public boolean wouldKeep(BackendQuery query, Optional<String> setting)
    {
        Predicate<BackendQuery> source = sources.get(query.source());
        return source != null && CachingConnector.isOn(setting) && ttl(query).isPresent() && source.test(query);
    }

    /** A stored entry, as {@link #peek} found it: what a statement answered without a worker reads. */
    public static final class Entry
    {
        private final ResultKey key;
        private final CachedResult result;

        private Entry(ResultKey key, CachedResult result)
        {
            this.key = key;
            this.result = result;
        }

        /** The entry's estimated size (rows, values and their headers). */
        public long bytes()
        {
            return result.bytes();
        }
    }

    /**
     * Until the returned pin is closed, the read of {@code entry}'s statement on this thread is
     * answered from {@code entry}, whatever happened to the cache since {@link #peek} found it (an
     * eviction or invalidation in between counts as having happened just after the read, as it
     * would for a read that began a moment earlier on a worker), and any other read on this thread
     * fails rather than reach a source: this thread must not block.
     */
    public Pin pin(Entry entry)
    {
        if (PINNED.get() != null) {
            throw new IllegalStateException("an entry is pinned on this thread already");
        }
        Pin pin = new Pin(entry);
        PINNED.set(pin);
        return pin;
    }

    /** What {@link #pin} set; closing it ends the pin. */
    public static final class Pin
            implements AutoCloseable
    {
        private final Entry entry;

        private Pin(Entry entry)
        {
            this.entry = entry;
        }

        @Override
        public void close()
        {
            if (PINNED.get() == this) {
                PINNED.remove();
            }
        }
    }

    /**
     * The pinned entry's rows when a statement answered on a front door's I/O thread reads it
     * (counted as a hit), null when nothing is pinned on this thread.
     *
     * @throws IllegalStateException for a read of another statement than the one pinned: it would reach a source from a thread that must not block
     */
    ResultStream readPinned(BackendQuery query, Runnable hit)
    {
        Pin pin = PINNED.get();
        if (pin == null) {
            return null;
        }
        // the statement checked when the entry was pinned comes back as the same instance (ExecutionContext.checkedFragment)
        if (pin.entry.key.query() != query && !pin.entry.key.equals(new ResultKey(query))) {
            throw new IllegalStateException("a statement answered without a worker read another source statement than the one it was admitted for");
        }
        hits.increment();
        pinnedHits.increment();
        hit.run();
        return pin.entry.result.stream();
    }

    /** Reads answered from an entry pinned on a front door's I/O thread (statements answered there without a worker) since the start. */
    public long pinnedHits()
    {
        return pinnedHits.sum();
    }

    /** Whether an entry of {@code query} is stored now (no figure changes: a look, not a read). */
    boolean holds(BackendQuery query)
    {
        return results.asMap().containsKey(new ResultKey(query));
    }

    /** Counts a statement that was not cacheable or that its session kept away from the cache. */
    void bypassed()
    {
        bypasses.increment();
    }

    /** Whether every table of the statement was last reported changed long enough before its rows were read. */
    private boolean settled(BackendQuery query, long startedNanos)
    {
        if (changedAt.isEmpty()) {
            return true;
        }
        long settle = settings.changeSettle().toNanos();
        Long source = changedAt.get(query.source());
        if (source != null && startedNanos - source < settle) {
            return false;
        }
        for (SourceTable table : query.tables()) {
            Long changed = changedAt.get(tableKey(query.source(), table.schema(), table.table()));
            if (changed != null && startedNanos - changed < settle) {
                return false;
            }
        }
        return true;
    }

    private static String tableKey(String source, String schema, String table)
    {
        return source + "|" + (schema + "." + table).toLowerCase(Locale.ROOT);
    }

    /** Drops every entry of one source: its change feed reported a change it cannot tie to tables. */
    public void invalidateSource(String source)
    {
        changedAt.put(source, System.nanoTime());
        generation.incrementAndGet();
        for (ResultKey key : results.asMap().keySet()) {
            if (key.query().source().equals(source) && results.asMap().remove(key) != null) {
                invalidations.incrementAndGet();
            }
        }
    }

    /** Drops every entry: the policies, the users or the catalog changed. */
    public void invalidateAll()
    {
        generation.incrementAndGet();
        invalidations.addAndGet(results.estimatedSize());
        results.invalidateAll();
    }

    /**
     * Drops every entry that read {@code schema.table} of {@code source} (as the source spells
     * them, ignoring case): the hook for change feeds such as the MySQL binlog or BigQuery's
     * {@code lastModifiedTime}.
     */
    public void invalidateTable(String source, String schema, String table)
    {
        changedAt.put(tableKey(source, schema, table), System.nanoTime());
        generation.incrementAndGet();
        String qualified = (schema + "." + table).toLowerCase(Locale.ROOT);
        for (ResultKey key : results.asMap().keySet()) {
            if (key.query().source().equals(source) && key.query().tables().stream().map(SourceTable::qualifiedName).anyMatch(name -> name.toLowerCase(Locale.ROOT).equals(qualified))) {
                if (results.asMap().remove(key) != null) {
                    invalidations.incrementAndGet();
                }
            }
        }
    }

    /** A table's last-modified time was read (BigQuery's tables.get). */
    void lastModifiedChecked()
    {
        lastModifiedChecks.incrementAndGet();
    }

    /** A check found a table's last-modified time changed (its entries were dropped). */
    void lastModifiedChanged()
    {
        lastModifiedChanges.incrementAndGet();
    }

    /** A check could not read a table's last-modified time (its entries are not served until one can). */
    void lastModifiedCheckFailed()
    {
        lastModifiedFailures.incrementAndGet();
    }

    public Stats stats()
    {
        long bytes = results.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0)).orElse(0L);
        return new Stats(results.estimatedSize(), bytes, hits.sum(), misses.sum(), bypasses.sum(), evictions.get(), invalidations.get(), sharedWaits.get(),
                lastModifiedChecks.get(), lastModifiedChanges.get(), lastModifiedFailures.get());
    }

    /** The rows read so far, then the rest of the source's stream. */
    private static final class PrefixedStream
            implements ResultStream
    {
        private final List<ColumnMetadata> columns;
        private final List<Object[]> prefix;
        private final ResultStream rest;
        private int next;
        private Object[] current;

        PrefixedStream(List<ColumnMetadata> columns, List<Object[]> prefix, ResultStream rest)
        {
            this.columns = columns;
            this.prefix = prefix;
            this.rest = rest;
        }

        @Override
        public List<ColumnMetadata> columns()
        {
            return columns;
        }

        @Override
        public boolean next()
        {
            if (next < prefix.size()) {
                current = prefix.get(next);
                prefix.set(next++, null);
                return true;
            }
            current = null;
            return rest.next();
        }

        @Override
        public boolean nextRowArrived()
        {
            return next < prefix.size() || rest.nextRowArrived();
        }

        @Override
        public Object value(int column)
        {
            return current != null ? current[column] : rest.value(column);
        }

        @Override
        public void close()
        {
            rest.close();
        }
    }
}
