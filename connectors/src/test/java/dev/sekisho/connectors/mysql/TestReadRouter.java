package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SourceTable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Routing decisions from servers' states: freshness limits per table, fail closed, fallback, retries elsewhere. */
public class TestReadRouter
{
    private static final SourceTable ORDERS = new SourceTable("shop", "orders");
    private static final SourceTable CUSTOMERS = new SourceTable("shop", "customers");
    private static final SourceTable REPORT = new SourceTable("reports", "daily");

    private static final RoutingSettings ROUTING = new RoutingSettings(Duration.ofSeconds(30),
            Map.of("shop.orders", Duration.ofSeconds(2), "reports", Duration.ofMinutes(10)), 1000, 1000, 2, 3, Optional.empty());

    private static ReadRouter router(MySqlConfig.PrimaryReads primaryReads)
    {
        return new ReadRouter("shop", new FreshnessLimits("shop", ROUTING), primaryReads, new LeastBusySelector());
    }

    private static ServerHealth.Snapshot up(double lag)
    {
        return new ServerHealth.Snapshot(ServerHealth.State.UP, true, lag, lag, Optional.empty(), Optional.empty());
    }

    private static ServerHealth.Snapshot down(String reason)
    {
        return new ServerHealth.Snapshot(ServerHealth.State.DOWN, true, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Optional.of(reason), Optional.of(reason));
    }

    private static ServerHealth.Snapshot lagging(String reason)
    {
        return new ServerHealth.Snapshot(ServerHealth.State.LAGGING, true, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Optional.of(reason), Optional.of(reason));
    }

    private static ReadRouter.View replica(String name, ServerHealth.Snapshot health, int active)
    {
        return new ReadRouter.View(name, false, false, 1, active, health);
    }

    @Test
    public void theTightestLimitOfTheTablesReadApplies()
    {
        FreshnessLimits limits = new FreshnessLimits("shop", ROUTING);
        assertThat(limits.forTables(List.of())).isEqualTo(new FreshnessLimits.Limit(30, "max_lag of source shop"));
        assertThat(limits.forTables(List.of(CUSTOMERS)).seconds()).isEqualTo(30);
        assertThat(limits.forTables(List.of(CUSTOMERS, ORDERS))).isEqualTo(new FreshnessLimits.Limit(2, "max_lag_for shop.orders"));
        assertThat(limits.forTables(List.of(REPORT))).isEqualTo(new FreshnessLimits.Limit(600, "max_lag_for reports, for reports.daily"));
        assertThat(limits.forTables(List.of(new SourceTable("SHOP", "Orders"))).seconds()).as("names are not case-sensitive").isEqualTo(2);
        assertThat(limits.loosestSeconds()).isEqualTo(600);
    }

