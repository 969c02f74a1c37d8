package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorCapability;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.RouteExplanation;
import dev.sekisho.planner.spi.SourceTable;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.sekisho.planner.testing.TestingConnector.column;
import static dev.sekisho.planner.testing.TestingShop.context;
import static dev.sekisho.planner.testing.TestingShop.readAll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tables a statement reads reach its sources (freshness limits are per table), and the route
 * each source would take now is part of the explanation.
 */
class TestRoutes
{
    private static final SessionContext SESSION = new SessionContext("alice", List.of());

    private TestingConnector crm;
    private TestingConnector sales;
    private CalciteQueryPlanner planner;

    @BeforeEach
    void setUp()
    {
        crm = new TestingConnector("crm", SqlDialectKind.MYSQL);
        TestingShop.addCustomers(crm, "crm");
        crm.addTable("crm", "regions", List.of(column("code", ColumnType.character(2)), column("label", ColumnType.varchar(20))),
                List.of(List.of("JP", "Japan"), List.of("US", "United States")));
        sales = new TestingConnector("sales", SqlDialectKind.MYSQL);
        TestingShop.addOrders(sales, "Sales");
        planner = new CalciteQueryPlanner(List.of(new Routed(crm), new Routed(sales)), PlannerOptions.defaults());
    }

    @Test
    void aPushedDownStatementNamesEveryTableItReadsAndExplainsItsRoute()
    {
        PreparedQuery query = planner.prepare("select c.name, r.label from crm.customers c join crm.regions r on r.code = c.region where c.id = $1",
                List.of(), SESSION);
        assertThat(query.isFullyPushedDown()).isTrue();
        readAll(query.execute(List.of(1), context()));
        assertThat(crm.lastQuery().tables()).containsExactlyInAnyOrder(new SourceTable("crm", "customers"), new SourceTable("crm", "regions"));
        assertThat(query.routes()).singleElement().satisfies(route -> {
            assertThat(route.source()).isEqualTo("crm");
            assertThat(route.server()).contains("replica-1");
        });
        assertThat(query.explain())
                .contains("Pushed down to source crm (mysql)")
                .contains("Route (source crm): replica-1 for crm.customers, crm.regions")
                .contains("  replica-2: lagging");
    }

    @Test
    void eachScanOfAFederatedStatementNamesAllOfItsSourcesTables()
    {
        PreparedQuery query = planner.prepare("select c.name, r.label, o.amount from crm.customers c join crm.regions r on r.code = c.region "
                + "join sales.orders o on o.customer_id = c.id", List.of(), SESSION);
        assertThat(query.isFullyPushedDown()).isFalse();
        readAll(query.execute(List.of(), context()));
        assertThat(crm.queries()).isNotEmpty().allSatisfy(sent -> assertThat(sent.tables())
                .containsExactlyInAnyOrder(new SourceTable("crm", "customers"), new SourceTable("crm", "regions")));
        assertThat(sales.queries()).isNotEmpty().allSatisfy(sent -> assertThat(sent.tables()).containsExactly(new SourceTable("Sales", "orders")));
        assertThat(query.routes()).extracting(RouteExplanation::source).containsExactly("crm", "sales");
        assertThat(query.explain()).contains("Route (source crm): replica-1 for crm.customers, crm.regions").contains("Route (source sales): replica-1 for Sales.orders");
    }

    /** A source that explains a route naming the tables it was asked about. */
    private record Routed(TestingConnector delegate)
            implements Connector
    {
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

        @Override
        public Optional<RouteExplanation> explainRoute(BackendQuery query)
        {
            String tables = String.join(", ", query.tables().stream().map(SourceTable::qualifiedName).sorted().toList());
            return Optional.of(new RouteExplanation(name(), Optional.of("replica-1"), "replica-1 for " + tables,
                    List.of("replica-1: up, lag 0.2 s, 0 active: chosen", "replica-2: lagging, lag ∞, 0 active: not eligible")));
        }
    }
}
