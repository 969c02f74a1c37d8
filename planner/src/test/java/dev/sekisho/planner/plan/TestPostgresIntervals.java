package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.pg.catalog.PgTypeInfo;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sekisho.planner.testing.TestingShop.context;
import static dev.sekisho.planner.testing.TestingShop.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Interval values as PostgreSQL 15 computes and prints them (the expected texts are what
 * PostgreSQL 15 answered to the same statements), computed in the gateway, while literal
 * intervals in date and timestamp arithmetic stay pushed down.
 */
class TestPostgresIntervals
{
    private final CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(TestingShop.mysqlShop()), PlannerOptions.defaults());
    private final SessionContext session = new SessionContext("alice", List.of("shop"));

    @Test
    void literalsAndArithmeticPrintAsPostgres()
    {
        assertThat(texts("select interval '1 day' * 3, interval '90 minutes', interval '1 year 2 months', interval '1 hour' + interval '30 minutes', "
                + "interval '1 day' - interval '1 hour', -interval '1 day 2 hours', interval '1 month' / 7, interval '1 month' * 1.5"))
                .containsExactly("3 days", "01:30:00", "1 year 2 mons", "01:30:00", "1 day -01:00:00", "-1 days -02:00:00", "4 days 06:51:25.6896", "1 mon 15 days");
    }

    @Test
    void resultColumnsAreIntervals()
    {
        PreparedQuery query = planner.prepare("select interval '1 day' * 3, interval '90 minutes', justify_hours(interval '27 hours')", List.of(), session);
        assertThat(query.columns()).extracting(ResultColumn::typeOid).containsOnly(PgTypeInfo.INTERVAL);
        assertThat(query.columns()).extracting(ResultColumn::name).containsExactly("?column?", "interval", "justify_hours");
    }

    @Test
    void functionsAndComparisons()
    {
        assertThat(texts("select extract(epoch from interval '1 day 2 hours'), justify_hours(interval '27 hours'), justify_days(interval '35 days'), "
                + "interval '2 days' > interval '47 hours', interval '1 day' = interval '24 hours', justify_interval(interval '1 mon -1 day -1 hour'), "
                + "'1.5 hours'::interval"))
                .containsExactly("93600.000000", "1 day 03:00:00", "1 mon 5 days", "true", "true", "28 days 23:00:00", "01:30:00");
    }

    @Test
    void ageAndTimestampDifferences()
    {
        assertThat(texts("select age(timestamp '2024-03-15', timestamp '2020-01-01'), date_part('year', age(date '2024-01-01', date '1990-06-15')), "
                + "timestamp '2024-01-10 10:00' - interval '1 day 2 hours', timestamp '2024-03-01' - timestamp '2024-01-01 12:00' > interval '30 days', "
                + "timestamp '2024-01-31' + (interval '1 month' * 2)"))
                .containsExactly("4 years 2 mons 14 days", "33.0", "2024-01-09T08:00", "true", "2024-03-31T00:00");
    }

    @Test
    void literalArithmeticOnColumnsStaysPushedDown()
    {
        PreparedQuery query = planner.prepare("select created_at + interval '1 day', created_at - 2 * interval '1 hour' from customers", List.of(), session);
        assertThat(query).isInstanceOf(PushedDownQuery.class);
    }

    @Test
    void aggregatesGroupingAndOrdering()
    {
        // created_at: 2024-01-01 10:00, 2024-02-01 11:00, 2024-03-01 12:00
        assertThat(texts("select sum(timestamp '2024-04-01 00:00:00' - created_at), avg(timestamp '2024-04-01 00:00:00' - created_at) from customers"))
                .containsExactly("179 days 39:00:00", "59 days 29:00:00");
        assertThat(texts("select min(timestamp '2024-04-01 00:00:00' - created_at), max(timestamp '2024-04-01 00:00:00' - created_at) from customers"))
                .containsExactly("30 days 12:00:00", "90 days 14:00:00");
        assertThat(texts("select count(distinct created_at - created_at + interval '1 day') from customers")).containsExactly("1");
        PreparedQuery grouped = planner.prepare("select interval '24 hours' * (id - id) + interval '1 day' as d, count(*) from customers group by 1", List.of(), session);
        assertThat(readAll(grouped.execute(List.of(), context()))).hasSize(1);
        PreparedQuery ordered = planner.prepare("select id from customers order by timestamp '2024-04-01 00:00:00' - created_at", List.of(), session);
        assertThat(readAll(ordered.execute(List.of(), context()))).extracting(row -> row.get(0)).containsExactly(3, 2, 1);
    }

    @Test
    void unsupportedUsesRaiseFeatureNotSupported()
    {
        assertThatThrownBy(() -> planner.prepare("select round(created_at - created_at) from customers", List.of(), session))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("0A000"));
        assertThatThrownBy(() -> planner.prepare("select extract(dow from interval '1 day')", List.of(), session).execute(List.of(), context()).next())
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("0A000"));
        assertThatThrownBy(() -> planner.prepare("select interval 'P1D'", List.of(), session).execute(List.of(), context()).next())
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("0A000"));
        assertThatThrownBy(() -> planner.prepare("select interval 'abc'", List.of(), session).execute(List.of(), context()).next())
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22007"));
    }

    private List<String> texts(String sql)
    {
        PreparedQuery query = planner.prepare(sql, List.of(), session);
        List<List<Object>> rows = readAll(query.execute(List.of(), context()));
        assertThat(rows).hasSize(1);
        return rows.get(0).stream().map(String::valueOf).toList();
    }
}
