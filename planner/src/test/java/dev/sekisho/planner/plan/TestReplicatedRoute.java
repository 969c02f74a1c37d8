package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.catalog.CopyFreshness;
import dev.sekisho.planner.catalog.ReplicatedTable;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorCapability;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import static dev.sekisho.planner.testing.TestingConnector.column;
import static dev.sekisho.planner.testing.TestingShop.context;
import static dev.sekisho.planner.testing.TestingShop.readAll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement over a replicated table runs on its MySQL source or on the warehouse copy, chosen per
 * execution by the copy's age against what the statement accepts and by MySQL's EXPLAIN rows; the
 * copy is read with the table's columns and types, so its SQL needs no casts.
 */
class TestReplicatedRoute
{
    private static final SessionContext SESSION = new SessionContext("alice", List.of("shop"));

    private TestingConnector shop;
    private TestingConnector lake;
    private Estimating estimating;
    private CalciteQueryPlanner planner;

    @BeforeEach
    void setUp()
    {
        shop = new TestingConnector("shop", SqlDialectKind.MYSQL);
        TestingShop.addOrders(shop, "shop");
        lake = new TestingConnector("warehouse", SqlDialectKind.BIGQUERY);
        // BigQuery's types, another column order and an extra column
        lake.addTable("lake", "shop_orders", List.of(
                        column("loaded_at", ColumnType.of(Kind.TIMESTAMP)),
                        column("ordered_on", ColumnType.of(Kind.DATE)),
                        column("quantity", ColumnType.of(Kind.BIGINT)),
                        column("amount", ColumnType.decimal(38, 9)),
                        column("customer_id", ColumnType.of(Kind.BIGINT)),
                        column("id", ColumnType.of(Kind.BIGINT))),
                List.of(List.of(java.time.LocalDateTime.of(2024, 4, 4, 3, 0), LocalDate.of(2024, 4, 1), 1L, new BigDecimal("12.5"), 1L, 10L)));
        estimating = new Estimating(shop);
        planner = new CalciteQueryPlanner(List.of(estimating, lake), PlannerOptions.defaults().withReplicatedTables(List.of(
                new ReplicatedTable("shop.orders", "lake.shop_orders", CopyFreshness.lag(Duration.ofHours(24)), Duration.ofHours(36), 100))));
    }

    @Test
    void heavyStatementRunsOnTheCopyWithTheTablesTypes()
    {
        estimating.rows = OptionalLong.of(10_000);
        // as BigQuery returns them: INT64 and NUMERIC
        lake.answer(List.of(List.of(10L, new BigDecimal("12.5"), 1L)));
        PreparedQuery query = planner.prepare("select id, amount, quantity from orders", List.of(), SESSION);
        assertThat(query.isFullyPushedDown()).isTrue();
        List<List<Object>> rows = readAll(query.execute(List.of(), context()));
        assertThat(lake.queries()).hasSize(1);
        assertThat(lake.lastQuery().sql()).isEqualTo("SELECT id, amount, quantity FROM lake.shop_orders");
        // values converted to the table's types: INT, DECIMAL(10, 2)
        assertThat(rows).containsExactly(List.of(10, new BigDecimal("12.50"), 1));
        assertThat(estimating.explained).containsExactly("SELECT `id`, `amount`, `quantity` FROM `shop`.`orders`");
        assertThat(query.explain()).contains(
                "Route (source shop or copy warehouse): warehouse: EXPLAIN on shop expects 10000 rows, over replica_max_rows 100, "
                        + "and the copy is 24h 0m old, within 36h 0m (max_staleness)",
                "  shop.orders: copy lake.shop_orders on source warehouse, a fixed lag of 24h 0m, 24h 0m old now; max_staleness 36h 0m, replica_max_rows 100",
                "Pushed down to source warehouse (bigquery):\nSELECT id, amount, quantity FROM lake.shop_orders");
    }

    @Test
    void cheapStatementStaysOnMySqlWithItsParameterInTheEstimate()
    {
        estimating.rows = OptionalLong.of(1);
        PreparedQuery query = planner.prepare("select amount from orders where id = $1", List.of(), SESSION);
        readAll(query.execute(List.of(10), context()));
        assertThat(lake.queries()).isEmpty();
        assertThat(shop.lastQuery().sql()).isEqualTo("SELECT `amount` FROM `shop`.`orders` WHERE `id` = ?");
        assertThat(estimating.explainedParameters).containsExactly(List.of(10));
        assertThat(query.explain()).contains("shop or warehouse, chosen at each execution by MySQL's EXPLAIN rows (replica_max_rows 100)");
    }

    @Test
    void statementAskingForFresherDataStaysOnMySqlWithoutAnEstimate()
    {
        estimating.rows = OptionalLong.of(10_000);
        PreparedQuery query = planner.prepare("/* sekisho: max_staleness=15m */ select sum(amount) from orders", List.of(), SESSION);
        readAll(query.execute(List.of(), context()));
        assertThat(lake.queries()).isEmpty();
        assertThat(estimating.explained).isEmpty();
        assertThat(query.explain()).contains("shop: the copy is 24h 0m old, older than 15m 0s (the statement's max_staleness comment)");
    }

    @Test
    void noEstimateMeansMySql()
    {
        estimating.rows = OptionalLong.empty();
        readAll(planner.prepare("select count(*) from orders", List.of(), SESSION).execute(List.of(), context()));
        assertThat(lake.queries()).isEmpty();
    }

    @Test
    void statementsReadingOtherTablesOrACopyWithoutTheColumnsAreNotRouted()
    {
        shop.addTable("shop", "notes", List.of(column("id", ColumnType.of(Kind.INTEGER))), List.of());
        lake.addTable("lake", "narrow", List.of(column("id", ColumnType.of(Kind.BIGINT))), List.of());
        CalciteQueryPlanner narrow = new CalciteQueryPlanner(List.of(estimating, lake), PlannerOptions.defaults().withReplicatedTables(List.of(
                new ReplicatedTable("shop.orders", "lake.narrow", CopyFreshness.lag(Duration.ofHours(1)), Duration.ofHours(36), 0))));
        estimating.rows = OptionalLong.of(10_000);
        assertThat(narrow.prepare("select id from orders", List.of(), SESSION)).isInstanceOf(PushedDownQuery.class);
        assertThat(planner.prepare("select o.id from orders o join notes n on n.id = o.id", List.of(), SESSION)).isInstanceOf(PushedDownQuery.class);
    }

    /** The MySQL source with an EXPLAIN estimate set by the test. */
    private static final class Estimating
            implements Connector
    {
        private final TestingConnector delegate;
        private final List<String> explained = new ArrayList<>();
        private final List<List<Object>> explainedParameters = new ArrayList<>();
        private OptionalLong rows = OptionalLong.empty();

        Estimating(TestingConnector delegate)
        {
            this.delegate = delegate;
        }

        @Override
        public OptionalLong estimateRows(BackendQuery query, ExecutionContext context)
        {
            explained.add(query.sql());
            explainedParameters.add(query.parameters());
            return rows;
        }

        @Override
        public String name()
        {
            return delegate.name();
        }

        @Override
        public SqlDialectKind dialect()
        {
            return delegate.dialect();
        }

        @Override
        public ConnectorMetadata metadata()
        {
            return delegate.metadata();
        }

        @Override
        public ResultStream execute(BackendQuery query, ExecutionContext context)
        {
            return delegate.execute(query, context);
        }

        @Override
        public Set<ConnectorCapability> capabilities()
        {
            return delegate.capabilities();
        }
    }
}
