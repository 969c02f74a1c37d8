package dev.sekisho.planner.policy;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingPolicies;
import dev.sekisho.planner.testing.TestingSecuredShop;
import dev.sekisho.planner.testing.TestingShop;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sekisho.planner.testing.TestingConnector.column;
import static dev.sekisho.planner.testing.TestingSecuredShop.ANALYST_JP;
import static dev.sekisho.planner.testing.TestingSecuredShop.session;
import static dev.sekisho.planner.testing.TestingShop.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Invisible tables and columns behave as if they did not exist; plans are shared by effective policy. */
class TestPolicyVisibility
{
    private final TestingConnector shop = TestingShop.mysqlShop();
    private final CalciteQueryPlanner planner;

    TestPolicyVisibility()
    {
        shop.addTable("shop", "secrets", List.of(column("id", ColumnType.of(Kind.INTEGER)), column("secret", ColumnType.varchar(10))), List.of(row(1, "s")));
        planner = TestingSecuredShop.planner(shop);
    }

    @Test
    void hiddenTablesDoNotExist()
    {
        QueryException hidden = fail("SELECT * FROM secrets");
        assertThat(hidden.sqlState()).isEqualTo(SqlStates.UNDEFINED_TABLE);
        assertThat(hidden.getMessage()).isEqualTo("relation \"secrets\" does not exist");
        assertThat(hidden.hint()).isNotNull().doesNotContain("secrets");
        assertThat(fail("SELECT * FROM shop.secrets").sqlState()).isEqualTo(SqlStates.UNDEFINED_TABLE);
        assertThat(fail("SELECT * FROM customers c WHERE EXISTS (SELECT 1 FROM secrets)").sqlState()).isEqualTo(SqlStates.UNDEFINED_TABLE);
        QueryException typo = fail("SELECT * FROM secret");
        assertThat(typo.hint()).doesNotContain("secrets");
        QueryException unknown = fail("SELECT * FROM nosuchtable");
        assertThat(unknown.hint()).contains("Tables in schema \"shop\": customers, orders.");
        // without policies, the same catalog shows the table
        assertThat(planner.prepare("SELECT * FROM secrets", List.of(), new SessionContext("x", List.of("shop"))).columns()).hasSize(2);
    }

    @Test
    void deniedColumnsDoNotExist()
    {
        QueryException named = fail("SELECT bio FROM customers");
        assertThat(named.sqlState()).isEqualTo(SqlStates.UNDEFINED_COLUMN);
        assertThat(named.getMessage()).contains("\"bio\"").contains("does not exist");
        assertThat(fail("SELECT c.bio FROM customers c").sqlState()).isEqualTo(SqlStates.UNDEFINED_COLUMN);
        assertThat(fail("SELECT id FROM customers WHERE bio IS NULL").sqlState()).isEqualTo(SqlStates.UNDEFINED_COLUMN);
        QueryException typo = fail("SELECT bi FROM customers");
        assertThat(String.valueOf(typo.hint())).doesNotContain("bio");
        assertThat(planner.prepare("SELECT * FROM customers", List.of(), session(ANALYST_JP)).columns())
                .extracting(column -> column.name()).doesNotContain("bio");
    }