    /** The limit of the last table list is remembered by identity: only for that very (immutable) list, never for a list changed since. */
    @Test
    public void theLimitOfTheLastTablesAskedAboutIsNeverAnotherListsLimit()
    {
        FreshnessLimits limits = new FreshnessLimits("shop", ROUTING);
        List<SourceTable> tight = List.of(CUSTOMERS, ORDERS);
        List<SourceTable> loose = List.of(CUSTOMERS);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.forTables(tight).seconds()).isEqualTo(2);
            assertThat(limits.forTables(tight).seconds()).isEqualTo(2);
            assertThat(limits.forTables(loose).seconds()).isEqualTo(30);
        }
        List<SourceTable> changing = new java.util.ArrayList<>(List.of(CUSTOMERS));
        assertThat(limits.forTables(changing).seconds()).isEqualTo(30);
        changing.add(ORDERS);
        assertThat(limits.forTables(changing).seconds()).isEqualTo(2);
        changing.set(1, REPORT);
        assertThat(limits.forTables(changing).seconds()).isEqualTo(30);
    }

    @Test
    public void aModeratelyLaggingReplicaServesTheLooseTableButNotTheTightOne()
    {
        List<ReadRouter.View> servers = List.of(replica("replica-a", up(6.2), 0), replica("replica-b", down("connection refused"), 0));
        ReadRouter router = router(MySqlConfig.PrimaryReads.NEVER);
        assertThat(router.route(List.of(CUSTOMERS), servers, Set.of()).order()).containsExactly("replica-a");

        ReadRouter.Route refused = router.route(List.of(CUSTOMERS, ORDERS), servers, Set.of());
        assertThat(refused.order()).isEmpty();
        QueryException error = refused.refusal().orElseThrow();
        assertThat(error.sqlState()).isEqualTo("57P03");
        assertThat(error.getMessage())
                .contains("source 'shop'")
                .contains("max_lag 2.0 s (max_lag_for shop.orders)")
                .contains("replica-a is up, lag 6.2 s")
                .contains("replica-b is down (connection refused)")
                .contains("the primary is never read (read_from_primary: false)");
        assertThat(refused.explanation("shop").text()).contains("refused (57P03)").contains("replica-a: up, lag 6.2 s, 0 active: not eligible: lag over max_lag 2.0 s");
    }

    @Test
    public void aRefusalNamesARecentReadingOverTheLimitWhenTheLatestIsWithinIt()
    {
        // caught up now (0.2 s), but one of its last readings was 6.0 s: it serves the tight table only after up_after good readings
        ServerHealth.Snapshot recovering = new ServerHealth.Snapshot(ServerHealth.State.UP, true, 0.2, 6.0, Optional.empty(), Optional.empty());
        List<ReadRouter.View> servers = List.of(replica("replica-a", recovering, 0), replica("replica-b", down("connection refused"), 0));
        QueryException error = router(MySqlConfig.PrimaryReads.NEVER).route(List.of(CUSTOMERS, ORDERS), servers, Set.of()).refusal().orElseThrow();
        assertThat(error.getMessage()).contains("replica-a is up, lag 0.2 s (6.0 s in a recent check)");
    }

    @Test
    public void fewestActiveStatementsPerWeightFirst()
    {
        ReadRouter router = router(MySqlConfig.PrimaryReads.NEVER);
        List<ReadRouter.View> servers = List.of(replica("a", up(0), 3), replica("b", up(0), 1), replica("c", lagging("replication SQL thread not running (No)"), 0));
        ReadRouter.Route route = router.route(List.of(CUSTOMERS), servers, Set.of());
        assertThat(route.order()).containsExactly("b", "a");
        assertThat(route.decision()).startsWith("b under max_lag 30.0 s (max_lag of source shop, for shop.customers)");
        assertThat(route.lines()).anySatisfy(line -> assertThat(line).startsWith("c: lagging").contains("SQL thread"));
        // a server that failed this statement is not tried again
        assertThat(router.route(List.of(CUSTOMERS), servers, Set.of("b")).order()).containsExactly("a");

        List<ReadRouter.View> weighted = List.of(new ReadRouter.View("small", false, false, 1, 1, up(0)), new ReadRouter.View("big", false, false, 3, 2, up(0)));
        assertThat(router.route(List.of(), weighted, Set.of()).order()).containsExactly("big", "small");
    }

    @Test
    public void allStaleOrDownFailsClosedUnlessTheFallbackIsConfigured()
    {
        ReadRouter.View primary = new ReadRouter.View("primary", true, true, 1, 0, up(0));
        List<ReadRouter.View> servers = List.of(replica("replica-a", lagging("replication SQL thread not running (No)"), 1),
                replica("replica-b", down("connection refused"), 0), primary);

        QueryException error = router(MySqlConfig.PrimaryReads.NEVER).route(List.of(CUSTOMERS), servers.subList(0, 2), Set.of()).refusal().orElseThrow();
        assertThat(error.sqlState()).isEqualTo("57P03");
        // a lagging server that still runs a statement is draining
        assertThat(error.getMessage()).contains("replica-a is draining, lag ∞, 1 statement(s) still running (replication SQL thread not running (No))")
                .contains("replica-b is down (connection refused)");

        ReadRouter.Route fallback = router(MySqlConfig.PrimaryReads.FALLBACK).route(List.of(CUSTOMERS), servers, Set.of());
        assertThat(fallback.order()).containsExactly("primary");
        assertThat(fallback.fallback()).isTrue();
        assertThat(fallback.decision()).contains("read_from_primary: fallback");

        // with replicas that qualify, the fallback primary is never read
        List<ReadRouter.View> healthy = List.of(replica("replica-a", up(0), 0), primary);
        assertThat(router(MySqlConfig.PrimaryReads.FALLBACK).route(List.of(CUSTOMERS), healthy, Set.of()).order()).containsExactly("replica-a");

        ReadRouter.View downPrimary = new ReadRouter.View("primary", true, true, 1, 0, down("connection refused"));
        QueryException noFallback = router(MySqlConfig.PrimaryReads.FALLBACK).route(List.of(CUSTOMERS), List.of(servers.get(0), servers.get(1), downPrimary), Set.of())
                .refusal().orElseThrow();
        assertThat(noFallback.getMessage()).contains("the fallback primary primary is down (connection refused)");
    }

    @Test
    public void metadataIsReadFromAnyServerThatAnswers()
    {
        ReadRouter router = router(MySqlConfig.PrimaryReads.NEVER);
        assertThat(router.metadataOrder(List.of(replica("a", lagging("replication SQL thread not running (No)"), 0), replica("b", down("connection refused"), 0))))
                .containsExactly("a");
        List<ReadRouter.View> allDown = List.of(replica("a", down("connection refused"), 0));
        assertThat(router.metadataOrder(allDown)).isEmpty();
        assertThat(router.noServerAnswers(allDown).sqlState()).isEqualTo("57P03");
    }

    @Test
    public void leastBusySelectorSpreadsIdleServersByWeight()
    {
        LeastBusySelector selector = new LeastBusySelector();
        List<ReadServerSelector.Candidate> idle = List.of(new ReadServerSelector.Candidate("a", 1, 0), new ReadServerSelector.Candidate("b", 2, 0));
        int firstB = 0;
        for (int i = 0; i < 30; i++) {
            if (selector.choose(idle).get(0).equals("b")) {
                firstB++;
            }
        }
        assertThat(firstB).isEqualTo(20);
    }
    /**
     * A source with one server gets from {@code onlyServer} exactly the route {@code route} gives
     * when the server serves the statement (order, fallback, limit, decision, lines), and defers to
     * {@code route} (null) when it does not; the route is made once per limit.
     */
    @Test
    public void aSourceWithOneServerGetsTheRouteRouteWouldGiveMadeOncePerLimit()
    {
        ReadRouter router = router(MySqlConfig.PrimaryReads.NEVER);
        ServerHealth health = new ServerHealth(600, 2, 3);
        List<List<SourceTable>> statements = List.of(List.of(CUSTOMERS), List.of(CUSTOMERS, ORDERS), List.of(REPORT), List.of());
        // never checked, fresh, lagging past the orders' 2 s, lagging past every limit, down
        assertSameRoutes(router, health, statements);
        health.recordCheck(new ReplicationLag(0.2, Optional.empty()), System.nanoTime());
        assertSameRoutes(router, health, statements);
        assertThat(router.onlyServer(List.of(CUSTOMERS), "r1", health, () -> views(health))).isNotNull();
        health.recordCheck(new ReplicationLag(20, Optional.empty()), System.nanoTime());
        assertSameRoutes(router, health, statements);
        assertThat(router.onlyServer(List.of(CUSTOMERS, ORDERS), "r1", health, () -> views(health))).isNull();
        health.recordCheck(new ReplicationLag(900, Optional.empty()), System.nanoTime());
        assertSameRoutes(router, health, statements);
        health.recordFailure("connection refused", System.nanoTime());
        assertSameRoutes(router, health, statements);

        ServerHealth fresh = new ServerHealth(600, 2, 3);
        fresh.recordCheck(new ReplicationLag(0.1, Optional.empty()), System.nanoTime());
        ReadRouter.Route first = router.onlyServer(List.of(CUSTOMERS), "r1", fresh, () -> views(fresh));
        assertThat(router.onlyServer(List.of(CUSTOMERS), "r1", fresh, () -> views(fresh))).isSameAs(first);
        ReadRouter.Route orders = router.onlyServer(List.of(ORDERS), "r1", fresh, () -> views(fresh));
        assertThat(orders.limit().seconds()).isEqualTo(2);
        assertThat(router.onlyServer(List.of(CUSTOMERS), "r1", fresh, () -> views(fresh)).limit()).isEqualTo(first.limit());
    }

    private static void assertSameRoutes(ReadRouter router, ServerHealth health, List<List<SourceTable>> statements)
    {
        for (List<SourceTable> tables : statements) {
            ReadRouter.Route full = router.route(tables, views(health), Set.of());
            ReadRouter.Route fast = router.onlyServer(tables, "r1", health, () -> views(health));
            if (full.refusal().isPresent() || full.fallback()) {
                assertThat(fast).as(tables.toString()).isNull();
                continue;
            }
            assertThat(fast).as(tables.toString()).isNotNull();
            assertThat(fast.order()).isEqualTo(full.order());
            assertThat(fast.fallback()).isFalse();
            assertThat(fast.limit()).isEqualTo(full.limit());
            assertThat(fast.decision()).isEqualTo(full.decision());
            assertThat(fast.lines()).isEqualTo(full.lines());
            assertThat(fast.refusal()).isEmpty();
        }
    }

    private static List<ReadRouter.View> views(ServerHealth health)
    {
        return List.of(new ReadRouter.View("r1", false, false, 1, 0, health.snapshot(System.nanoTime())));
    }
}
