package dev.sekisho.planner.policy;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingShop;
import dev.sekisho.policies.Principal;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sekisho.planner.testing.TestingSecuredShop.ANALYST_JP;
import static dev.sekisho.planner.testing.TestingSecuredShop.planner;
import static dev.sekisho.planner.testing.TestingSecuredShop.session;
import static dev.sekisho.planner.testing.TestingShop.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Masks and row filters hold for every way a query can reach a protected column: each query runs
 * through Calcite's local engine on the sample shop (joined with a one-row table of another source
 * to keep it local), as an analyst of region JP who sees customers 1 and 3 with masked emails.
 */
class TestSecuredPlans
{
    private final TestingConnector shop = TestingShop.mysqlShop();
    private final CalciteQueryPlanner planner = planner(shop);

    @Test
    void selectStar()
    {
        assertThat(local("SELECT id, name, email, region FROM customers")).containsExactlyInAnyOrder(
                row(1, "Alice", "****@example.com", "JP"),
                row(3, "Carol", null, "JP"));
        PreparedQuery query = prepare("SELECT * FROM customers");
        assertThat(query.columns()).extracting(column -> column.name()).containsExactly("id", "name", "email", "region", "active", "profile", "created_at");
    }

    @Test
    void aliasesAndExpressions()
    {
        assertThat(local("SELECT c.email AS e FROM customers c")).containsExactlyInAnyOrder(row("****@example.com"), row((Object) null));
        List<List<Object>> rows = local("""
                SELECT lower(email), substring(email, 1, 5), concat(email, 'x'), email || 'y', CAST(email AS varchar(50)),
                       CASE WHEN email LIKE 'alice%' THEN 'leak' ELSE 'no' END, upper(email)::text
                FROM customers WHERE id = 1""");
        assertThat(rows).containsExactly(row("****@example.com", "****@", "****@example.comx", "****@example.comy", "****@example.com", "no", "****@EXAMPLE.COM"));
    }

    @Test
    void whereJoinGroupByHaving()
    {
        assertThat(local("SELECT id FROM customers WHERE email = 'alice@example.com'")).isEmpty();
        assertThat(local("SELECT id FROM customers WHERE email LIKE 'alice%' OR lower(email) LIKE 'bob%'")).isEmpty();
        assertThat(local("SELECT id FROM customers WHERE region = 'US'")).isEmpty();
        assertThat(local("SELECT c.id FROM customers c JOIN (VALUES ('alice@example.com')) v(e) ON c.email = v.e")).isEmpty();
        assertThat(local("SELECT c.id FROM customers c JOIN (VALUES ('****@example.com')) v(e) ON c.email = v.e")).containsExactly(row(1));
        assertThat(local("SELECT email, count(*) FROM customers GROUP BY email HAVING email LIKE '%alice%' OR count(*) > 5")).isEmpty();
        assertThat(local("SELECT region, count(*) FROM customers GROUP BY region")).containsExactly(row("JP", 2L));
    }

    @Test
    void distinctAndAggregates()
    {
        assertThat(local("SELECT count(DISTINCT email), count(*) FROM customers")).containsExactly(row(1L, 2L));
        assertThat(local("SELECT DISTINCT email FROM customers WHERE email IS NOT NULL")).containsExactly(row("****@example.com"));
        assertThat(local("SELECT sum(amount), max(amount) FROM orders")).hasSize(1)
                .first().satisfies(row -> {
                    assertThat((BigDecimal) row.get(0)).isEqualByComparingTo("100");
                    assertThat((BigDecimal) row.get(1)).isEqualByComparingTo("100");
                });
    }

    @Test
    void windowsAndSetOperations()
    {
        assertThat(local("SELECT email FROM customers INTERSECT SELECT 'alice@example.com'")).isEmpty();
        assertThat(local("SELECT 'alice@example.com' EXCEPT SELECT email FROM customers")).containsExactly(row("alice@example.com"));
        assertThat(local("SELECT id FROM customers UNION ALL SELECT id FROM customers WHERE region = 'US'")).containsExactlyInAnyOrder(row(1), row(3));
        assertThat(local("SELECT email FROM customers UNION SELECT email FROM customers WHERE id = 2")).containsExactlyInAnyOrder(
                row("****@example.com"), row((Object) null));
    }

    @Test
    void ctesAndSubqueries()
    {
        assertThat(local("WITH c AS (SELECT * FROM customers) SELECT id FROM c WHERE email LIKE 'bob%' OR region = 'US'")).isEmpty();
        assertThat(local("WITH c AS (SELECT * FROM customers), d AS (SELECT id, email FROM c) SELECT id, email FROM d")).containsExactlyInAnyOrder(
                row(1, "****@example.com"), row(3, null));
        assertThat(local("SELECT id FROM orders WHERE customer_id IN (SELECT id FROM customers)")).containsExactlyInAnyOrder(row(10), row(11), row(13));
        assertThat(local("SELECT id FROM orders o WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id AND c.email LIKE 'alice%')")).isEmpty();
        assertThat(local("SELECT id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id)")).containsExactly(row(12));
    }

    @Test
    void lateral()
    {
        assertThat(local("SELECT o.id, x.e FROM orders o, LATERAL (SELECT c.email AS e FROM customers c WHERE c.id = o.customer_id) x")).containsExactlyInAnyOrder(
                row(10, "****@example.com"), row(11, "****@example.com"), row(13, null));
    }

