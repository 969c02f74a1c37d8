package dev.sekisho.planner.pg.syntax;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.pg.catalog.PgTypeInfo;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.testing.TestingClientCorpus;
import dev.sekisho.planner.testing.TestingCorpusConnector;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPgSetReturningFunctions
{
    private final CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(new TestingCorpusConnector()), PlannerOptions.defaults());
    private final SessionContext session = new SessionContext("alice", List.of("public"));

    @Test
    void generateSeriesInSelectList()
    {
        PreparedQuery query = planner.prepare("select generate_series(1, 3)", List.of(), session);
        assertThat(query.columns()).extracting(ResultColumn::name).containsExactly("generate_series");
        assertThat(rows(query)).containsExactly(List.of(1), List.of(2), List.of(3));
        // once per row of the FROM list, in the FROM list's order
        assertThat(rows("select c.relname, generate_series(1, 2) as g from pg_class c where c.relname in ('orders', 'customers') order by 1, 2"))
                .containsExactly(List.of("customers", 1), List.of("customers", 2), List.of("orders", 1), List.of("orders", 2));
        // over the row's own array, as psqlODBC's SQLForeignKeys does
        assertThat(rows("select k from (select generate_series(array_lower(conkey, 1), array_upper(conkey, 1)) as k from pg_constraint c "
                + "join pg_class t on t.oid = c.conrelid where c.contype = 'p' and t.relname = 'orders') s")).containsExactly(List.of(1));
    }

    @Test
    void generateSeriesWithAStep()
    {
        assertThat(rows("select generate_series(1, 10, 3)")).containsExactly(List.of(1), List.of(4), List.of(7), List.of(10));
        assertThat(rows("select g from generate_series(5, 1, -2) s(g)")).containsExactly(List.of(5), List.of(3), List.of(1));
        assertThat(rows("select g from generate_series(3, 1) s(g)")).isEmpty();
        assertThatThrownBy(() -> rows("select generate_series(1, 2, 0)"))
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("22023");
                    assertThat(e.getMessage()).isEqualTo("step size cannot equal zero");
                });
        // computed as it is read: a series of two billion rows is no burden when three are read
        assertThat(rows("select g from generate_series(1, 2000000000) s(g) limit 3")).containsExactly(List.of(1), List.of(2), List.of(3));
    }

    @Test
    void generateSeriesOfTimestamps()
    {
        // a calendar, as Redash dashboards build one; month steps add to the previous value, as PostgreSQL does
        PreparedQuery months = planner.prepare("select d from generate_series('2024-01-31'::date, '2024-05-01'::date, interval '1 month') as s(d)",
                List.of(), session);
        assertThat(months.columns()).extracting(ResultColumn::pgTypeOid).containsExactly(PgTypeInfo.TIMESTAMP);
        assertThat(rows(months)).containsExactly(List.of(LocalDateTime.of(2024, 1, 31, 0, 0)), List.of(LocalDateTime.of(2024, 2, 29, 0, 0)),
                List.of(LocalDateTime.of(2024, 3, 29, 0, 0)), List.of(LocalDateTime.of(2024, 4, 29, 0, 0)));
        // a string step, as PostgreSQL reads an unknown literal there as an interval; in the select list too
        assertThat(rows("select generate_series('2024-03-01 00:00'::timestamp, '2024-03-15'::timestamp, '7 days')"))
                .containsExactly(List.of(LocalDateTime.of(2024, 3, 1, 0, 0)), List.of(LocalDateTime.of(2024, 3, 8, 0, 0)),
                        List.of(LocalDateTime.of(2024, 3, 15, 0, 0)));
        // bounds computed by the statement, as dashboards write the last n months
        List<List<Object>> lastMonths = rows("select m from generate_series(date_trunc('month', now()) - interval '3 months', date_trunc('month', now()), "
                + "'1 month') s(m)");
        LocalDateTime thisMonth = LocalDateTime.now(java.time.ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        assertThat(lastMonths).containsExactly(List.of(thisMonth.minusMonths(3)), List.of(thisMonth.minusMonths(2)), List.of(thisMonth.minusMonths(1)),
                List.of(thisMonth));
        assertThat(rows("select h from generate_series('2024-03-01 02:00'::timestamp, '2024-03-01 00:00'::timestamp, interval '-1 hour') s(h)"))
                .containsExactly(List.of(LocalDateTime.of(2024, 3, 1, 2, 0)), List.of(LocalDateTime.of(2024, 3, 1, 1, 0)),
                        List.of(LocalDateTime.of(2024, 3, 1, 0, 0)));
    }

    @Test
    void expandArrayAsPgjdbcGetPrimaryKeysUsesIt()
    {
        String sql = """
                SELECT result.TABLE_NAME AS "TABLE_NAME", result.COLUMN_NAME AS "COLUMN_NAME", result.KEY_SEQ AS "KEY_SEQ", result.PK_NAME AS "PK_NAME"
                FROM (SELECT ct.relname AS TABLE_NAME, a.attname AS COLUMN_NAME,
                  (information_schema._pg_expandarray(con.conkey)).n AS KEY_SEQ, con.conname AS PK_NAME,
                  information_schema._pg_expandarray(con.conkey) AS KEYS, a.attnum AS A_ATTNUM
                  FROM pg_catalog.pg_constraint con JOIN pg_catalog.pg_class ct ON (con.conrelid = ct.oid)
                  JOIN pg_catalog.pg_namespace n ON (ct.relnamespace = n.oid) JOIN pg_catalog.pg_attribute a ON (a.attrelid = ct.oid)
                  WHERE con.contype = 'p' AND n.nspname = 'sales' AND ct.relname = 'customers') result
                WHERE result.A_ATTNUM = (result.KEYS).x
                ORDER BY result.table_name, result.pk_name, result.key_seq""";
        PreparedQuery query = planner.prepare(sql, List.of(), session);
        assertThat(query.columns()).extracting(ResultColumn::name).containsExactly("TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME");
        assertThat(rows(query)).containsExactly(List.of("customers", "id", 1, "customers_pkey"));
    }

    @Test
    void expandArrayFieldsAndRecord()
    {
        PreparedQuery query = planner.prepare("select (k).x, (k).n from (select information_schema._pg_expandarray('3 1 2'::int2vector) as k) s",
                List.of(), session);
        assertThat(query.columns()).extracting(ResultColumn::name).containsExactly("x", "n");
        assertThat(rows(query)).containsExactly(List.of(3, 1), List.of(1, 2), List.of(2, 3));
        assertThat(rows("select (_pg_expandarray('{5,6}')).x")).containsExactly(List.of(5), List.of(6));
        assertThatThrownBy(() -> rows("select (_pg_expandarray('{a}')).x"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22P02"));
    }

    @Test
    void severalFunctionsRunInLockstep()
    {
        // SQLAlchemy 1.4's get_pk_constraint
        assertThat(rows("select unnest('4 2 7'::int2vector) attnum, generate_subscripts('4 2 7'::int2vector, 1) ord"))
                .containsExactly(List.of("4", 0), List.of("2", 1), List.of("7", 2));
        assertThat(rows("""
                SELECT a.attname FROM pg_attribute a JOIN (
                    SELECT unnest(ix.indkey) attnum, generate_subscripts(ix.indkey, 1) ord
                    FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid WHERE t.relname = 'orders' AND ix.indisprimary) k
                  ON a.attnum = k.attnum
                WHERE a.attrelid = (select oid from pg_class where relname = 'orders')
                ORDER BY k.ord""")).containsExactly(List.of("id"));
    }

    @Test
    void unnestInFromList()
    {
        PreparedQuery query = planner.prepare("select * from unnest('{a,\"b c\"}'::text[])", List.of(), session);
        assertThat(query.columns()).extracting(ResultColumn::name).containsExactly("unnest");
        assertThat(rows(query)).containsExactly(List.of("a"), List.of("b c"));
    }

    @Test
    void functionsNextToStarAreRefused()
    {
        assertThatThrownBy(() -> planner.prepare("select *, generate_series(1, 2) from pg_am", List.of(), session))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("0A000"));
    }

    @Test
    void reservedWordsAsLabels()
    {
        // SQLAlchemy's get_columns labels a sub-query AS DEFAULT
        PreparedQuery query = planner.prepare("select 1 AS DEFAULT, cast(2 as integer) as user, 'x' as value from pg_am where amname = 'btree'", List.of(),
                session);
        assertThat(query.columns()).extracting(ResultColumn::name).containsExactly("default", "user", "value");
        assertThat(rows(query)).containsExactly(List.of(1, 2, "x"));
    }

    @Test
    void jsonBuildObject()
    {
        assertThat(rows("select json_build_object('always', amname = 'btree', 'start', 1, 'name', 'a\"b', 'none', null) from pg_am where amname = 'btree'"))
                .containsExactly(List.of("{\"always\" : true, \"start\" : 1, \"name\" : \"a\\\"b\", \"none\" : null}"));
    }

    private List<List<Object>> rows(String sql)
    {
        return rows(planner.prepare(sql, List.of(), session));
    }

    private static List<List<Object>> rows(PreparedQuery query)
    {
        return TestingShop.readAll(query.execute(List.of(), TestingShop.context(TestingClientCorpus.SESSION_USER)));
    }
}
