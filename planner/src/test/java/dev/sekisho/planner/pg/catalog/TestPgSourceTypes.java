package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.testing.TestingCorpusConnector;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Array, enum and domain columns and materialized views of a source, as the catalog emulation and
 * RowDescription show them: the answers PostgreSQL 15 gives for the client corpus's fixture
 * ({@code public.people(id int, m mood, p posint, ms mood[])}, {@code orders.tags text[]},
 * {@code public.mv_totals} a materialized view).
 */
class TestPgSourceTypes
{
    private final CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(new TestingCorpusConnector()), PlannerOptions.defaults());
    private final SessionContext session = new SessionContext("alice", List.of("public"));

    @Test
    void resultColumnsAreDescribedAsPostgreSqlDoes()
    {
        long mood = single("select oid from pg_type where typname = 'mood'");
        long moodArray = single("select typarray from pg_type where typname = 'mood'");
        PreparedQuery query = planner.prepare("select id, m, p, ms from people", List.of(), session);
        // a domain column is described with its base type, as PostgreSQL's RowDescription does
        assertThat(query.columns()).extracting(ResultColumn::pgTypeOid)
                .containsExactly(PgTypeInfo.INT4, (int) mood, PgTypeInfo.INT4, (int) moodArray);
        assertThat(planner.prepare("select tags from orders", List.of(), session).columns()).extracting(ResultColumn::pgTypeOid)
                .containsExactly(PgTypeInfo.TEXT_ARRAY);
    }

    @Test
    void pgTypeHasTheEnumTheDomainAndTheirArrays()
    {
        assertThat(rows("""
                select t.typname, t.typtype, t.typcategory, n.nspname, bt.typname, e.typname, t.typinput = 'pg_catalog.array_in'::regproc
                from pg_type t join pg_namespace n on n.oid = t.typnamespace
                left join pg_type bt on bt.oid = t.typbasetype left join pg_type e on e.oid = t.typelem
                where t.typname in ('mood', '_mood', 'posint', '_posint') order by t.typname"""))
                .containsExactly(
                        Arrays.asList("_mood", "b", "A", "public", null, "mood", true),
                        Arrays.asList("_posint", "b", "A", "public", null, "posint", true),
                        Arrays.asList("mood", "e", "E", "public", null, null, false),
                        Arrays.asList("posint", "d", "N", "public", "int4", null, false));
        // each type's typarray is its array type
        assertThat(rows("select count(*) from pg_type t join pg_type a on a.oid = t.typarray and a.typelem = t.oid where t.typname in ('mood', 'posint')"))
                .containsExactly(List.of(2L));
    }

    @Test
    void typesAreVisibleWhereTheirSchemaIsOnTheSearchPath()
    {
        String sql = "select t.typname, pg_type_is_visible(t.oid) from pg_type t where t.typname in ('mood', '_mood', 'int4') order by 1";
        assertThat(rows(sql)).containsExactly(List.of("_mood", true), List.of("int4", true), List.of("mood", true));
        SessionContext sales = new SessionContext("alice", List.of("sales"));
        assertThat(TestClientCorpus.readAll(planner.prepare(sql, List.of(), sales).execute(List.of(), TestClientCorpus.context())))
                .containsExactly(List.of("_mood", false), List.of("int4", true), List.of("mood", false));
    }

    @Test
    void enumLabelsInSortOrder()
    {
        assertThat(rows("select e.enumlabel, e.enumsortorder from pg_enum e join pg_type t on t.oid = e.enumtypid where t.typname = 'mood' "
                + "order by e.enumsortorder"))
                .containsExactly(List.of("sad", 1.0f), List.of("ok", 2.0f), List.of("happy", 3.0f));
    }

    @Test
    void attributesAndFormatType()
    {
        assertThat(rows("select a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid::regtype::text from pg_attribute a "
                + "where a.attrelid = 'people'::regclass and a.attnum > 0 order by a.attnum"))
                .containsExactly(List.of("id", "integer", "integer"), List.of("m", "mood", "mood"), List.of("p", "posint", "posint"),
                        List.of("ms", "mood[]", "mood[]"));
        assertThat(rows("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'orders'::regclass and attname = 'tags'"))
                .containsExactly(List.of("text[]"));
    }

    @Test
    void informationSchemaColumns()
    {
        assertThat(rows("select column_name, data_type, udt_schema, udt_name, domain_name from information_schema.columns "
                + "where table_name = 'people' order by ordinal_position"))
                .containsExactly(
                        Arrays.asList("id", "integer", "pg_catalog", "int4", null),
                        Arrays.asList("m", "USER-DEFINED", "public", "mood", null),
                        Arrays.asList("p", "integer", "pg_catalog", "int4", "posint"),
                        Arrays.asList("ms", "ARRAY", "public", "_mood", null));
        assertThat(rows("select data_type, udt_name from information_schema.columns where table_name = 'orders' and column_name = 'tags'"))
                .containsExactly(List.of("ARRAY", "_text"));
    }

    @Test
    void materializedViewsAreKindM()
    {
        assertThat(rows("select relname, relkind from pg_class where relname in ('v_orders', 'mv_totals') order by 1"))
                .containsExactly(List.of("mv_totals", "m"), List.of("v_orders", "v"));
        assertThat(rows("select schemaname, matviewname from pg_matviews")).containsExactly(List.of("public", "mv_totals"));
        assertThat(rows("select viewname from pg_views where schemaname = 'public'")).containsExactly(List.of("v_orders"));
        // not in the SQL standard's views, as in PostgreSQL
        assertThat(rows("select count(*) from information_schema.tables where table_name = 'mv_totals'")).containsExactly(List.of(0L));
        assertThat(rows("select count(*) from information_schema.columns where table_name = 'mv_totals'")).containsExactly(List.of(0L));
    }

    private long single(String sql)
    {
        List<List<Object>> rows = rows(sql);
        assertThat(rows).hasSize(1);
        return ((Number) rows.get(0).get(0)).longValue();
    }

    private List<List<Object>> rows(String sql)
    {
        return TestClientCorpus.readAll(planner.prepare(sql, List.of(), session).execute(List.of(), TestClientCorpus.context()));
    }
}
