package dev.sekisho.gateway.resultcache;

import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.SourceTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Keeps cached results of a source without a change feed (BigQuery) honest: for every table whose
 * results are read through the cache, the table's last-modified time is read again at most every
 * {@link ResultCacheSettings#lastModifiedCheck()} on threads of its own, and a changed time drops
 * the table's entries. A statement never waits for a check: it reads the last known state, and
 * that state lets the cache serve a table only while its last good check is recent (started within
 * twice the interval) and no check since has failed. Anything else (no check yet, a failed one, a
 * check that hangs) keeps the table's statements away from the cache until a check succeeds: they
 * run at the source and are not stored. Thread-safe.
 */
final class LastModifiedChecks
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(LastModifiedChecks.class);

    private final Connector source;
    private final ResultCache cache;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, TableState> tables = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    /** Runs the checks: blocking metadata reads, at most one per table at a time. */
    private final ExecutorService checks;
    private volatile boolean closed;

    LastModifiedChecks(Connector source, ResultCache cache, Duration interval)
    {
        this(source, cache, interval, System::nanoTime);
    }

    LastModifiedChecks(Connector source, ResultCache cache, Duration interval, LongSupplier nanoTime)
    {
        this.source = requireNonNull(source, "source is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.intervalNanos = requireNonNull(interval, "interval is null").toNanos();
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        String name = source.name();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "sekisho-cache-checks-timer-" + name));
        this.checks = Executors.newCachedThreadPool(runnable -> daemon(runnable, "sekisho-cache-check-" + name));
        // a tick a few times per interval: a table is checked again between one and about 1.25 intervals after its last check
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(50), intervalNanos / 4);
        timer.scheduleWithFixedDelay(this::checkDue, tick, tick, TimeUnit.NANOSECONDS);
    }

    private static Thread daemon(Runnable runnable, String name)
    {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Whether the cache may serve and keep {@code query}'s rows now: every table it reads had a
     * recent good check. Never blocks; a table read for the first time (or again after a quiet
     * spell) gets its check started now.
     */
    boolean allowsCaching(BackendQuery query)
    {
        long now = nanoTime.getAsLong();
        boolean allowed = !query.tables().isEmpty();
        for (SourceTable table : query.tables()) {
            TableState state = tables.computeIfAbsent(key(table), name -> new TableState(table));
            state.lastUsed = now;
            if (!state.verifiedAt(now)) {
                allowed = false;
                startIfDue(state, now);
            }
        }
        return allowed;
    }

    private static String key(SourceTable table)
    {
        return table.qualifiedName().toLowerCase(Locale.ROOT);
    }

    /** The timer's tick: checks again each table that was read recently and whose last check is an interval old. */
    private void checkDue()
    {
        long now = nanoTime.getAsLong();
        for (TableState state : tables.values()) {
            // a table nobody read for a while is not checked; its next statement finds its state stale and starts a check
            if (now - state.lastUsed <= 4 * intervalNanos) {
                startIfDue(state, now);
            }
        }
    }

    private void startIfDue(TableState state, long now)
    {
        if (state.checkedAt != Long.MIN_VALUE && now - state.checkedAt < intervalNanos) {
            return;
        }
        if (!state.inFlight.compareAndSet(false, true)) {
            return;
        }
        state.checkedAt = now;
        try {
            checks.execute(() -> check(state, now));
        }
        catch (RejectedExecutionException e) {
            // closed
            state.inFlight.set(false);
        }
    }

    private void check(TableState state, long startedAt)
    {
        try {
            OptionalLong modified = source.lastModified(state.table);
            if (modified.isEmpty()) {
                throw new IllegalStateException("the source keeps no last-modified time for " + state.table);
            }
            synchronized (state) {
                long previous = state.lastModified;
                if (previous != Long.MIN_VALUE && previous != modified.getAsLong()) {
                    // not served from the moment the change is seen: the entries go before the table counts as checked again
                    state.verifiedAt = Long.MIN_VALUE;
                    cache.invalidateTable(source.name(), state.table.schema(), state.table.table());
                    cache.lastModifiedChanged();
                    log.debug("Source {}: {} changed (lastModifiedTime {} -> {}); its cached results are dropped", source.name(), state.table, previous,
                            modified.getAsLong());
                }
                state.lastModified = modified.getAsLong();
                state.verifiedAt = startedAt;
                if (state.failing) {
                    state.failing = false;
                    log.info("Source {}: the last-modified time of {} can be read again; its results are cached again", source.name(), state.table);
                }
            }
            cache.lastModifiedChecked();
        }
        catch (RuntimeException e) {
            if (closed) {
                // the gateway stops: the check was interrupted, nothing failed
                return;
            }
            synchronized (state) {
                state.verifiedAt = Long.MIN_VALUE;
                if (!state.failing) {
                    state.failing = true;
                    log.warn("Source {}: cannot read the last-modified time of {} ({}); its results are not served from the cache until a check succeeds",
                            source.name(), state.table, e.getMessage());
                }
            }
            cache.lastModifiedCheckFailed();
        }
        finally {
            state.inFlight.set(false);
        }
    }

    @Override
    public void close()
    {
        closed = true;
        timer.shutdownNow();
        checks.shutdownNow();
    }

    /** What is known of one table: its last-modified time, and when that was last read successfully. */
    private final class TableState
    {
        private final SourceTable table;
        private final AtomicBoolean inFlight = new AtomicBoolean();
        /** The last time a statement read the table (nanoTime). */
        private volatile long lastUsed;
        /** When the last check started (nanoTime); MIN_VALUE before the first. */
        private volatile long checkedAt = Long.MIN_VALUE;
        /** When the last good check started (nanoTime); MIN_VALUE while none counts (none yet, a failure, a change being applied). */
        private volatile long verifiedAt = Long.MIN_VALUE;
        /** The last-modified time the last good check read; MIN_VALUE before the first. Kept while the table is not read, so a change meanwhile is seen. */
        private long lastModified = Long.MIN_VALUE;
        private boolean failing;

        TableState(SourceTable table)
        {
            this.table = table;
        }

        boolean verifiedAt(long now)
        {
            long verified = verifiedAt;
            return verified != Long.MIN_VALUE && now - verified <= 2 * intervalNanos;
        }
    }
}
