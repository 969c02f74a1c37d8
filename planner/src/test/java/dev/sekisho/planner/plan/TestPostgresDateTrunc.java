package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static dev.sekisho.planner.testing.TestingShop.context;
import static dev.sekisho.planner.testing.TestingShop.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PostgreSQL's date_trunc and numeric-times-interval arithmetic, pushed down to MySQL and run locally. */
class TestPostgresDateTrunc
{
    /** Makes a statement run in the gateway: it reads a catalog relation. */
    private static final String LOCALLY = " from pg_catalog.pg_am where amname = 'btree'";
    private static final String VALUE = "CAST(`created_at` AS DATETIME(6))";

    private final CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(TestingShop.mysqlShop()), PlannerOptions.defaults());
    private final SessionContext session = new SessionContext("alice", List.of("shop"));

    @Test
    void eachUnitPushedToMysqlAsDatetime()
    {
        Map<String, String> expected = Map.of(
                "year", "CAST(DATE_FORMAT(%s, '%%Y-01-01') AS DATETIME)".formatted(VALUE),
                "quarter", "(TIMESTAMP(MAKEDATE(YEAR(%1$s), 1)) + INTERVAL (QUARTER(%1$s) - 1) QUARTER)".formatted(VALUE),
                "month", "CAST(DATE_FORMAT(%s, '%%Y-%%m-01') AS DATETIME)".formatted(VALUE),
                "week", "(TIMESTAMP(DATE(%1$s)) - INTERVAL WEEKDAY(%1$s) DAY)".formatted(VALUE),
                "day", "CAST(DATE_FORMAT(%s, '%%Y-%%m-%%d') AS DATETIME)".formatted(VALUE),
                "hour", "CAST(DATE_FORMAT(%s, '%%Y-%%m-%%d %%H:00:00') AS DATETIME)".formatted(VALUE),
                "minute", "CAST(DATE_FORMAT(%s, '%%Y-%%m-%%d %%H:%%i:00') AS DATETIME)".formatted(VALUE),
                "second", "CAST(DATE_FORMAT(%s, '%%Y-%%m-%%d %%H:%%i:%%s') AS DATETIME)".formatted(VALUE));
        expected.forEach((unit, sql) -> {
            PreparedQuery query = planner.prepare("select date_trunc('" + unit.toUpperCase(java.util.Locale.ROOT) + "', created_at) from customers",
                    List.of(), session);
            assertThat(((PushedDownQuery) query).sourceSql().replace('\n', ' ')).as(unit)
                    .isEqualTo("SELECT " + sql + " AS `date_trunc` FROM `shop`.`customers`");
            assertThat(query.columns().get(0).name()).isEqualTo("date_trunc");
            assertThat(query.columns().get(0).pgTypeOid()).as(unit).isEqualTo(1114);
        });
    }

    @Test
    void groupsByWeekOfADateColumnOnMysql()
    {
        PreparedQuery query = planner.prepare("select date_trunc('week', ordered_on), count(*) from orders group by 1 order by 1", List.of(), session);
        assertThat(((PushedDownQuery) query).sourceSql().replace('\n', ' '))
                .startsWith("SELECT (TIMESTAMP(DATE(CAST(`ordered_on` AS DATETIME(6)))) - INTERVAL WEEKDAY(CAST(`ordered_on` AS DATETIME(6))) DAY) "
                        + "AS `date_trunc`, COUNT(*) FROM `shop`.`orders` GROUP BY");
        assertThat(query.columns().get(0).pgTypeOid()).isEqualTo(1114);
    }

    @Test
    void eachUnitLocally()
    {
        // 2024-05-15 is a Wednesday
        Map<String, LocalDateTime> expected = Map.of(
                "year", LocalDateTime.of(2024, 1, 1, 0, 0),
                "quarter", LocalDateTime.of(2024, 4, 1, 0, 0),
                "month", LocalDateTime.of(2024, 5, 1, 0, 0),
                "week", LocalDateTime.of(2024, 5, 13, 0, 0),
                "day", LocalDateTime.of(2024, 5, 15, 0, 0),
                "hour", LocalDateTime.of(2024, 5, 15, 13, 0),
                "minute", LocalDateTime.of(2024, 5, 15, 13, 45),
                "second", LocalDateTime.of(2024, 5, 15, 13, 45, 30));
        expected.forEach((unit, value) -> {
            PreparedQuery query = planner.prepare("select date_trunc('" + unit + "', timestamp '2024-05-15 13:45:30.250')" + LOCALLY, List.of(), session);
            assertThat(query.isFullyPushedDown()).isFalse();
            assertThat(query.columns().get(0).pgTypeOid()).as(unit).isEqualTo(1114);
            assertThat(readAll(query.execute(List.of(), context()))).as(unit).containsExactly(List.of(value));
        });
    }

    @Test
    void dateArgumentLocallyGivesATimestamp()
    {
        // 2024-01-07 is a Sunday: its ISO week starts on Monday 2024-01-01
        PreparedQuery query = planner.prepare("select date_trunc('week', date '2024-01-07'), date_trunc('quarter', date '2024-12-31')" + LOCALLY,
                List.of(), session);
        assertThat(query.columns().get(0).pgTypeOid()).isEqualTo(1114);
        assertThat(readAll(query.execute(List.of(), context())))
                .containsExactly(List.of(LocalDateTime.of(2024, 1, 1, 0, 0), LocalDateTime.of(2024, 10, 1, 0, 0)));
    }

    @Test
    void tableauWeekTruncation()
    {
        // Tableau's week: the day minus its day of week (from Sunday) times one day
        String expression = "cast((date_trunc('day', cast(%1$s as date)) + (-extract(dow from %1$s) * interval '1 day')) as date)";
        PreparedQuery local = planner.prepare("select " + expression.formatted("timestamp '2024-05-15 10:00:00'") + LOCALLY, List.of(), session);
        assertThat(readAll(local.execute(List.of(), context()))).containsExactly(List.of(LocalDate.of(2024, 5, 12)));

        PreparedQuery pushed = planner.prepare("select " + expression.formatted("created_at") + " as wk from customers group by 1", List.of(), session);
        assertThat(((PushedDownQuery) pushed).sourceSql().replace('\n', ' '))
                .contains("AS DATETIME) + INTERVAL (- (DAYOFWEEK(`created_at`) - 1) * 1) DAY) AS DATE) AS `wk`");
        assertThat(pushed.columns().get(0).pgTypeOid()).isEqualTo(1082);
    }

    @Test
    void unknownOrNonLiteralUnit()
    {
        assertThatThrownBy(() -> planner.prepare("select date_trunc('fortnight', created_at) from customers", List.of(), session))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22023"))
                .hasMessage("unit \"fortnight\" not recognized");
        assertThatThrownBy(() -> planner.prepare("select date_trunc(name, created_at) from customers", List.of(), session))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22023"))
                .hasMessageContaining("not recognized");
    }
}
