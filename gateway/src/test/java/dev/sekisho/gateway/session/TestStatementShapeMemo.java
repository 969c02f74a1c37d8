package dev.sekisho.gateway.session;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.statement.LiteralBoundQuery;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingShop;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.sql.SqlLexer;
import dev.sekisho.policies.sql.SqlStatement;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session's shape memo ({@link StatementShape}) against the path without it: every Parse text of a
 * sequence is parsed by one session, which remembers the shapes of the texts before, and by a new
 * session, which lexes and normalises it; what both keep (the statement and its tokens, the Redash
 * annotation, the audit text, the plan's normalised form and bound literals, the SQL and values sent
 * to the source, or the error) must be the same. Where the memo must answer, the lexer must not run.
 */
class TestStatementShapeMemo
{
    private static final String REDASH = "/* Username: user%d@example.com, query_id: %d, Queue: queries, Job ID: %s, Query Hash: 9f3a, Scheduled: %s */ ";

    private final TestingConnector shop = twoSchemas();
    private final CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(shop), PlannerOptions.defaults());
    private final Session session = newSession();
    private int run;
    private long lastLexed;
    /** Texts {@link Session#parsedWithoutPlanning} answered in this test. */
    private int parsedWithoutPlanning;

    private static TestingConnector twoSchemas()
    {
        TestingConnector connector = new TestingConnector("shopdb", SqlDialectKind.MYSQL);
        TestingShop.addCustomers(connector, "shop");
        TestingShop.addOrders(connector, "shop");
        TestingShop.addCustomers(connector, "archive");
        return connector;
    }

    private Session newSession()
    {
        return new Session(new Principal("alice", Set.of(), Map.of()), planner, List.of("shop"), Optional.empty(), Map.of());
    }

    @Test
    void literalKindsAndTypesChangingBetweenCalls()
    {
        String lookup = "select id, name from customers where id = %s";
        assertRemembered(redash(lookup.formatted("1")), false);
        assertRemembered(redash(lookup.formatted("2")), true);
        // a string where a number was: another kind of token, lexed and normalised again
        assertRemembered(redash(lookup.formatted("'3'")), false);
        assertRemembered(redash(lookup.formatted("'4'")), true);
        assertRemembered(redash(lookup.formatted("5.5")), null);
        assertRemembered(redash(lookup.formatted("NULL")), false);
        assertRemembered(redash(lookup.formatted("-6")), false);
        assertRemembered(redash(lookup.formatted("=-6").replace("= =", "=")), false);
        assertRemembered(redash(lookup.formatted("1e5")), null);
        assertRemembered(redash(lookup.formatted("1e+5")), null);
        // numbers of other types through the remembered shape: bigint, numeric, a fraction that is no integer
        assertRemembered(redash(lookup.formatted("7")), true);
        assertRemembered(redash(lookup.formatted("3000000000")), true);
        assertRemembered(redash(lookup.formatted("99999999999999999999999")), null);
        assertRemembered(redash(lookup.formatted("7.25")), null);
        assertRemembered(redash(lookup.formatted(".5")), null);
        assertRemembered(redash(lookup.formatted("8e3")), null);
        assertRemembered(redash(lookup.formatted("8")), true);
        assertRemembered(lookup.formatted("9"), true);
        assertThat(parsedWithoutPlanning).as("remembered shapes whose plan was held answered without planning").isGreaterThanOrEqualTo(3);
    }

    /** A simple Query whose text is one statement goes through the memo too: the next text of its shape is neither lexed nor planned. */
    @Test
    void aSimpleQuerysOnlyStatementIsRememberedLikeAParse()
    {
        String lookup = "select id, name from customers where id = %s;";
        String first = redash(lookup.formatted("1"));
        session.parseWhole("", first, SqlStatement.split(first).get(0));
        Session fresh = newSession();
        fresh.parse("", first, List.of());
        assertThat(outcome(session.describeStatement(""))).isEqualTo(outcome(fresh.describeStatement("")));

        String second = redash(lookup.formatted("2"));
        long plans = planner.planCount();
        assertThat(session.parsedWithoutPlanning("", second, List.of())).as("the shape is remembered and its plan held").isPresent();
        List<SqlStatement> lexed = SqlStatement.split(second);
        long before = SqlLexer.invocations();
        session.parseWhole("", second, lexed.get(0));
        assertThat(SqlLexer.invocations()).as("not lexed again").isEqualTo(before);
        assertThat(planner.planCount()).isEqualTo(plans);
        Session other = newSession();
        other.parse("", second, List.of());
        assertThat(outcome(session.describeStatement(""))).isEqualTo(outcome(other.describeStatement("")));
    }

    @Test
    void aStatementParsedWithoutPlanningIsKeptOnlyWhenTheParseComes()
    {
        String lookup = "select id, name from customers where id = %s";
        assertThat(session.parsedWithoutPlanning("", redash(lookup.formatted("1")), List.of())).as("a shape not seen").isEmpty();
        session.parse("", redash(lookup.formatted("1")), List.of());
        PreparedStatement first = session.describeStatement("");
        PreparedStatement checked = session.parsedWithoutPlanning("", redash(lookup.formatted("2")), List.of()).orElseThrow();
        assertThat(session.describeStatement("")).as("nothing kept before the Parse").isSameAs(first);
        session.parseChecked(checked);
        assertThat(session.describeStatement("")).isSameAs(checked);
        assertThat(checked.query().orElseThrow().fragments(List.of()).get(0).parameters()).containsExactly(2);

        // a name in use, as Parse would refuse it
        session.parse("S_1", redash(lookup.formatted("3")), List.of());
        assertThat(session.parsedWithoutPlanning("S_1", redash(lookup.formatted("4")), List.of())).isEmpty();
        assertThat(session.parsedWithoutPlanning("S_2", redash(lookup.formatted("4")), List.of())).isPresent();
    }

    @Test
    void stringsHoldingSemicolonsQuotesBackslashesAndCommentMarkers()
    {
        String lookup = "select id from customers where name = %s and region = 'JP'";
        assertRemembered(redash(lookup.formatted("'Alice'")), false);
        for (String literal : List.of("'a;b'", "'O''Brien'", "''''", "''", "'a\\b'", "'a\\'", "'-- not a comment'", "'/* nor this */'",
                "'x'' and region = ''US'", "'; select 1; --'", "'日本'")) {
            assertRemembered(redash(lookup.formatted(literal)), true);
        }
        // not plain strings: an escape string, a dollar quote, a string cut short by the text's end
        assertRemembered(redash(lookup.formatted("E'a\\'b'")), false);
        assertRemembered(redash(lookup.formatted("$$d;'$$")), false);
        assertRemembered(redash(lookup.formatted("$q$x$q$")), false);
        assertRemembered(redash(lookup.formatted("'Alice'")), true);
        assertRemembered(redash("select id from customers where name = 'x and region = 'JP'"), false);
        assertRemembered(redash("select id from customers where name = 'a' and region = 'JP''"), null);
    }

    @Test
    void inListsAcrossBucketsAndLimitsThatDoNotFold()
    {
        assertRemembered(redash("select id from customers where id in (1, 2, 3)"), false);
        assertRemembered(redash("select id from customers where id in (4, 5, 6)"), true);
        assertRemembered(redash("select id from customers where id in (4, 5, '6')"), false);
        assertRemembered(redash("select id from customers where id in (4, 5, 6, 7)"), false);
        assertRemembered(redash("select id from customers where id in (4, 5, 6, 7, 8)"), false);
        assertRemembered(redash("select id from customers where id in (9, 10, 11, 12, 13)"), true);
        assertRemembered(redash("select id from customers where id > 1 order by id limit 5"), false);
        assertRemembered(redash("select id from customers where id > 2 order by id limit 5"), true);
        assertRemembered(redash("select id from customers where id > 2 order by id limit 6"), false);
        assertRemembered(redash("select id from customers where id > 2 order by id limit 5 offset 10"), false);
        assertRemembered(redash("select id from customers where id > 2 order by id limit 5 offset 11"), false);
        assertRemembered(redash("select id from customers where id between 1 and 10 order by 1"), false);
        assertRemembered(redash("select id from customers where id between 2 and 20 order by 1"), true);
        assertRemembered(redash("select id from customers where id between 2 and 20 order by 2"), false);
        // the token before a literal is lexed again: "and" followed by ".5" is a word and a number, followed by "5" one word
        assertRemembered(redash("select id from customers where id between 1 and.5"), false);
        assertRemembered(redash("select id from customers where id between 2 and.7"), true);
        assertRemembered(redash("select id from customers where id between 2 and7"), false);
        assertRemembered(redash("select id from customers where name like'a%'"), false);
        assertRemembered(redash("select id from customers where name like'b%'"), true);
    }

    @Test
    void textsThatDifferOutsideTheLiterals()
    {
        assertRemembered(redash("select id, name from customers where id = 1"), false);
        assertRemembered(redash("select id, name from customers where id < 1"), false);
        assertRemembered(redash("select id, name from customers where id <= 1"), false);
        assertRemembered(redash("select id, name from customers where id = 1 "), false);
        assertRemembered(redash("select id, name from customers where id = 2 "), true);
        assertRemembered(redash("select id, name from customers where id = 2;"), false);
        assertRemembered(redash("select id, name from customers where id = 3;"), true);
        assertRemembered(redash("select id, name from customers where id = 3; select 2"), false);
        assertRemembered(redash("select id, name from customers where id = 3;; select 2"), false);
        assertRemembered(redash("select id, name from customerz where id = 4"), false);
        assertRemembered(redash("select id, name from customers where id = 4 -- a comment"), false);
        assertRemembered(redash("select id, name from customers where id = 5 -- a comment"), true);
        assertRemembered(redash("select id, name from customers where id = 5 -- another"), false);
        assertRemembered(redash("select id, name from customers /* c */ where id = 5"), false);
        assertRemembered(redash("select id, name from customers where id = 5e"), false);
        assertRemembered(redash("select id, name from customers where id = 5e7"), null);
        assertRemembered(redash("select id, name from customers where id = 1"), null);
        assertRemembered("select id, name from customers where id = 1", true);
        assertRemembered("  \n select id, name from customers where id = 2", true);
        assertRemembered(";select id, name from customers where id = 2", false);
        // other leading comments: not Redash's (planned with the comment), a directive, two comments
        assertRemembered("/* hello */ select id, name from customers where id = 2", false);
        assertRemembered("/* Username: x, query_id: 1 */ /* second */ select id, name from customers where id = 2", false);
        assertRemembered("-- Username: x, query_id: 1\nselect id, name from customers where id = 2", false);
        assertRemembered("/* sekisho: max_staleness=10m */ select id, name from customers where id = 2", false);
        assertRemembered("/* Username: x, query_id: 1, sekisho: max_staleness=10m */ select id, name from customers where id = 2", null);
    }

    @Test
    void searchPathAndParametersReachThePlanOnEveryCall()
    {
        String lookup = redash("select id, name from customers where id = 1");
        assertRemembered(lookup, false);
        session.settings().set("search_path", List.of("archive"));
        assertRemembered(redash("select id, name from customers where id = 2"), true);
        assertThat(lastSource()).contains("archive").doesNotContain("`shop`");
        session.settings().set("search_path", List.of("shop"));
        assertRemembered(redash("select id, name from customers where id = 3"), true);
        assertThat(lastSource()).doesNotContain("archive");
        // the client's own parameters and declared types: a shape is for the types it was made with
        String withParameter = "select id from customers where region = $1 and id = %s";
        assertRemembered(withParameter.formatted("1"), List.of(ColumnType.of(ColumnType.Kind.CHAR)), false);
        assertRemembered(withParameter.formatted("2"), List.of(ColumnType.of(ColumnType.Kind.CHAR)), true);
        assertRemembered(withParameter.formatted("3"), List.of(), false);
        assertRemembered(withParameter.formatted("4"), List.of(), true);
    }

    @Test
    void theAnnotationOfEachCallIsRead()
    {
        for (int i = 1; i <= 5; i++) {
            assertRemembered(redash("select name from customers where id = " + i), i > 1);
            PreparedStatement statement = session.describeStatement("");
            assertThat(statement.annotation().orElseThrow().username()).isEqualTo("user" + run + "@example.com");
            assertThat(statement.annotation().orElseThrow().queryId()).contains(String.valueOf(run * 10));
            assertThat(statement.annotation().orElseThrow().scheduled()).contains(run % 2 == 0);
            assertThat(statement.clientSql()).startsWith("/* Username: user" + run + "@example.com").endsWith("id = " + i);
            assertThat(((LiteralBoundQuery) statement.query().orElseThrow()).fragments(List.of()).get(0).parameters()).containsExactly(i);
        }
    }

    @Test
    void namedStatementsKeepTheirRules()
    {
        assertRemembered("s1", redash("select name from customers where id = 1"), List.of(), false);
        QueryException duplicate = null;
        try {
            session.parse("s1", redash("select name from customers where id = 2"), List.of());
        }
        catch (QueryException e) {
            duplicate = e;
        }
        assertThat(duplicate).isNotNull();
        assertThat(duplicate.sqlState()).isEqualTo("42P05");
        assertThat(session.describeStatement("s1").clientSql()).endsWith("id = 1");
        session.closeStatement("s1");
        assertRemembered("s1", redash("select name from customers where id = 3"), List.of(), true);
        assertRemembered("s2", redash("select name from customers where id = 4"), List.of(), true);
    }

    private String lastSource()
    {
        return session.describeStatement("").query().orElseThrow().fragments(List.of()).get(0).sql();
    }

    private String redash(String sql)
    {
        run++;
        return REDASH.formatted(run, run * 10, UUID.randomUUID(), run % 2 == 0 ? "True" : "False") + sql;
    }

    private void assertRemembered(String sql, Boolean remembered)
    {
        assertRemembered("", sql, List.of(), remembered);
    }

    private void assertRemembered(String sql, List<ColumnType> types, Boolean remembered)
    {
        assertRemembered("", sql, types, remembered);
    }

    /**
     * Parses {@code sql} in the session and in a new one: the same outcome; the lexer ran only when
     * the memo did not answer ({@code remembered} null: either may be right, the planner decides).
     */
    private void assertRemembered(String name, String sql, List<ColumnType> types, Boolean remembered)
    {
        // what an I/O thread may ask first: never planned, never lexed, nothing kept; when present, what the Parse then keeps
        long plans = planner.planCount();
        long lexedBefore = SqlLexer.invocations();
        Optional<PreparedStatement> withoutPlanning = session.parsedWithoutPlanning(name, sql, types);
        assertThat(planner.planCount()).as("planned without planning: " + sql).isEqualTo(plans);
        assertThat(SqlLexer.invocations()).as("lexed without planning: " + sql).isEqualTo(lexedBefore);
        if (remembered == Boolean.FALSE) {
            assertThat(withoutPlanning).as("a shape not remembered: " + sql).isEmpty();
        }
        if (withoutPlanning.isPresent()) {
            parsedWithoutPlanning++;
        }
        List<Object> memo = outcome(session, name, sql, types);
        withoutPlanning.ifPresent(statement -> assertThat(outcome(statement)).as("parsed without planning: " + sql).isEqualTo(memo));
        long lexed = lastLexed;
        Session fresh = newSession();
        fresh.settings().set("search_path", session.settings().searchPath());
        List<Object> expected = outcome(fresh, name, sql, types);
        assertThat(memo).as("through the memo: " + sql).isEqualTo(expected);
        if (remembered == null) {
            return;
        }
        if (remembered) {
            assertThat(lexed).as("lexer runs for a remembered shape: " + sql).isZero();
        }
        else {
            assertThat(lexed).as("lexer runs for a new shape: " + sql).isPositive();
        }
    }

    /** What a Parse of {@code sql} leaves: the statement, its annotation and audit text, the plan's form and what the source receives; or the error. */
    private List<Object> outcome(Session session, String name, String sql, List<ColumnType> types)
    {
        long before = SqlLexer.invocations();
        try {
            session.parse(name, sql, types);
        }
        catch (QueryException e) {
            return List.of("error", e.sqlState(), String.valueOf(e.getMessage()));
        }
        finally {
            lastLexed = SqlLexer.invocations() - before;
        }
        return outcome(session.describeStatement(name));
    }

    private static List<Object> outcome(PreparedStatement statement)
    {
        List<Object> outcome = new ArrayList<>();
        SqlStatement text = statement.statement();
        outcome.add(text);
        outcome.add(SqlStatement.split(text.text()).get(0).tokens().equals(text.tokens()));
        outcome.add(statement.kind());
        outcome.add(statement.annotation());
        outcome.add(statement.clientSql());
        outcome.add(statement.parameterTypes());
        outcome.add(statement.columns());
        PreparedQuery query = statement.query().orElseThrow();
        outcome.add(query.getClass());
        outcome.add(query.sql());
        if (query instanceof LiteralBoundQuery bound) {
            outcome.add(bound.normalized());
            outcome.add(bound.annotation());
        }
        List<Object> parameters = new ArrayList<>();
        for (int i = 0; i < statement.parameterTypes().size(); i++) {
            parameters.add("JP");
        }
        try {
            outcome.add(query.fragments(parameters));
        }
        catch (RuntimeException e) {
            outcome.add(e.getClass());
        }
        return outcome;
    }
}