    @Test
    void plansAreSharedByEffectivePolicy()
    {
        String sql = "SELECT id, email FROM customers WHERE id > $1";
        PreparedQuery first = planner.prepare(sql, List.of(), session(ANALYST_JP));
        long plans = planner.planCount();
        Principal sameRegion = new Principal("bob", Set.of("analysts"), Map.of("region", "JP"));
        Principal otherRegion = new Principal("carol", Set.of("analysts"), Map.of("region", "US"));
        planner.prepare(sql, List.of(), session(sameRegion));
        PreparedQuery us = planner.prepare(sql, List.of(), session(otherRegion));
        // the region is a bound value, not part of the plan: one plan for all three
        assertThat(planner.planCount()).isEqualTo(plans);
        us.execute(List.of(0), TestingShop.context()).close();
        assertThat(shop.lastQuery().parameters()).contains("US").doesNotContain("JP");
        first.execute(List.of(0), TestingShop.context()).close();
        assertThat(shop.lastQuery().parameters()).contains("JP").doesNotContain("US");

        // an admin has another effective policy: another plan
        PreparedQuery admin = planner.prepare(sql, List.of(), session(new Principal("root", Set.of("admins"), Map.of())));
        assertThat(planner.planCount()).isEqualTo(plans + 1);
        admin.execute(List.of(0), TestingShop.context()).close();
        assertThat(shop.lastQuery().sql()).doesNotContain("REVERSE").doesNotContain("region");

        // a user without the region attribute sees no rows (the filter is FALSE): another plan
        planner.prepare(sql, List.of(), session(new Principal("dave", Set.of("analysts"), Map.of())))
                .execute(List.of(0), TestingShop.context()).close();
        assertThat(planner.planCount()).isEqualTo(plans + 2);
        assertThat(shop.lastQuery().sql()).containsIgnoringCase("WHERE FALSE");
    }

    @Test
    void policyChangeInvalidatesAffectedPlans()
    {
        String sql = "SELECT email FROM customers";
        planner.prepare(sql, List.of(), session(ANALYST_JP));
        long plans = planner.planCount();
        planner.prepare(sql, List.of(), session(ANALYST_JP));
        assertThat(planner.planCount()).isEqualTo(plans);

        PolicySet changed = TestingPolicies.parse("""
                roles:
                  analyst: {groups: [analysts]}
                tables:
                  shop.customers:
                    allow: [analyst]
                    columns:
                      email: {mask: redact}
                """);
        PreparedQuery query = planner.prepare(sql, List.of(), SessionContext.withPolicy(ANALYST_JP, changed, List.of("shop")));
        assertThat(planner.planCount()).isEqualTo(plans + 1);
        query.execute(List.of(), TestingShop.context()).close();
        assertThat(shop.lastQuery().sql()).contains("'****' AS `email`").doesNotContain("region");

        // a change elsewhere (orders) leaves the customers plan alone
        PolicySet unrelated = TestingPolicies.parse(TestingSecuredShop.POLICIES_YAML.replace("{round: 100}", "{round: 10}"));
        planner.prepare(sql, List.of(), SessionContext.withPolicy(ANALYST_JP, unrelated, List.of("shop")));
        assertThat(planner.planCount()).isEqualTo(plans + 1);
    }

    @Test
    void invisibleTableChangesNameResolution()
    {
        // shop2.secrets is visible, shop.secrets is not: with search path shop, shop2 the name resolves to shop2
        TestingConnector two = new TestingConnector("two", dev.sekisho.planner.spi.SqlDialectKind.MYSQL);
        two.addTable("shop2", "secrets", List.of(column("id", ColumnType.of(Kind.INTEGER))), List.of(row(7)));
        CalciteQueryPlanner both = new CalciteQueryPlanner(List.of(shop, two), PlannerOptions.defaults());
        PolicySet policies = TestingPolicies.parse("""
                tables:
                  shop2.secrets: {allow: ["group:everyone"]}
                  shop.secrets: {allow: ["user:root"]}
                """);
        PreparedQuery forAlice = both.prepare("SELECT * FROM secrets", List.of(), SessionContext.withPolicy(Principal.of("alice"), policies, List.of("shop", "shop2")));
        assertThat(forAlice.columns()).hasSize(1);
        PreparedQuery forRoot = both.prepare("SELECT * FROM secrets", List.of(), SessionContext.withPolicy(Principal.of("root"), policies, List.of("shop", "shop2")));
        assertThat(forRoot.columns()).hasSize(2);
        PreparedQuery again = both.prepare("SELECT * FROM secrets", List.of(), SessionContext.withPolicy(Principal.of("alice"), policies, List.of("shop", "shop2")));
        assertThat(again.columns()).hasSize(1);
    }

    private QueryException fail(String sql)
    {
        return catchThrowableOfType(QueryException.class, () -> planner.prepare(sql, List.of(), session(ANALYST_JP)));
    }
}
