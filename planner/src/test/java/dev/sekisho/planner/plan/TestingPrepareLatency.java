package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingShop;

import java.util.Arrays;
import java.util.List;

/**
 * Prints warmed prepare() latency (plan cache off) and execute() latency; a measurement, not a test.
 * Run with {@code java -cp <test classpath> dev.sekisho.planner.plan.TestingPrepareLatency}.
 */
public final class TestingPrepareLatency
{
    private TestingPrepareLatency() {}

    public static void main(String[] args)
    {
        TestingConnector shop = new TestingConnector("shopdb", SqlDialectKind.MYSQL);
        TestingShop.addCustomers(shop, "shop");
        TestingShop.addOrders(shop, "shop");
        TestingShop.addCustomers(shop, "shop2");
        TestingShop.addOrders(shop, "shop2");
        CalciteQueryPlanner uncached = new CalciteQueryPlanner(List.of(shop), PlannerOptions.defaults().withPlanCacheSize(0));
        SessionContext session = new SessionContext("bench", List.of("shop"));
        measure("point lookup", uncached, session, "select * from customers where id = $1");
        measure("4-table join", uncached, session, "select c.name, sum(o.amount) from customers c join orders o on o.customer_id = c.id "
                + "join shop2.customers c2 on c2.id = c.id join shop2.orders o2 on o2.customer_id = c2.id where c.region = $1 group by c.name");

        CalciteQueryPlanner cached = new CalciteQueryPlanner(List.of(shop), PlannerOptions.defaults());
        PreparedQuery query = cached.prepare("select * from customers where id = $1", List.of(), session);
        long[] times = new long[20_000];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            cached.prepare("select * from customers where id = $1", List.of(), session).execute(List.of(1), TestingShop.context()).close();
            times[i] = System.nanoTime() - start;
        }
        report("cached prepare + execute (point lookup)", times);
        System.out.println(query.explain());
    }

    private static void measure(String name, CalciteQueryPlanner planner, SessionContext session, String sql)
    {
        for (int i = 0; i < 300; i++) {
            planner.prepare(sql, List.of(), session);
        }
        long[] times = new long[500];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            planner.prepare(sql, List.of(), session);
            times[i] = System.nanoTime() - start;
        }
        report("uncached prepare, " + name, times);
    }

    private static void report(String name, long[] times)
    {
        Arrays.sort(times);
        System.out.printf("%s: p50 %.3f ms, p99 %.3f ms%n", name, times[times.length / 2] / 1e6, times[times.length * 99 / 100] / 1e6);
    }
}
