package dev.sekisho.planner.pg.syntax;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestPgSyntax
{
    @Test
    void leavesPlainStatementsAlone()
    {
        String sql = "select \"a[1]\", 'x[0]', b from t where c = 'operator(pg_catalog.~)' -- a[1]\n";
        assertThat(PgSyntax.normalize(sql)).isEqualTo(sql);
    }

    @Test
    void blanksNestedCommentsWhichCalciteCannotRead()
    {
        assertThat(PgSyntax.normalize("select /* a /* b */\n c */ 1 /* d */")).isEqualTo("select " + " ".repeat(12) + "\n" + " ".repeat(5) + " 1 /* d */");
    }

    @Test
    void rewritesOperatorsQualifiersAndCollations()
    {
        assertThat(PgSyntax.normalize("a OPERATOR(pg_catalog.~) '^x$' COLLATE pg_catalog.default and b operator(pg_catalog.=) 1"))
                .isEqualTo("a  ~  '^x$'  and b  =  1");
        assertThat(PgSyntax.normalize("pg_catalog.format_type(x, y), pg_catalog.pg_class, z::pg_catalog.regclass"))
                .isEqualTo("format_type(x, y), pg_catalog.pg_class, z::regclass");
        // psql's \dT+ and \dd: CAST(... AS pg_catalog.text)
        assertThat(PgSyntax.normalize("CAST('tuple' AS pg_catalog.text) as name from pg_catalog.pg_type"))
                .isEqualTo("CAST('tuple' AS text) as name from pg_catalog.pg_type");
    }

    @Test
    void rewritesSubscriptsSlicesAndArrayTypes()
    {
        assertThat(PgSyntax.normalize("i.indkey [ia.attnum-1]")).isEqualTo("pg_subscript(i.indkey, CAST((ia.attnum-1) AS INTEGER))");
        assertThat(PgSyntax.normalize("(current_schemas(true))[1]")).isEqualTo("pg_subscript((current_schemas(true)), CAST((1) AS INTEGER))");
        assertThat(PgSyntax.normalize("i.indkey[0:(n - 1)]")).isEqualTo("pg_slice(i.indkey, CAST((0) AS INTEGER), CAST(((n - 1)) AS INTEGER))");
        // an array type after :: becomes its PostgreSQL name (_text), for the rewriter to check array literals
        assertThat(PgSyntax.normalize("'{a}'::text[]")).isEqualTo("'{a}'::_text");
        assertThat(PgSyntax.normalize("x::varchar(10)[]")).isEqualTo("x::varchar(10)");
        assertThat(PgSyntax.normalize("ARRAY[1, 2]")).isEqualTo("ARRAY[1, 2]");
    }

    @Test
    void rewritesStringsIntervalsAndTableFunctions()
    {
        assertThat(PgSyntax.normalize("E'a\\nb''c'")).isEqualTo("'a\nb''c'");
        assertThat(PgSyntax.normalize("INTERVAL '1 DAY'")).isEqualTo("INTERVAL '1' DAY");
        // found by FuzzSqlText: a string left open right after INTERVAL stays as it is (the parser rejects it)
        assertThat(PgSyntax.normalize("interval'")).isEqualTo("interval'");
        assertThat(PgSyntax.normalize("select interval '1 day")).isEqualTo("select interval '1 day");
        assertThat(PgSyntax.normalize("select n from generate_series(1, 3) s(n), t"))
                .isEqualTo("select n from TABLE(generate_series(1, 3)) s(n), t");
        assertThat(PgSyntax.normalize("select generate_series(1, 3) from t")).isEqualTo("select generate_series(1, 3) from t");
    }

    @Test
    void rewritesUnnestAndReservedLabels()
    {
        assertThat(PgSyntax.normalize("select unnest(x) from unnest(y) u")).isEqualTo("select pg_unnest(x) from TABLE(pg_unnest(y)) u");
        assertThat(PgSyntax.normalize("select (select 1) AS DEFAULT, a as b, cast(c AS DATE), CAST(d as timestamp) as order from t"))
                .isEqualTo("select (select 1) AS \"default\", a as b, cast(c AS DATE), CAST(d as timestamp) as \"order\" from t");
    }
}
