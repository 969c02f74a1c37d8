package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static dev.sekisho.planner.testing.TestingShop.context;
import static dev.sekisho.planner.testing.TestingShop.readAll;
import static dev.sekisho.planner.testing.TestingShop.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Statements over two sources run locally, reading each table through its own connector. */
class TestFederatedQuery
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
        sales = new TestingConnector("sales", SqlDialectKind.MYSQL);
        TestingShop.addOrders(sales, "Sales");
        planner = new CalciteQueryPlanner(List.of(crm, sales), PlannerOptions.defaults());
    }

    @Test
    void joinAcrossTwoSources()
    {
        PreparedQuery query = planner.prepare("select c.name, o.amount, o.ordered_on from crm.customers c join sales.orders o on o.customer_id = c.id "
                + "where o.quantity >= $1 order by o.amount desc", List.of(), SESSION);
        assertThat(query.isFullyPushedDown()).isFalse();
        assertThat(query.explain()).contains("crm: SELECT").contains("sales: SELECT").contains("`Sales`.`orders`");
        assertThat(query.parameterTypes()).containsExactly(ColumnType.of(Kind.INTEGER));
        assertThat(query.columns()).extracting(ResultColumn::type)
                .containsExactly(ColumnType.varchar(100), ColumnType.decimal(10, 2), ColumnType.of(Kind.DATE));

        List<List<Object>> rows = readAll(query.execute(List.of(2), context()));
        assertThat(rows).containsExactly(
                row("Bob", new BigDecimal("100.00"), LocalDate.of(2024, 4, 3)),
                row("Alice", new BigDecimal("7.25"), LocalDate.of(2024, 4, 2)));
        // each source was asked for its own table only, in its own spelling
        assertThat(crm.queries()).allSatisfy(sent -> assertThat(sent.sql()).contains("FROM `crm`.`customers`"));
        assertThat(sales.queries()).allSatisfy(sent -> assertThat(sent.sql()).contains("FROM `Sales`.`orders`"));
    }

    @Test
    void aggregateAcrossTwoSourcesWithNulls()
    {
        PreparedQuery query = planner.prepare("select c.region, count(*), sum(o.quantity), avg(o.quantity) from crm.customers c "
                + "left join sales.orders o on o.customer_id = c.id group by c.region order by 1", List.of(), SESSION);
        List<List<Object>> rows = readAll(query.execute(List.of(), context()));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).subList(0, 3)).containsExactly("JP", 3L, 4L);
        assertThat(rows.get(1).subList(0, 3)).containsExactly("US", 1L, 2L);
        assertThat((BigDecimal) rows.get(1).get(3)).isEqualByComparingTo("2");
    }

    @Test
    void simpleFiltersArePushedToTheScan()
    {
        PreparedQuery query = planner.prepare("select c.name from crm.customers c join sales.orders o on o.customer_id = c.id "
                + "where c.region = 'JP' and o.quantity > 2", List.of(), SESSION);
        assertThat(readAll(query.execute(List.of(), context()))).containsExactly(row("Alice"));
        assertThat(sales.lastQuery().sql()).endsWith("WHERE `quantity` > 2");
        // read after the orders (the join's held side): the region filter and the orders' customer ids as a dynamic filter
        assertThat(crm.lastQuery().sql()).endsWith("WHERE `region` = 'JP' AND `id` IN (?, ?, ?)");
        assertThat(crm.lastQuery().parameters()).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void sameSchemaFromTwoSourcesIsRejected()
    {
        TestingConnector other = new TestingConnector("crm2", SqlDialectKind.MYSQL);
        TestingShop.addCustomers(other, "CRM");
        assertThatThrownBy(() -> new CalciteQueryPlanner(List.of(crm, other), PlannerOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"crm\"")
                .hasMessageContaining("\"crm2\"");
    }

    @Test
    void mixedCaseSchemaIsExposedInLowerCase()
    {
        PreparedQuery query = planner.prepare("select count(*) from sales.orders", List.of(), SESSION);
        assertThat(((PushedDownQuery) query).sourceSql()).isEqualTo("SELECT COUNT(*) FROM `Sales`.`orders`");
    }
}
