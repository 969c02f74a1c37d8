package dev.sekisho.planner.statement;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingPolicies;
import dev.sekisho.planner.testing.TestingSecuredShop;
import dev.sekisho.planner.testing.TestingShop;
import dev.sekisho.policies.PolicySet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sekisho.planner.testing.TestingShop.context;
import static dev.sekisho.planner.testing.TestingShop.readAll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plan cache behind normalisation: statements that differ only in row-selecting literals or in
 * their comments share a plan (the source still receives each statement's own values), literals
 * that shape the plan do not share, and a policy edit reaches the next statement.
 */
class TestNormalizedPlanCache
{
    private static final SessionContext SHOP_PATH = new SessionContext("alice", List.of("shop"));

    private final TestingConnector shop = TestingShop.mysqlShop();
    private final CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(shop), PlannerOptions.defaults());

    private BackendQuery run(String sql, SessionContext session)
    {
        PreparedQuery query = planner.prepare(sql, List.of(), session);
        readAll(query.execute(List.of(), context()));
        return shop.lastQuery();
    }

    @Test
    void literalVaryingLookupsHitThePlanCache()
    {
        BackendQuery first = run("select id, name from customers where id = 1", SHOP_PATH);
        long plans = planner.planCount();
        BackendQuery second = run("select id, name from customers where id = 2", SHOP_PATH);
        BackendQuery third = run("SELECT id, name\n  FROM customers WHERE id = 3", SHOP_PATH);
        assertThat(planner.planCount()).isEqualTo(plans);
        assertThat(first.sql()).isEqualTo(second.sql()).contains("?");
        assertThat(first.parameters()).containsExactly(1);
        assertThat(second.parameters()).containsExactly(2);
        assertThat(third.parameters()).containsExactly(3);
        // a string compared with a column: the parameter takes the column's type
        run("select id from customers where name = 'Alice'", SHOP_PATH);
        long afterString = planner.planCount();
        // (the equality is sent twice, as the collation's and as the exact byte comparison: each use binds the new value)
        assertThat(run("select id from customers where name = 'Bob'", SHOP_PATH).parameters()).isNotEmpty().containsOnly("Bob");
        assertThat(planner.planCount()).isEqualTo(afterString);
    }

    @Test
    void redashAnnotatedStatementsHitThePlanCache()
    {
        String template = "/* Username: a@x.com, query_id: adhoc, Queue: queries, Job ID: %s, Query Hash: 9f, Scheduled: False */ select name from customers where id = %d";
        run(template.formatted("0a1b", 1), SHOP_PATH);
        long plans = planner.planCount();
        for (int i = 2; i < 12; i++) {
            PreparedQuery query = planner.prepare(template.formatted(java.util.UUID.randomUUID(), i), List.of(), SHOP_PATH);
            assertThat(query.sql()).startsWith("/* Username:");
            assertThat(((LiteralBoundQuery) query).annotation().orElseThrow().username()).contains("a@x.com");
            readAll(query.execute(List.of(), context()));
            assertThat(shop.lastQuery().parameters()).containsExactly(i);
        }
        assertThat(planner.planCount()).isEqualTo(plans);
        // a comment on a statement without literals to fold: still one plan
        run("/* Job ID: 1 */ select count(*) from customers", SHOP_PATH);
        long counted = planner.planCount();
        run("/* Job ID: 2 */ select count(*) from customers", SHOP_PATH);
        assertThat(planner.planCount()).isEqualTo(counted);
    }

    @Test
    void limitValuesDoNotShareAPlan()
    {
        BackendQuery five = run("select id from customers where id > 0 limit 5", SHOP_PATH);
        long plans = planner.planCount();
        BackendQuery six = run("select id from customers where id > 0 limit 6", SHOP_PATH);
        assertThat(planner.planCount()).isEqualTo(plans + 1);
        assertThat(five.sql()).contains("LIMIT 5");
        assertThat(six.sql()).contains("LIMIT 6");
    }

    @Test
    void inListsShareWithinALengthBucketOnly()
    {
        BackendQuery three = run("select id from customers where id in (1, 2, 3)", SHOP_PATH);
        long plans = planner.planCount();
        BackendQuery four = run("select id from customers where id in (4, 5, 6, 7)", SHOP_PATH);
        assertThat(planner.planCount()).isEqualTo(plans);
        assertThat(three.sql()).isEqualTo(four.sql());
        assertThat(three.parameters()).containsExactly(1, 2, 3, 3);
        assertThat(four.parameters()).containsExactly(4, 5, 6, 7);
        BackendQuery five = run("select id from customers where id in (1, 2, 3, 4, 5)", SHOP_PATH);
        assertThat(planner.planCount()).isEqualTo(plans + 1);
        assertThat(five.parameters()).containsExactly(1, 2, 3, 4, 5, 5, 5, 5);
    }

    @Test
    void aLiteralThatCannotBeTheParametersTypeIsPlannedAsWritten()
    {
        // the column is an integer: '7' folded as unknown would be an integer parameter; it is read as one
        assertThat(run("select id from customers where id = '7'", SHOP_PATH).parameters()).containsExactly(7);
    }

    /** The door a front door's I/O thread uses: a plan the cache holds, or nothing, and never a plan made. */
    @Test
    void plannedNormalizedAnswersFromThePlanCacheOnly()
    {
        NormalizedStatement first = normalize("select id, name from customers where id = 1");
        long plans = planner.planCount();
        assertThat(planner.plannedNormalized(first, List.of(), SHOP_PATH)).as("nothing planned yet").isEmpty();
        assertThat(planner.planCount()).isEqualTo(plans);

        planner.prepareNormalized(first, List.of(), SHOP_PATH).orElseThrow();
        long planned = planner.planCount();
        assertThat(planned).isEqualTo(plans + 1);
        NormalizedStatement second = normalize("/* Job ID: 7 */ select id, name from customers where id = 2");
        PreparedQuery cached = planner.plannedNormalized(second, List.of(), SHOP_PATH).orElseThrow();
        assertThat(planner.planCount()).isEqualTo(planned);
        PreparedQuery prepared = planner.prepareNormalized(second, List.of(), SHOP_PATH).orElseThrow();
        assertThat(cached.fragments(List.of())).isEqualTo(prepared.fragments(List.of()));
        assertThat(cached.fragments(List.of()).get(0).parameters()).containsExactly(2);
        assertThat(cached.columns()).isEqualTo(prepared.columns());

        // another shape, another search path, a new catalog: not held, so nothing
        assertThat(planner.plannedNormalized(normalize("select id, name from customers where id > 2"), List.of(), SHOP_PATH)).isEmpty();
        assertThat(planner.plannedNormalized(second, List.of(), new SessionContext("alice", List.of("other", "shop")))).isEmpty();
        planner.refresh();
        assertThat(planner.plannedNormalized(second, List.of(), SHOP_PATH)).isEmpty();
        assertThat(planner.planCount()).isEqualTo(planned);
    }

    @Test
    void plannedNormalizedFindsOnlyThePlanOfTheSessionsPolicy()
    {
        TestingConnector securedShop = TestingShop.mysqlShop();
        CalciteQueryPlanner secured = TestingSecuredShop.planner(securedShop, PlannerOptions.defaults());
        SessionContext before = TestingSecuredShop.session(TestingSecuredShop.ANALYST_JP);
        assertThat(secured.plannedNormalized(normalize("select email from customers where id = 1"), List.of(), before)).isEmpty();
        PreparedQuery planned = secured.prepareNormalized(normalize("select email from customers where id = 1"), List.of(), before).orElseThrow();
        long plans = secured.planCount();
        PreparedQuery cached = secured.plannedNormalized(normalize("select email from customers where id = 2"), List.of(), before).orElseThrow();
        assertThat(cached.fragments(List.of()).get(0).sql()).isEqualTo(planned.fragments(List.of()).get(0).sql());
        assertThat(cached.fragments(List.of()).get(0).parameters()).contains(2);

        PolicySet edited = TestingPolicies.parse(TestingSecuredShop.POLICIES_YAML.replace("email: {mask: email}", "email: {mask: redact}"));
        SessionContext after = SessionContext.withPolicy(TestingSecuredShop.ANALYST_JP, edited, List.of("shop"));
        assertThat(secured.plannedNormalized(normalize("select email from customers where id = 3"), List.of(), after)).as("the edited policy's plan is not held").isEmpty();
        assertThat(secured.planCount()).isEqualTo(plans);
    }

    private static NormalizedStatement normalize(String sql)
    {
        return StatementNormalizer.normalize(dev.sekisho.policies.sql.SqlStatement.of(sql), 0);
    }

    @Test
    void aPolicyEditReachesTheNextStatement()
    {
        TestingConnector securedShop = TestingShop.mysqlShop();
        CalciteQueryPlanner secured = TestingSecuredShop.planner(securedShop, PlannerOptions.defaults());
        SessionContext before = TestingSecuredShop.session(TestingSecuredShop.ANALYST_JP);
        secured.prepare("select email from customers where id = 1", List.of(), before).execute(List.of(), context()).close();
        String masked = securedShop.lastQuery().sql();
        secured.prepare("select email from customers where id = 2", List.of(), before).execute(List.of(), context()).close();
        assertThat(securedShop.lastQuery().sql()).isEqualTo(masked);
        long plans = secured.planCount();

        PolicySet edited = TestingPolicies.parse(TestingSecuredShop.POLICIES_YAML.replace("email: {mask: email}", "email: {mask: redact}"));
        SessionContext after = SessionContext.withPolicy(TestingSecuredShop.ANALYST_JP, edited, List.of("shop"));
        secured.prepare("select email from customers where id = 3", List.of(), after).execute(List.of(), context()).close();
        assertThat(secured.planCount()).isEqualTo(plans + 1);
        assertThat(securedShop.lastQuery().sql()).isNotEqualTo(masked);
        assertThat(securedShop.lastQuery().parameters()).contains(3);
    }
}
