package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sekisho.planner.testing.TestingShop.context;
import static dev.sekisho.planner.testing.TestingShop.readAll;
import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL's date parts and current-time functions, pushed down to MySQL and run locally. */
class TestPostgresDateParts
{
    private final CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(TestingShop.mysqlShop()), PlannerOptions.defaults());
    private final SessionContext session = new SessionContext("alice", List.of("shop"));

    @Test
    void datePartsPushedToMysql()
    {
        PreparedQuery query = planner.prepare("select extract(dow from created_at), extract(isodow from created_at), extract(week from created_at) "
                + "from customers", List.of(), session);
        assertThat(((PushedDownQuery) query).sourceSql().replace('\n', ' '))
                .isEqualTo("SELECT CAST(DAYOFWEEK(`created_at`) - 1 AS DECIMAL(65, 0)) AS `extract`, CAST((WEEKDAY(`created_at`) + 1) AS DECIMAL(65, 0)) AS `extract0`, "
                        + "CAST(WEEK(`created_at`, 3) AS DECIMAL(65, 0)) AS `extract1` FROM `shop`.`customers`");
    }

    @Test
    void dayOfWeekLocallyCountsFromSunday()
    {
        // 2024-01-07 is a Sunday, 2024-01-13 a Saturday; the catalog makes the statement run locally
        PreparedQuery query = planner.prepare("select extract(dow from date '2024-01-07'), extract(dow from date '2024-01-13'), "
                + "extract(isodow from date '2024-01-07') from pg_catalog.pg_am where amname = 'btree'", List.of(), session);
        // extract is numeric in PostgreSQL
        assertThat(readAll(query.execute(List.of(), context()))).containsExactly(List.of(java.math.BigDecimal.ZERO, java.math.BigDecimal.valueOf(6), java.math.BigDecimal.valueOf(7)));
    }

    @Test
    void nowIsTheCurrentTimestamp()
    {
        PreparedQuery query = planner.prepare("select now() - interval '1 day' from customers", List.of(), session);
        assertThat(((PushedDownQuery) query).sourceSql()).contains("CURRENT_TIMESTAMP - INTERVAL '1' DAY");
    }
}
