package dev.sekisho.planner.pg.functions;

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

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL's regular expressions in the gateway (expected values taken from PostgreSQL 15), the
 * bitwise operators' precedence and types, encode/decode and the engine's arrays.
 */
class TestPgRegexFunctions
{
    private final CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(new TestingCorpusConnector()), PlannerOptions.defaults());
    private final SessionContext session = new SessionContext("alice", List.of("public"));

    @Test
    void matchesAreLeftmostLongestAsInPostgres()
    {
        // a backtracking engine takes the first alternative (a); POSIX the longest (ab)
        assertThat(PgRegexFunctions.regexp_match("ab", "a|ab")).isEqualTo("{ab}");
        assertThat(PgRegexFunctions.pg_regexp_substring("ab", "a|ab")).isEqualTo("ab");
        assertThat(PgRegexFunctions.regexp_match("xyz", "(a)?(y)")).isEqualTo("{NULL,y}");
        assertThat(PgRegexFunctions.regexp_match("a\"b c,d", "(.*)")).isEqualTo("{\"a\\\"b c,d\"}");
        assertThat(PgRegexFunctions.regexp_match("abc", "x")).isNull();
        // non-greedy: the shortest
        assertThat(PgRegexFunctions.pg_regexp_substring("aXbYb", "a.*?b")).isEqualTo("aXb");
    }

    @Test
    void postgresSyntaxIsTranslated()
    {
        assertThat(PgRegexFunctions.pg_regexp_substring("123abc456", "[[:alpha:]]+")).isEqualTo("abc");
        assertThat(PgRegexFunctions.pg_regexp_substring("foo bar", "\\mbar")).isEqualTo("bar");
        assertThat(PgRegexFunctions.pg_regexp_substring("foobar", "\\mbar")).isNull();
        // . matches a newline and $ only the end, unless newline-sensitive
        assertThat(PgRegexFunctions.pg_regexp_substring("a\nb", "a.b")).isEqualTo("a\nb");
        assertThat(PgRegexFunctions.regexp_match("ab\n", "b$")).isNull();
        assertThat(PgRegexFunctions.regexp_match("ab\nc", "b$", "n")).isEqualTo("{b}");
        assertThat(PgRegexFunctions.pg_regexp_substring("a]b", "[]]")).isEqualTo("]");
        assertThat(PgRegexFunctions.regexp_match("ABC", "b", "i")).isEqualTo("{B}");
        assertThat(PgRegexFunctions.pg_regexp_substring("abc123def", "([a-z])[0-9]")).isEqualTo("c");
    }

    @Test
    void splitsSkipDegenerateMatchesAsPostgres()
    {
        assertThat(PgRegexFunctions.regexp_split_to_array("a1b2c", "[0-9]")).isEqualTo("{a,b,c}");
        assertThat(PgRegexFunctions.regexp_split_to_array("a,b,,c", ",")).isEqualTo("{a,b,\"\",c}");
        assertThat(PgRegexFunctions.regexp_split_to_array("abc", "")).isEqualTo("{a,b,c}");
        assertThat(PgRegexFunctions.regexp_split_to_array("hello world", "\\s+")).isEqualTo("{hello,world}");
        assertThat(PgRegexFunctions.matches("a1b22c333", "[0-9]+", "g")).containsExactly("{1}", "{22}", "{333}");
        assertThat(PgRegexFunctions.matches("abc123def45", "([a-z]+)([0-9]+)", "g")).containsExactly("{abc,123}", "{def,45}");
        assertThat(PgRegexFunctions.matches("abc123def45", "[0-9]+", "")).containsExactly("{123}");
    }

    @Test
    void badPatternsAndFlagsRaisePostgresErrors()
    {
        assertThatThrownBy(() -> PgRegexFunctions.regexp_match("abc", "(")).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.sqlState()).isEqualTo("2201B"));
        assertThatThrownBy(() -> PgRegexFunctions.regexp_match("abc", "a", "z")).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.sqlState()).isEqualTo("22023"));
        assertThatThrownBy(() -> PgRegexFunctions.regexp_split_to_array("abc", "a", "g")).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.sqlState()).isEqualTo("22023"));
        assertThatThrownBy(() -> PgRegexFunctions.regexp_match("abc", "a+b*?")).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.sqlState()).isEqualTo("0A000"));
    }

    @Test
    void setReturningRegexpMatchesDropsRowsWithoutMatch()
    {
        PreparedQuery query = planner.prepare("select regexp_matches('a1b22c333', '[0-9]+', 'g')", List.of(), session);
        assertThat(query.columns()).extracting(ResultColumn::name, ResultColumn::typeOid).containsExactly(org.assertj.core.groups.Tuple.tuple("regexp_matches", PgTypeInfo.TEXT_ARRAY));
        assertThat(rows(query)).containsExactly(List.of("{1}"), List.of("{22}"), List.of("{333}"));
        assertThat(rows("select regexp_matches('abc', 'x')")).isEmpty();
        assertThat(rows("select substring('abc123def' from '[0-9]+'), regexp_split_to_array('a1b2c', '[0-9]')"))
                .containsExactly(List.of("123", "{a,b,c}"));
    }

    @Test
    void bitwiseOperatorsHavePostgresPrecedenceAndTypes()
    {
        assertThat(rows("select 7 & 3, 7 | 8, 7 # 2, ~7, 1 << 4, 256 >> 2")).containsExactly(List.of(3, 15, 5, -8, 16, 64));
        // other operators: looser than arithmetic, left-associative among themselves; a prefix ~ takes the sum after it
        assertThat(rows("select 1 | 2 & 3, 1 + 2 & 3, 1 << 2 + 1, ~1 + 1, ~ 7 & 3, 1 << 40, -8 >> 1"))
                .containsExactly(List.of(3, 3, 8, -3, 0, 256, -4));
        PreparedQuery query = planner.prepare("select 7 & 3, 7::bigint & 3, 7::smallint & 3::smallint", List.of(), session);
        assertThat(query.columns()).extracting(ResultColumn::name).containsOnly("?column?");
        assertThat(query.columns()).extracting(column -> column.type().toString()).containsExactly("integer", "bigint", "smallint");
        assertThatThrownBy(() -> planner.prepare("select 2.5 & 1", List.of(), session)).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.sqlState()).isEqualTo("42883"));
    }

    @Test
    void encodeAndDecode()
    {
        assertThat(rows("select encode('abc'::bytea, 'hex'), encode(decode('00ff41', 'hex'), 'escape'), encode('hello world', 'base64')"))
                .containsExactly(List.of("616263", "\\000\\377A", "aGVsbG8gd29ybGQ="));
        assertThatThrownBy(() -> rows("select decode('zz', 'hex')")).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.sqlState()).isEqualTo("22023"));
    }

    @Test
    void engineArraysTakeSubscriptsAndLengths()
    {
        assertThat(rows("select (ARRAY[10, 20, 30])[2], array_length(ARRAY[1, 2, 3], 1), cardinality(ARRAY[1, 2]), (ARRAY[1, 2])[5], array_length(ARRAY[1, 2], 2)"))
                .containsExactly(Arrays.asList(20, 3, 2, null, null));
        assertThat(rows("select unnest(ARRAY[3, 1, 2]) as v order by v")).containsExactly(List.of(1), List.of(2), List.of(3));
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
