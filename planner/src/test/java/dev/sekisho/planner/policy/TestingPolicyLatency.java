package dev.sekisho.planner.policy;

import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingPolicies;
import dev.sekisho.planner.testing.TestingShop;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints warmed prepare() latency of a 4-table join with and without policies (plan cache off,
 * and cached); a measurement, not a test. Run with
 * {@code java -cp <test classpath> dev.sekisho.planner.policy.TestingPolicyLatency}.
 */
public final class TestingPolicyLatency
{
    private static final String JOIN = "select c.name, c.email, sum(o.amount) from customers c join orders o on o.customer_id = c.id "
            + "join shop2.customers c2 on c2.id = c.id join shop2.orders o2 on o2.customer_id = c2.id where c.region = $1 group by c.name, c.email";

    private TestingPolicyLatency() {}

    public static void main(String[] args)
    {
        TestingConnector shop = new TestingConnector("shopdb", SqlDialectKind.MYSQL);
        TestingShop.addCustomers(shop, "shop");
        TestingShop.addOrders(shop, "shop");
        TestingShop.addCustomers(shop, "shop2");
        TestingShop.addOrders(shop, "shop2");
        PolicySet policies = TestingPolicies.parse("""
                roles:
                  analyst: {groups: [analysts]}
                tables:
                  shop.customers:
                    allow: [analyst]
                    columns:
                      email: {mask: email}
                      bio:   {deny: [analyst]}
                    row_filters:
                      - {where: "region = :user.region"}
                  shop.orders:
                    allow: [analyst]
                    columns:
                      amount: {mask: {round: 100}}
                  shop2.customers:
                    allow: [analyst]
                    columns:
                      name: {mask: {partial: {keep_first: 1}}}
                    row_filters:
                      - {where: "active AND region IN (:user.groups)", mode: permissive}
                  shop2.orders:
                    allow: [analyst]
                """);
        Principal analyst = new Principal("alice", Set.of("analysts", "JP"), Map.of("region", "JP"));
        SessionContext plain = new SessionContext("alice", List.of("shop"));
        SessionContext secured = SessionContext.withPolicy(analyst, policies, List.of("shop"));
        for (int size : new int[] {0, PlannerOptions.DEFAULT_PLAN_CACHE_SIZE}) {
            CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(shop), PlannerOptions.defaults().withPlanCacheSize(size));
            String mode = size == 0 ? "uncached" : "cached";
            measure(mode + " prepare, 4-table join, no policy", planner, plain);
            measure(mode + " prepare, 4-table join, with policies", planner, secured);
        }
    }

    private static void measure(String name, CalciteQueryPlanner planner, SessionContext session)
    {
        for (int i = 0; i < 300; i++) {
            planner.prepare(JOIN, List.of(), session);
        }
        long[] times = new long[500];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            planner.prepare(JOIN, List.of(), session);
            times[i] = System.nanoTime() - start;
        }
        Arrays.sort(times);
        System.out.printf("%s: p50 %.3f ms, p99 %.3f ms%n", name, times[times.length / 2] / 1e6, times[times.length * 99 / 100] / 1e6);
    }
}
