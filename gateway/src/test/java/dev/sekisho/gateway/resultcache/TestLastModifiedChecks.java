package dev.sekisho.gateway.resultcache;

import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SourceTable;
import dev.sekisho.planner.spi.SqlDialectKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The background checks of a table's last-modified time, with a source whose answers the test
 * sets: a statement never waits for a check, one check per table is in flight, a changed time drops
 * the table's entries, and a failing or stalled check keeps the table out of the cache.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestLastModifiedChecks
{
    private static final SourceTable TABLE = new SourceTable("lake", "events");
    private static final BackendQuery QUERY = new BackendQuery("warehouse", "SELECT id FROM lake.events", List.of(), List.of(), List.of(TABLE));
    private static final Duration INTERVAL = Duration.ofMillis(100);

    /** A source whose tables.get the test controls. */
    private static final class Source
            implements Connector
    {
        private final AtomicLong modified = new AtomicLong(1000);
        private final AtomicInteger checks = new AtomicInteger();
        private volatile boolean failing;
        private volatile CountDownLatch gate;

        @Override
        public String name()
        {
            return "warehouse";
        }

        @Override
        public SqlDialectKind dialect()
        {
            return SqlDialectKind.BIGQUERY;
        }

        @Override
        public ConnectorMetadata metadata()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public ResultStream execute(BackendQuery query, ExecutionContext context)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean tracksLastModified()
        {
            return true;
        }

        @Override
        public OptionalLong lastModified(SourceTable table)
        {
            checks.incrementAndGet();
            CountDownLatch wait = gate;
            if (wait != null) {
                try {
                    wait.await();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failing) {
                throw new QueryException("08006", "tables.get failed");
            }
            return OptionalLong.of(modified.get());
        }
    }

    @Test
    void aStatementNeverWaitsForACheckAndOneCheckPerTableIsInFlight()
            throws InterruptedException
    {
        Source source = new Source();
        source.gate = new CountDownLatch(1);
        ResultCache cache = cache();
        try (LastModifiedChecks checks = new LastModifiedChecks(source, cache, INTERVAL)) {
            // the first check hangs at the source: every statement meanwhile answers at once, and bypasses the cache
            for (int i = 0; i < 50; i++) {
                assertThat(checks.allowsCaching(QUERY)).isFalse();
            }
            Thread.sleep(5 * INTERVAL.toMillis());
            assertThat(checks.allowsCaching(QUERY)).isFalse();
            assertThat(source.checks.get()).as("checks in flight for one table").isEqualTo(1);
            source.gate.countDown();
            source.gate = null;
            await(() -> checks.allowsCaching(QUERY));
        }
    }

    @Test
    void aChangedTimeDropsTheTablesEntriesAndAFailedCheckFailsClosed()
            throws InterruptedException
    {
        Source source = new Source();
        ResultCache cache = cache();
        try (LastModifiedChecks checks = new LastModifiedChecks(source, cache, INTERVAL)) {
            await(() -> checks.allowsCaching(QUERY));
            store(cache);
            assertThat(cache.holds(QUERY)).isTrue();

            // the table changes: the next check drops the entry and counts the change
            source.modified.incrementAndGet();
            await(() -> cache.stats().lastModifiedChanges() == 1);
            assertThat(cache.holds(QUERY)).isFalse();
            assertThat(cache.stats().invalidations()).isEqualTo(1);
            assertThat(checks.allowsCaching(QUERY)).isTrue();

            // a failing check: the table is kept out of the cache (its entry stays, unserved) until a check succeeds
            store(cache);
            source.failing = true;
            await(() -> cache.stats().lastModifiedFailures() > 0);
            assertThat(checks.allowsCaching(QUERY)).isFalse();
            assertThat(cache.holds(QUERY)).isTrue();
            source.failing = false;
            await(() -> checks.allowsCaching(QUERY));
            // the time did not change meanwhile: the entry was right all along
            assertThat(cache.holds(QUERY)).isTrue();
            assertThat(cache.stats().lastModifiedChanges()).isEqualTo(1);
        }
    }

    @Test
    void aTableWhoseCheckStallsIsNotServedOnceItsLastGoodCheckIsTwoIntervalsOld()
            throws InterruptedException
    {
        Source source = new Source();
        ResultCache cache = cache();
        try (LastModifiedChecks checks = new LastModifiedChecks(source, cache, INTERVAL)) {
            await(() -> checks.allowsCaching(QUERY));
            source.gate = new CountDownLatch(1);
            await(() -> !checks.allowsCaching(QUERY));
            source.gate.countDown();
        }
    }

    private static ResultCache cache()
    {
        return new ResultCache(new ResultCacheSettings(1 << 20, 1 << 16, Map.of("lake", Duration.ofMinutes(10)), Duration.ZERO, INTERVAL));
    }

    private static void store(ResultCache cache)
    {
        ColumnMetadata id = new ColumnMetadata("id", ColumnType.of(ColumnType.Kind.INTEGER), false, "int");
        ResultStream read = cache.read(QUERY, Duration.ofMinutes(10), () -> new CachedResult.RowsStream(List.of(id), List.<Object[]>of(new Object[] {1})),
                () -> {});
        read.close();
    }

    private static void await(BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited too long").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
