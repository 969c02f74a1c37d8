package dev.sekisho.planner.testing;

import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sekisho.planner.testing.TestingConnector.notNullColumn;
import static dev.sekisho.planner.testing.TestingShop.row;

/**
 * The sample shop under a policy: analysts see customers of their own region with masked e-mails
 * and no bio, and order amounts rounded to 100; admins see everything. A planner over the shop and
 * a one-row table {@code aux.one} of another source, to join with so that a statement runs locally.
 */
public final class TestingSecuredShop
{
    public static final String POLICIES_YAML = """
            roles:
              analyst: {groups: [analysts]}
              admin:   {groups: [admins]}
            tables:
              shop.customers:
                allow: [analyst, admin]
                unmasked_for: [admin]
                unfiltered_for: [admin]
                columns:
                  email: {mask: email}
                  bio:   {deny: [analyst]}
                row_filters:
                  - {name: own_region, for: [analyst], where: "region = :user.region"}
              shop.orders:
                allow: [analyst, admin]
                columns:
                  amount: {mask: {round: 100}, unmasked_for: [admin]}
              aux.one:
                allow: ["group:everyone"]
            """;

    public static final PolicySet POLICIES = TestingPolicies.parse(POLICIES_YAML);

    public static final Principal ANALYST_JP = new Principal("alice", Set.of("analysts"), Map.of("region", "JP"));

    private TestingSecuredShop() {}

    /**
     * A planner over {@code shop} and a second source with the one-row table {@code aux.one};
     * statements are planned as written (the tests check the SQL the source receives, literals included).
     */
    public static CalciteQueryPlanner planner(TestingConnector shop)
    {
        return planner(shop, PlannerOptions.defaults().withoutNormalization());
    }

    /** A planner over {@code shop} and {@code aux.one} with these options. */
    public static CalciteQueryPlanner planner(TestingConnector shop, PlannerOptions options)
    {
        TestingConnector other = new TestingConnector("other", SqlDialectKind.MYSQL);
        other.addTable("aux", "one", List.of(notNullColumn("x", ColumnType.of(Kind.INTEGER))), List.of(row(1)));
        return new CalciteQueryPlanner(List.of(shop, other), options);
    }

    /** A session of {@code principal} under {@link #POLICIES}, searching schema {@code shop}. */
    public static SessionContext session(Principal principal)
    {
        return SessionContext.withPolicy(principal, POLICIES, List.of("shop"));
    }
}
