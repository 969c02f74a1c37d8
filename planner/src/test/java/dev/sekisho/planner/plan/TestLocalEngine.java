package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingPolicies;
import dev.sekisho.planner.testing.TestingSecuredShop;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static dev.sekisho.planner.testing.TestingShop.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the gateway computes itself: federated aggregates, catalog functions, and the MySQL SQL of PostgreSQL's semantics. */
class TestLocalEngine
{
    private static final SessionContext SESSION = new SessionContext("alice", List.of("shop"));

    private final TestingConnector shop = TestingShop.mysqlShop();
    /** Two sources: a join of shop with aux runs locally. */
    private final CalciteQueryPlanner federated = TestingSecuredShop.planner(shop);
    // as written: these tests check the SQL the source receives, literals included
    private final CalciteQueryPlanner single = new CalciteQueryPlanner(List.of(shop), PlannerOptions.defaults().withoutNormalization());

    @Test
    void globalAggregateOverNoRowsReturnsOneRow()
    {
        PreparedQuery query = federated.prepare("SELECT count(*), count(c.name), sum(c.id), max(c.name) FROM customers c JOIN aux.one o ON c.id = o.x "
                + "WHERE c.id > 100", List.of(), SESSION);
        assertThat(query.isFullyPushedDown()).isFalse();
        assertThat(run(query)).containsExactly(row(0L, 0L, null, null));
    }

    @Test
    void distinctAggregates()
    {
        // region is char(2): JP, US, JP
        assertThat(run(federated.prepare("SELECT count(DISTINCT c.region), count(c.region), count(*), sum(c.id) FROM customers c JOIN aux.one o ON c.id >= o.x",
                List.of(), SESSION))).containsExactly(row(2L, 3L, 3L, 6L));
        assertThat(run(federated.prepare("SELECT c.region, count(DISTINCT c.name), sum(c.id::bigint) FROM customers c JOIN aux.one o ON c.id >= o.x "
                + "GROUP BY c.region ORDER BY 1", List.of(), SESSION)))
                .extracting(row -> row.get(0), row -> row.get(1), row -> ((BigDecimal) row.get(2)).longValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("JP", 2L, 4L), org.assertj.core.groups.Tuple.tuple("US", 1L, 2L));
    }

    @Test
    void versionAndSessionFunctionsAreAnsweredLocally()
    {
        for (String sql : List.of("select version()", "SELECT pg_catalog.version()", "select current_user", "select current_database()", "select current_schema()")) {
            PreparedQuery query = single.prepare(sql, List.of(), SESSION);
            assertThat(query.isFullyPushedDown()).as(sql).isFalse();
        }
        String version = (String) run(single.prepare("select version()", List.of(), SESSION)).get(0).get(0);
        assertThat(version).matches("PostgreSQL \\d+(\\.\\d+)? on .*, 64-bit");
        assertThat(run(single.prepare("select current_database(), current_schema()", List.of(), SESSION))).containsExactly(row("sekisho", "shop"));
        assertThat(shop.queries()).isEmpty();
    }

    @Test
    void catalogQueriesRunWindowsAggregatesAndSubQueries()
    {
        List<List<Object>> rows = run(single.prepare("""
                SELECT c.relname, row_number() OVER (ORDER BY c.relname) AS n,
                       (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0) AS columns
                FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
                WHERE ns.nspname = 'shop' AND c.relkind = 'r' ORDER BY 1""", List.of(), SESSION));
        assertThat(rows).containsExactly(row("customers", 1L, 8L), row("orders", 2L, 5L));
        assertThat(run(single.prepare("SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = "
                + "(SELECT oid FROM pg_namespace WHERE nspname = 'shop') AND relkind = 'r'", List.of(), SESSION))).containsExactly(row("customers,orders"));
        assertThat(run(single.prepare("SELECT array_to_string(ARRAY(SELECT relname FROM pg_class WHERE relkind = 'r' AND relname IN ('orders', 'customers') ORDER BY 1), ';')",
                List.of(), SESSION))).containsExactly(row("customers;orders"));
        assertThat(run(single.prepare("SELECT count(*) FROM pg_class WHERE relname = 'nothing'", List.of(), SESSION))).containsExactly(row(0L));
    }

    @Test
    void mysqlKeepsPostgresSemantics()
    {
        PreparedQuery concat = single.prepare("SELECT concat(name, email) FROM customers", List.of(), SESSION);
        assertThat(((PushedDownQuery) concat).sourceSql()).contains("CONCAT_WS(''");
        PreparedQuery numeric = single.prepare("SELECT CAST(amount AS numeric), amount::numeric(10, 1) FROM orders", List.of(), SESSION);
        String sql = ((PushedDownQuery) numeric).sourceSql();
        // numeric without a modifier keeps the value's scale: amount is numeric(12, 2)
        assertThat(sql).contains("CAST(`amount` AS DECIMAL(65, 2))").contains("DECIMAL(10, 1)").doesNotContain("DECIMAL(65, 0)").doesNotContain("DECIMAL(65, 30)");
    }

