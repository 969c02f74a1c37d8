package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.testing.TestingCorpusConnector;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Catalog expressions as psql and schema browsers write them, answered as PostgreSQL 15 does. */
class TestPgCatalogExpressions
{
    private final CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(new TestingCorpusConnector()), PlannerOptions.defaults());
    private final SessionContext session = new SessionContext("alice", List.of("public"));

    @Test
    void regclassAndRegtypeLiteralsShowTheirNames()
    {
        // qualified where the search path (public) does not find the table, as PostgreSQL prints them
        assertThat(rows("select 'orders'::regclass, 'sales.customers'::regclass as c, 'int4'::regtype, 'pg_class'::regclass"))
                .containsExactly(List.of("orders", "sales.customers", "integer", "pg_class"));
        assertThat(rows("select c.oid::regclass::text from pg_class c where c.relname in ('orders', 'customers') order by 1"))
                .containsExactly(List.of("orders"), List.of("sales.customers"));
        assertThat(planner.prepare("select 'orders'::regclass", List.of(), session).columns()).extracting(ResultColumn::name).containsExactly("regclass");
        // in a subquery it stays the OID the outer query compares
        assertThat(rows("select r.c = c.oid from (select 'orders'::regclass as c) r, pg_class c where c.relname = 'orders'"))
                .containsExactly(List.of(true));
        // compared, the literal is the OID
        assertThat(rows("select count(*) from pg_attribute where attrelid = 'orders'::regclass and attnum > 0")).containsExactly(List.of(6L));
        assertThat(rows("select relname from pg_class where oid = 'sales.customers'::regclass")).containsExactly(List.of("customers"));
    }

    @Test
    void arrayConcatenation()
    {
        assertThat(rows("select array_to_string(c.reloptions || array(select 'toast.' || x from unnest(c.reloptions) x), ', ') "
                + "from pg_class c where c.relname = 'orders'")).containsExactly(Arrays.asList(""));
        assertThat(rows("select array_to_string('{a,b}' || array(select relname from pg_class where relname in ('orders', 'people') order by 1), ',')"))
                .containsExactly(List.of("a,b,orders,people"));
        // text || text is still concatenation
        assertThat(rows("select 'a' || relname from pg_class where relname = 'orders'")).containsExactly(List.of("aorders"));
    }

    @Test
    void psqlDescribeTableVerbose()
    {
        // psql 15's \d+ table, second query: reloptions of the table and of its TOAST table
        String sql = """
                SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, c.relrowsecurity, c.relforcerowsecurity, false AS relhasoids,
                  c.relispartition, pg_catalog.array_to_string(c.reloptions || array(select 'toast.' || x from pg_catalog.unnest(tc.reloptions) x), ', ')
                , c.reltablespace, CASE WHEN c.reloftype = 0 THEN '' ELSE c.reloftype::pg_catalog.regtype::pg_catalog.text END, c.relpersistence,
                  c.relreplident, am.amname
                FROM pg_catalog.pg_class c
                 LEFT JOIN pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid)
                LEFT JOIN pg_catalog.pg_am am ON (c.relam = am.oid)
                WHERE c.oid = 'orders'::regclass""";
        List<List<Object>> rows = rows(sql);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get(1)).isEqualTo("r");
        assertThat(rows.get(0).get(9)).isEqualTo("");
        assertThat(rows.get(0).get(14)).isEqualTo("heap");
    }

    @Test
    void psqlDescribeTableVerboseColumns()
    {
        // psql 15's \d+ table, third query: with the column comments
        String sql = """
                SELECT a.attname,
                  pg_catalog.format_type(a.atttypid, a.atttypmod),
                  (SELECT pg_catalog.pg_get_expr(d.adbin, d.adrelid, true)
                   FROM pg_catalog.pg_attrdef d
                   WHERE d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef),
                  a.attnotnull,
                  (SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t
                   WHERE c.oid = a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS attcollation,
                  a.attidentity,
                  a.attgenerated,
                  a.attstorage,
                  a.attcompression AS attcompression,
                  CASE WHEN a.attstattarget=-1 THEN NULL ELSE a.attstattarget END AS attstattarget,
                  pg_catalog.col_description(a.attrelid, a.attnum)
                FROM pg_catalog.pg_attribute a
                WHERE a.attrelid = 'sales.customers'::regclass AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum""";
        assertThat(rows(sql)).extracting(row -> row.get(0)).containsExactly("id", "name", "email", "ssn", "active");
        // attnum is int2, a literal int4: both find the column
        assertThat(rows("select col_description(a.attrelid, a.attnum), col_description(a.attrelid, 2) from pg_attribute a "
                + "where a.attrelid = 'sales.customers'::regclass and a.attnum = 2")).containsExactly(Arrays.asList(null, null));
    }

    @Test
    void sizes()
    {
        // psql's \dt+: sources do not report sizes, so they are unknown rather than invented
        assertThat(rows("select pg_size_pretty(pg_table_size(c.oid)), pg_total_relation_size(c.oid) from pg_class c where c.relname = 'orders'"))
                .containsExactly(Arrays.asList(null, null));
        // a name is a regclass: it must name a relation the session sees
        assertThat(rows("select pg_relation_size('sales.customers') from pg_class where relname = 'orders'")).containsExactly(Arrays.asList((Object) null));
        assertThatThrownBy(() -> rows("select pg_total_relation_size('sales.nope') from pg_class where relname = 'orders'"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("42P01"));
        assertThat(PgCatalogFunctions.pg_size_pretty(10239L)).isEqualTo("10239 bytes");
        assertThat(PgCatalogFunctions.pg_size_pretty(10240L)).isEqualTo("10 kB");
        assertThat(PgCatalogFunctions.pg_size_pretty(1_572_864L)).isEqualTo("1536 kB");
        assertThat(PgCatalogFunctions.pg_size_pretty(123_456_789L)).isEqualTo("118 MB");
        assertThat(PgCatalogFunctions.pg_size_pretty(new java.math.BigDecimal("5000000000000"))).isEqualTo("4657 GB");
    }

    @Test
    void currentSetting()
    {
        // the session's settings come from the gateway (ExecutionContext); without them, pg_settings' defaults
        assertThat(rows("select current_setting('server_version_num'), current_setting('DateStyle'), current_setting('no.such', true) "
                + "from pg_class where relname = 'orders'")).containsExactly(Arrays.asList("150000", "ISO, MDY", null));
        assertThatThrownBy(() -> rows("select current_setting('no_such_setting') from pg_class where relname = 'orders'"))
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("42704");
                    assertThat(e.getMessage()).isEqualTo("unrecognized configuration parameter \"no_such_setting\"");
                });
        // psql's \dconfig
        assertThat(rows("SELECT s.name AS \"Parameter\", pg_catalog.current_setting(s.name) AS \"Value\" FROM pg_catalog.pg_settings s "
                + "WHERE s.source <> 'default' AND s.setting IS DISTINCT FROM s.boot_val ORDER BY 1")).isEmpty();
    }

    @Test
    void typeOf()
    {
        // the types a client sees for these columns and expressions
        assertThat(rows("select pg_typeof(relname::text), pg_typeof(relpages), pg_typeof(reltuples), pg_typeof(1.5::numeric), "
                + "pg_typeof(relname::varchar(10)), pg_typeof(relnatts::int8 * 2), pg_typeof(relhasindex) from pg_class where relname = 'orders'"))
                .containsExactly(List.of("text", "integer", "real", "numeric", "character varying", "bigint", "boolean"));
        assertThat(rows("select pg_typeof(rolvaliduntil) from pg_roles where rolname = 'sekisho'")).containsExactly(List.of("timestamp with time zone"));
        // over a source's column, the planner still pushes the statement down whole
        assertThat(planner.prepare("select pg_typeof(amount), pg_typeof(tags) from orders", List.of(), session).isFullyPushedDown()).isTrue();
    }

    private List<List<Object>> rows(String sql)
    {
        return TestClientCorpus.readAll(planner.prepare(sql, List.of(), session).execute(List.of(), TestClientCorpus.context()));
    }
}
