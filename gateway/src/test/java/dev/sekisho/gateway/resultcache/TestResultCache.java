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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestResultCache
{
    private static final SourceTable CUSTOMERS = new SourceTable("shop", "customers");
    private static final SourceTable ORDERS = new SourceTable("shop", "orders");
    private static final ColumnType INTEGER = ColumnType.of(ColumnType.Kind.INTEGER);

    /** A source that counts its executions and answers {@code rows} rows of one integer column. */
    private static final class CountingSource
            implements Connector
    {
        private final AtomicInteger executions = new AtomicInteger();
        private volatile int rows = 3;
        private volatile CountDownLatch gate;

        @Override
        public String name()
        {
            return "shopdb";
        }

        @Override
        public SqlDialectKind dialect()
        {
            return SqlDialectKind.MYSQL;
        }

        @Override
        public ConnectorMetadata metadata()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public ResultStream execute(BackendQuery query, ExecutionContext context)
        {
            executions.incrementAndGet();
            CountDownLatch wait = gate;
            if (wait != null) {
                try {
                    wait.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int count = rows;
            int base = query.parameters().isEmpty() ? 0 : ((Number) query.parameters().get(0)).intValue();
            return new ResultStream()
            {
                private int next;

                @Override
                public List<ColumnMetadata> columns()
                {
                    return List.of(new ColumnMetadata("id", INTEGER, false, "int"));
                }

                @Override
                public boolean next()
                {
                    return next++ < count;
                }

                @Override
                public Object value(int column)
                {
                    return base + next;
                }

                @Override
                public void close() {}
            };
        }
    }

    private final CountingSource source = new CountingSource();
    // no settle time: these tests read again right after an invalidation
    private final ResultCache cache = new ResultCache(new ResultCacheSettings(1 << 20, 4096, Map.of("shop.customers", Duration.ofMinutes(5)), Duration.ZERO));
    private final CachingConnector connector = new CachingConnector(source, cache);

    private static BackendQuery lookup(int id, SourceTable... tables)
    {
        return new BackendQuery("shopdb", "SELECT `id` FROM `shop`.`customers` WHERE `id` > ?", List.of(id), List.of(INTEGER), List.of(tables));
    }

    private static ExecutionContext session(String cacheSetting)
    {
        ExecutionContext plain = ExecutionContext.uncancellable("alice");
        return new ExecutionContext()
        {
            @Override
            public String user()
            {
                return "alice";
            }

            @Override
            public Registration onCancel(Runnable action)
            {
                return plain.onCancel(action);
            }

            @Override
            public Optional<String> setting(String name)
            {
                return name.equals(CachingConnector.SESSION_SETTING) ? Optional.ofNullable(cacheSetting) : Optional.empty();
            }

            @Override
            public boolean isCancelled()
            {
                return false;
            }

            @Override
            public Optional<String> cancelReason()
            {
                return Optional.empty();
            }
        };
    }

    /** A session's context for a statement the cost guard admitted as a cache hit, without an estimate. */
    private static ExecutionContext admittedAsHit()
    {
        ExecutionContext session = session(null);
        return new ExecutionContext()
        {
            @Override
            public String user()
            {
                return session.user();
            }

            @Override
            public Registration onCancel(Runnable action)
            {
                return session.onCancel(action);
            }

            @Override
            public boolean admittedAsCacheHit()
            {
                return true;
            }

            @Override
            public boolean isCancelled()
            {
                return false;
            }

            @Override
            public Optional<String> cancelReason()
            {
                return Optional.empty();
            }
        };
    }

    @Test
    void whatTheCostGuardSeesAsAHitIsServedAndAnEntryGoneMeanwhileNeverReachesTheSourceUnestimated()
    {
        assertThat(connector.wouldAnswer(lookup(10, CUSTOMERS), Optional.empty())).isFalse();
        assertThat(read(lookup(10, CUSTOMERS), session(null))).containsExactly(11, 12, 13);
        assertThat(connector.wouldAnswer(lookup(10, CUSTOMERS), Optional.empty())).isTrue();
        assertThat(connector.wouldAnswer(lookup(10, CUSTOMERS), Optional.of("off"))).isFalse();
        assertThat(read(lookup(10, CUSTOMERS), admittedAsHit())).containsExactly(11, 12, 13);
        assertThat(source.executions).hasValue(1);

        // the table changed between the guard's look and the read: the statement fails (40001), the source is not asked
        cache.invalidateTable("shopdb", "shop", "customers");
        assertThatThrownBy(() -> read(lookup(10, CUSTOMERS), admittedAsHit())).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.sqlState()).isEqualTo("40001"));
        assertThat(source.executions).hasValue(1);
    }

    private List<Integer> read(BackendQuery query, ExecutionContext context)
    {
        List<Integer> values = new ArrayList<>();
        try (ResultStream stream = connector.execute(query, context)) {
            while (stream.next()) {
                values.add((Integer) stream.value(0));
            }
        }
        return values;
    }

    @Test
    void aRepeatedStatementIsAnsweredFromTheCache()
    {
        assertThat(read(lookup(10, CUSTOMERS), session(null))).containsExactly(11, 12, 13);
        assertThat(read(lookup(10, CUSTOMERS), session(null))).containsExactly(11, 12, 13);
        assertThat(source.executions).hasValue(1);
        assertThat(cache.stats().hits()).isEqualTo(1);
        assertThat(cache.stats().misses()).isEqualTo(1);
        // other bound values are another entry
        assertThat(read(lookup(20, CUSTOMERS), session(null))).containsExactly(21, 22, 23);
        assertThat(source.executions).hasValue(2);
        assertThat(cache.stats().entries()).isEqualTo(2);
    }

    @Test
    void identicalConcurrentStatementsRunOnce()
            throws Exception
    {
        source.gate = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Integer>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(clients.submit(() -> read(lookup(10, CUSTOMERS), session(null))));
            }
            // the first statement holds the source until the others wait for it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (cache.stats().sharedWaits() < 7 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            source.gate.countDown();
            for (Future<List<Integer>> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).containsExactly(11, 12, 13);
            }
        }
        finally {
            clients.shutdownNow();
        }
        assertThat(cache.stats().sharedWaits()).isEqualTo(7);
        assertThat(source.executions).hasValue(1);
    }

    @Test
    void tablesWithoutATtlAreNotCached()
    {
        read(lookup(10, CUSTOMERS, ORDERS), session(null));
        read(lookup(10, CUSTOMERS, ORDERS), session(null));
        read(lookup(10), session(null));
        read(lookup(10), session(null));
        assertThat(source.executions).hasValue(4);
        assertThat(cache.stats().entries()).isZero();
    }

    @Test
    void nonDeterministicStatementsBypassTheCache()
    {
        for (String sql : List.of("SELECT NOW(), `id` FROM `shop`.`customers` WHERE `id` > ?", "SELECT `id` FROM `shop`.`customers` WHERE `id` > ? ORDER BY RAND()",
                "SELECT CURRENT_TIMESTAMP, `id` FROM `shop`.`customers` WHERE `id` > ?", "SELECT CURRENT_USER(), `id` FROM `shop`.`customers` WHERE `id` > ?")) {
            BackendQuery query = new BackendQuery("shopdb", sql, List.of(1), List.of(INTEGER), List.of(CUSTOMERS));
            read(query, session(null));
            read(query, session(null));
        }
        assertThat(source.executions).hasValue(8);
        // a column or a string that merely spells a function's name is no call
        BackendQuery quoted = new BackendQuery("shopdb", "SELECT `user`, 'now()' FROM `shop`.`customers` WHERE `id` > ?", List.of(1), List.of(INTEGER),
                List.of(CUSTOMERS));
        read(quoted, session(null));
        read(quoted, session(null));
        assertThat(source.executions).hasValue(9);
    }

    @Test
    void aSessionCanTurnTheCacheOff()
    {
        read(lookup(10, CUSTOMERS), session("off"));
        read(lookup(10, CUSTOMERS), session("off"));
        assertThat(source.executions).hasValue(2);
        read(lookup(10, CUSTOMERS), session("on"));
        read(lookup(10, CUSTOMERS), session("on"));
        assertThat(source.executions).hasValue(3);
    }

    @Test
    void resultsOverTheEntryLimitStreamWhole()
    {
        source.rows = 1_000;
        List<Integer> first = read(lookup(0, CUSTOMERS), session(null));
        List<Integer> second = read(lookup(0, CUSTOMERS), session(null));
        assertThat(first).hasSize(1_000).startsWith(1, 2, 3).endsWith(1_000);
        assertThat(second).isEqualTo(first);
        assertThat(source.executions).hasValue(2);
        assertThat(cache.stats().entries()).isZero();
    }

    @Test
    void invalidationDropsEntries()
    {
        read(lookup(10, CUSTOMERS), session(null));
        cache.invalidateTable("shopdb", "shop", "orders");
        read(lookup(10, CUSTOMERS), session(null));
        assertThat(source.executions).hasValue(1);
        cache.invalidateTable("shopdb", "SHOP", "Customers");
        read(lookup(10, CUSTOMERS), session(null));
        assertThat(source.executions).hasValue(2);
        cache.invalidateAll();
        read(lookup(10, CUSTOMERS), session(null));
        assertThat(source.executions).hasValue(3);
        assertThat(cache.stats().invalidations()).isEqualTo(2);
    }

    @Test
    void aResultReadBeforeAnInvalidationIsNotKept()
    {
        ResultCache racing = new ResultCache(new ResultCacheSettings(1 << 20, 4096, Map.of("shop", Duration.ofMinutes(5))));
        BackendQuery query = lookup(1, CUSTOMERS);
        ResultStream rows = racing.read(query, Duration.ofMinutes(5), () -> {
            // the change arrives while the source answers
            racing.invalidateTable("shopdb", "shop", "customers");
            return source.execute(query, session(null));
        }, () -> {});
        rows.close();
        assertThat(racing.stats().entries()).isZero();
    }

    @Test
    void aChangedTableIsNotKeptWhileTheReadServersMayStillBeBehind()
    {
        ResultCache settling = new ResultCache(new ResultCacheSettings(1 << 20, 4096, Map.of("shop", Duration.ofMinutes(5)), Duration.ofHours(1)));
        CachingConnector reader = new CachingConnector(source, settling);
        BackendQuery query = lookup(1, CUSTOMERS);
        reader.execute(query, session(null)).close();
        assertThat(settling.stats().entries()).isEqualTo(1);
        settling.invalidateTable("shopdb", "shop", "customers");
        reader.execute(query, session(null)).close();
        reader.execute(query, session(null)).close();
        assertThat(settling.stats().entries()).isZero();
        assertThat(source.executions).hasValue(3);
        // another table is cached as before; a change of the whole source holds every table
        BackendQuery orders = new BackendQuery("shopdb", "SELECT `id` FROM `shop`.`orders` WHERE `id` > ?", List.of(1), List.of(INTEGER), List.of(ORDERS));
        reader.execute(orders, session(null)).close();
        assertThat(settling.stats().entries()).isEqualTo(1);
        settling.invalidateSource("shopdb");
        reader.execute(orders, session(null)).close();
        assertThat(settling.stats().entries()).isZero();
    }

    @Test
    void ttlsComeFromTheTableOrItsSchema()
    {
        ResultCacheSettings settings = new ResultCacheSettings(1 << 20, 4096, Map.of("shop", Duration.ofMinutes(5), "shop.orders", Duration.ofSeconds(10)));
        assertThat(settings.ttl(List.of(CUSTOMERS))).contains(Duration.ofMinutes(5));
        assertThat(settings.ttl(List.of(CUSTOMERS, ORDERS))).contains(Duration.ofSeconds(10));
        assertThat(settings.ttl(List.of(new SourceTable("other", "t")))).isEmpty();
        assertThat(settings.ttl(List.of())).isEmpty();
    }
}
