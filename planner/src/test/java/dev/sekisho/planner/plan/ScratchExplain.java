package dev.sekisho.planner.plan;

import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.Test;

import java.util.List;

class ScratchExplain
{
    @Test
    void print()
    {
        CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(TestingShop.mysqlShop()), PlannerOptions.defaults());
        SessionContext session = new SessionContext("alice", List.of("shop"));
        for (String sql : List.of("SELECT left('abcdef', 2), right('abcdef', -2)", "SELECT substr('abcdef', 0, 3), substr('abcdef', 2), substring('abcdef' from 3)",
                "SELECT true::text, name || true from customers", "SELECT count(*) FROM customers WHERE region = 'JP '")) {
            try {
                System.out.println("SCRATCH " + planner.prepare(sql, List.of(), session).explain());
            }
            catch (RuntimeException e) {
                System.out.println("SCRATCH " + e);
            }
        }
    }
}