    @Test
    void functionsTheSourceLacksRunInTheGatewayOverItsRows()
    {
        for (String sql : List.of("SELECT array_agg(id ORDER BY id) FROM customers", "SELECT json_build_object('id', id) FROM customers",
                "SELECT split_part(email, '@', 2), count(*) FROM customers GROUP BY 1", "SELECT region, count(*) FROM customers GROUP BY ROLLUP(region)",
                "SELECT to_char(created_at, 'YYYY-MM') FROM customers")) {
            PreparedQuery query = single.prepare(sql, List.of(), SESSION);
            assertThat(query.isFullyPushedDown()).as(sql).isFalse();
            assertThat(query.explain()).as(sql).contains("because source shopdb cannot run");
            run(query);
        }
        // the source only ever saw plain scans
        assertThat(shop.queries()).allSatisfy(sent -> assertThat(sent.sql()).startsWith("SELECT `").doesNotContainIgnoringCase("array_agg")
                .doesNotContainIgnoringCase("json_build_object").doesNotContainIgnoringCase("split_part").doesNotContainIgnoringCase("rollup"));
        assertThat(run(single.prepare("SELECT array_agg(id ORDER BY id DESC) FROM customers", List.of(), SESSION))).containsExactly(row(List.of(3, 2, 1)));
        assertThat(run(single.prepare("SELECT to_char(created_at, 'YYYY-MM Mon') FROM customers WHERE id = 1", List.of(), SESSION)))
                .containsExactly(row("2024-01 Jan"));
    }

    @Test
    void recursiveQueriesRunInTheGatewayOneExecutionAtATime()
            throws Exception
    {
        PreparedQuery query = single.prepare("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 200) SELECT n, c.name FROM r "
                + "LEFT JOIN customers c ON c.id = r.n", List.of(), SESSION);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<List<List<Object>>>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(() -> run(query)));
            }
            for (java.util.concurrent.Future<List<List<Object>>> result : runs) {
                List<List<Object>> rows = result.get();
                assertThat(rows).hasSize(200);
                assertThat(rows.get(1)).isEqualTo(row(2, "Bob"));
            }
        }
        finally {
            pool.shutdownNow();
        }
        // under a policy, too (the plan's work table is found by its generated code in a root schema of its own)
        dev.sekisho.policies.PolicySet policies = TestingPolicies.parse("""
                tables:
                  shop.customers:
                    allow: ["group:everyone"]
                    columns:
                      name: {mask: redact}
                """);
        SessionContext secured = TestingPolicies.session(dev.sekisho.policies.Principal.of("alice"), policies);
        PreparedQuery masked = single.prepare("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n, c.name FROM r "
                + "JOIN customers c ON c.id = r.n", List.of(), secured);
        assertThat(run(masked)).extracting(row -> row.get(0)).containsExactly(1, 2, 3);
        assertThat(run(masked)).extracting(row -> row.get(1)).doesNotContain("Alice", "Bob", "Carol");
        PreparedQuery endless = single.prepare("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r", List.of(), SESSION);
        assertThatThrownBy(() -> run(endless)).isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("54000"));
    }

    @Test
    void arrayLiteralsAreCheckedAsPostgresChecksThem()
    {
        assertThat(run(single.prepare("SELECT count(*) FROM pg_attribute WHERE attnum = ANY ('{1,2}'::int2[]) AND attrelid = 'customers'::regclass",
                List.of(), SESSION))).containsExactly(row(2L));
        assertThatThrownBy(() -> single.prepare("SELECT '{1,x}'::int2[]", List.of(), SESSION))
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("22P02");
                    assertThat(e.getMessage()).isEqualTo("invalid input syntax for type smallint: \"x\"");
                });
        assertThatThrownBy(() -> single.prepare("SELECT '{1,2'::int4[]", List.of(), SESSION))
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("22P02");
                    assertThat(e.getMessage()).startsWith("malformed array literal: \"{1,2\"");
                });
        assertThatThrownBy(() -> single.prepare("SELECT '{70000}'::int2[]", List.of(), SESSION))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22003"));
    }

    private static List<List<Object>> run(PreparedQuery query)
    {
        return TestingShop.readAll(query.execute(List.of(), TestingShop.context()));
    }
}