    @Test
    void parameters()
    {
        PreparedQuery byEmail = planner.prepare("SELECT c.id FROM customers c CROSS JOIN aux.one WHERE c.email = $1", List.of(), session(ANALYST_JP));
        assertThat(byEmail.parameterTypes()).hasSize(1);
        assertThat(TestingShop.readAll(byEmail.execute(List.of("alice@example.com"), TestingShop.context()))).isEmpty();
        assertThat(TestingShop.readAll(byEmail.execute(List.of("****@example.com"), TestingShop.context()))).containsExactly(row(1));
        PreparedQuery byRegion = planner.prepare("SELECT c.id FROM customers c CROSS JOIN aux.one WHERE c.region = $1::varchar", List.of(), session(ANALYST_JP));
        assertThat(TestingShop.readAll(byRegion.execute(List.of("US"), TestingShop.context()))).isEmpty();
        assertThat(TestingShop.readAll(byRegion.execute(List.of("JP"), TestingShop.context()))).containsExactlyInAnyOrder(row(1), row(3));
    }

    @Test
    void pushedDownSqlKeepsMasksAndFiltersAtTheTable()
    {
        PreparedQuery query = prepare("SELECT lower(email) FROM customers WHERE email LIKE $1 ORDER BY email");
        assertThat(query.isFullyPushedDown()).isTrue();
        query.execute(List.of("alice%"), TestingShop.context()).close();
        String sql = shop.lastQuery().sql();
        assertThat(sql).contains("REVERSE(`email`)").contains("`region` = ?").doesNotContain("JP").doesNotContain("alice");
        // the client's parameter first, then the policy's
        // placeholders in text order: the policy's filter sits inside, at the table
        assertThat(sql.indexOf("LIKE ?")).isGreaterThan(sql.indexOf("`region` = ?"));
        // each text comparison binds its value twice: the collation's equality (index use) and the exact one
        assertThat(shop.lastQuery().parameters()).containsExactly("JP", "JP", "alice%", "alice%");
        assertThat(query.explain()).contains("REVERSE(`email`)").contains("policies.yaml:10: shop.customers.email: mask email")
                .contains(":user.region = 'JP'");
        assertThat(query.firedRules()).extracting(rule -> rule.origin().toString()).contains("policies.yaml:6", "policies.yaml:10", "policies.yaml:13");
    }

    @Test
    void scalarSubqueryPushedDown()
    {
        for (String sql : List.of("SELECT (SELECT c.email FROM customers c WHERE c.id = 1)",
                "SELECT o.id, (SELECT c.email FROM customers c WHERE c.id = o.customer_id) FROM orders o")) {
            PreparedQuery query = prepare(sql);
            query.execute(List.of(), TestingShop.context()).close();
            assertThat(shop.lastQuery().sql()).contains("REVERSE(`email`)").contains("`region` = ?");
            assertThat(shop.lastQuery().parameters()).containsExactly("JP", "JP");
        }
    }

    @Test
    void windowFunctionsSeeMaskedValues()
    {
        PreparedQuery query = prepare("SELECT id, first_value(email) OVER (PARTITION BY region ORDER BY id), count(*) OVER () FROM customers");
        assertThat(query.isFullyPushedDown()).isTrue();
        query.execute(List.of(), TestingShop.context()).close();
        String sql = shop.lastQuery().sql();
        // the window reads the derived, masked column of a sub-select filtered by the policy
        assertThat(sql).containsPattern("FIRST_VALUE\\(`t\\d*`\\.`email`\\)|FIRST_VALUE\\(CASE WHEN LOCATE");
        assertThat(sql).contains("WHERE `region` = ?");
    }

    @Test
    void adminSeesRawValues()
    {
        Principal admin = new Principal("root", Set.of("admins"), Map.of());
        assertThat(TestingShop.readAll(planner.prepare("SELECT c.id, c.email, c.bio FROM customers c CROSS JOIN aux.one", List.of(), session(admin))
                .execute(List.of(), TestingShop.context()))).containsExactlyInAnyOrder(
                row(1, "alice@example.com", "hello"), row(2, "bob@example.com", null), row(3, null, "hi"));
    }

    @Test
    void noPolicyMeansEverythingVisible()
    {
        PreparedQuery query = planner.prepare("SELECT * FROM customers", List.of(), new SessionContext("anyone", List.of("shop")));
        assertThat(query.columns()).hasSize(8);
        assertThat(query.firedRules()).isEmpty();
        assertThat(query.explain()).doesNotContain("Policy");
    }

    private PreparedQuery prepare(String sql)
    {
        return planner.prepare(sql, List.of(), session(ANALYST_JP));
    }

    /** Runs the query locally: wrapped in a cross join with a table of another source. */
    private List<List<Object>> local(String sql)
    {
        int columns = prepare(sql).columns().size();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            names.add("q.c" + i);
        }
        String wrapped = "SELECT " + String.join(", ", names) + " FROM (" + sql + ") q(" + String.join(", ", names).replace("q.", "") + ") CROSS JOIN aux.one";
        PreparedQuery query = prepare(wrapped);
        assertThat(query.isFullyPushedDown()).isFalse();
        return TestingShop.readAll(query.execute(List.of(), TestingShop.context()));
    }

    static List<Object> list(Object... values)
    {
        return Arrays.asList(values);
    }
}
