package dev.sekisho.planner.sql;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sekisho.planner.testing.TestingSecuredShop.ANALYST_JP;
import static dev.sekisho.planner.testing.TestingSecuredShop.planner;
import static dev.sekisho.planner.testing.TestingSecuredShop.session;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which placeholders of the SQL MySQL receives are free of collation (a MySQL source may bind them
 * as server-side parameters): those compared with a base table's column and those only cast to
 * bytes, never one that meets a literal, another parameter, a function or a derived table's column.
 * That server-side binding of the free ones answers as the literal would is proven against MariaDB
 * in {@code TestMySqlConnector}.
 */
class TestCollationFreeParameters
{
    private final TestingConnector shop = TestingShop.mysqlShop();
    private final CalciteQueryPlanner planner = planner(shop);

    @Test
    void comparisonsWithColumnsAndBytesAreFree()
    {
        BackendQuery lookup = run("SELECT id, name, email, region FROM customers WHERE id = $1", 3);
        assertThat(lookup.sql()).endsWith("WHERE `region` = ? AND CAST(CAST(`region` AS CHAR) AS BINARY) = CAST(? AS BINARY) AND `id` = ?");
        assertThat(lookup.collationFreeParameters()).containsExactlyInAnyOrder(0, 1, 2);

        BackendQuery byName = run("SELECT id FROM customers WHERE name = $1", "Carol");
        assertThat(byName.sql()).contains("`name` = ? AND CAST(`name` AS BINARY) = CAST(? AS BINARY)");
        assertThat(byName.collationFreeParameters()).as(byName.sql()).containsExactlyInAnyOrder(0, 1, 2, 3);

        BackendQuery ranges = run("SELECT id FROM customers WHERE $1 < name AND name <= $2", "A", "D");
        assertThat(ranges.collationFreeParameters()).as(ranges.sql()).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void placeholdersThatMayMeetAnotherCoercibleStringAreNotFree()
    {
        for (String sql : List.of(
                "SELECT id FROM customers WHERE name = $1 OR $1 = 'x'",
                "SELECT id FROM customers WHERE name LIKE $1",
                "SELECT id FROM customers WHERE upper(name) = $1",
                "SELECT id FROM customers WHERE name = concat($1::text, 'x')",
                "SELECT id, $1::text AS label FROM customers",
                "SELECT id FROM customers WHERE name = CASE WHEN id = 1 THEN $1::text ELSE 'y' END",
                "SELECT id FROM customers WHERE name = coalesce($1::text, name)")) {
            BackendQuery query = run(sql, "x");
            boolean clientsFree = true;
            for (int position = 0; position < query.parameters().size(); position++) {
                if (query.parameters().get(position).equals("x")) {
                    // each placeholder is bound on its own: one beside a column may be free, the statement is not
                    clientsFree &= query.collationFreeParameters().contains(position);
                }
                else {
                    // the row filter's "JP", compared with the column and cast to bytes
                    assertThat(query.collationFreeParameters()).as("%s, placeholder %d", query.sql(), position).contains(position);
                }
            }
            assertThat(clientsFree).as("every placeholder of the client's value free in %s", query.sql()).isFalse();
            assertThat(query.parameters()).as(query.sql()).contains("x", "JP");
        }
    }

    @Test
    void aDerivedTableFreesNothing()
    {
        // the derived table's columns may be literals, as coercible as a parameter
        BackendQuery query = run("SELECT * FROM (SELECT id, name FROM customers ORDER BY id LIMIT 5) t WHERE name = $1", "Carol");
        assertThat(query.sql()).contains("FROM (SELECT");
        assertThat(query.collationFreeParameters()).isEmpty();

        // the policy's masks make each joined table a derived table
        BackendQuery joined = run("SELECT c.id FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.name = $1", "Carol");
        assertThat(joined.sql()).contains("FROM (SELECT");
        assertThat(joined.collationFreeParameters()).isEmpty();
    }

    @Test
    void aViewFreesNothing()
    {
        // a view's column may be a literal (CREATE VIEW v AS SELECT 'x' AS label), as coercible as a parameter
        shop.addView("shop", "labels", List.of(TestingConnector.column("label", dev.sekisho.planner.spi.ColumnType.varchar(10))), List.of());
        CalciteQueryPlanner withView = planner(shop);
        dev.sekisho.planner.SessionContext withoutPolicy = new dev.sekisho.planner.SessionContext("alice", List.of("shop"));
        PreparedQuery query = withView.prepare("SELECT label FROM labels WHERE label = $1", List.of(), withoutPolicy);
        query.execute(List.of("x"), TestingShop.context()).close();
        assertThat(shop.lastQuery().sql()).contains("FROM `shop`.`labels` WHERE `label` = ?");
        assertThat(shop.lastQuery().collationFreeParameters()).isEmpty();

        // the same statement on a table frees its placeholders
        PreparedQuery onTable = withView.prepare("SELECT name FROM customers WHERE name = $1", List.of(), withoutPolicy);
        onTable.execute(List.of("x"), TestingShop.context()).close();
        assertThat(shop.lastQuery().sql()).contains("FROM `shop`.`customers` WHERE `name` = ?");
        assertThat(shop.lastQuery().collationFreeParameters()).isNotEmpty();
    }

    @Test
    void otherDialectsFreeNothing()
    {
        TestingConnector bigquery = new TestingConnector("warehouse", dev.sekisho.planner.spi.SqlDialectKind.BIGQUERY);
        TestingShop.addCustomers(bigquery, "shop");
        PreparedQuery query = planner(bigquery).prepare("SELECT id FROM customers WHERE name = $1", List.of(), session(ANALYST_JP));
        query.execute(List.of("Carol"), TestingShop.context()).close();
        assertThat(bigquery.lastQuery().parameters()).isNotEmpty();
        assertThat(bigquery.lastQuery().collationFreeParameters()).isEmpty();
    }

    private BackendQuery run(String sql, Object... parameters)
    {
        PreparedQuery query = planner.prepare(sql, List.of(), session(ANALYST_JP));
        query.execute(List.of(parameters), TestingShop.context()).close();
        return shop.lastQuery();
    }
}
