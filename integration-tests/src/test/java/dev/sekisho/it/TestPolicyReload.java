package dev.sekisho.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.policy.GatewayPolicies;
import dev.sekisho.policies.PolicyStore;
import dev.sekisho.policies.ReloadResult;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static dev.sekisho.it.QueryAssertions.normalize;
import static dev.sekisho.it.QueryAssertions.read;
import static dev.sekisho.it.QueryAssertions.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Hot reload through a running gateway: a throwaway gateway watches a policy folder of its own
 * while the tests edit the files as an admin would. An edit takes effect for the next statement,
 * also of sessions opened before it; a broken edit keeps the previous policy and names file:line.
 */
class TestPolicyReload
{
    /** Longest wait for the watcher (debounce 500 ms; file events, else a poll every 5 s). */
    private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(15);

    private static final String ROLES = """
            roles:
              analyst: {groups: [analysts]}
              finance: {groups: [finance]}
            """;

    /** Line 4 is customers' columns, line 5 the email column, line 7 its row filter, line 8 shop.orders (the broken variants below rely on these lines). */
    private static final String MASKED = """
            tables:
              shop.customers:
                allow: [analyst, finance]
                columns:
                  email: {mask: email}
                row_filters:
                  - {name: own_region, for: [analyst], where: "region = :user.region"}
              shop.orders:
                allow: [analyst, finance]
            """;

    /** The edit: analysts see raw emails and US customers too; products become visible. */
    private static final String UNMASKED = """
            tables:
              shop.customers:
                allow: [analyst, finance]
                columns:
                  email: {mask: email, unmasked_for: [analyst]}
                row_filters:
                  - {name: own_region, for: [analyst], where: "region = :user.region or region = 'US'"}
              shop.orders:
                allow: [analyst, finance]
              shop.products:
                allow: [analyst]
            """;

    private static TestingGateway testing;
    private static String jpId;
    private static String jpEmail;
    private static Object jpCount;
    private static Object jpAndUsCount;

    @TempDir
    Path policyDir;

    private Gateway gateway;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void setUpData()
            throws SQLException
    {
        testing = TestingGateway.shared();
        try (Connection direct = testing.connectDirect("shop")) {
            List<Object> row = rows(direct, "select id, email from customers where region = 'JP' and email is not null order by id limit 1").get(0);
            jpId = row.get(0).toString();
            jpEmail = (String) row.get(1);
            jpCount = rows(direct, "select count(*) from customers where region = 'JP'").get(0).get(0);
            jpAndUsCount = rows(direct, "select count(*) from customers where region in ('JP', 'US')").get(0).get(0);
        }
    }

    @BeforeEach
    void captureLog()
    {
        log.start();
        ((Logger) LoggerFactory.getLogger(PolicyStore.class)).addAppender(log);
    }

    @AfterEach
    void stop()
    {
        ((Logger) LoggerFactory.getLogger(PolicyStore.class)).detachAppender(log);
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void editTakesEffectForTheNextStatementOfAnOpenSession()
            throws Exception
    {
        start(MASKED);
        try (Connection alice = TestingGateway.connect(gateway, "alice")) {
            assertThat(email(alice)).isEqualTo("****@example.jp");
            assertThat(count(alice, "select count(*) from customers")).isEqualTo(jpCount);
            assertSqlState(alice, "select * from products", "42P01");

            String before = policies().store().current().version();
            ReloadResult result = edit("shop.yaml", UNMASKED);
            assertThat(result.outcome()).as(result.toString()).isEqualTo(ReloadResult.Outcome.APPLIED);
            assertThat(result.version()).isNotEqualTo(before);
            assertThat(policies().store().current().version()).isEqualTo(result.version());

            // the same session, its next statements
            assertThat(email(alice)).isEqualTo(jpEmail);
            assertThat(count(alice, "select count(*) from customers")).isEqualTo(jpAndUsCount);
            assertThat(rows(alice, "select count(*) from products")).isNotEmpty();

            // and back: the old policy again, in the same session
            result = edit("shop.yaml", MASKED);
            assertThat(result.outcome()).as(result.toString()).isEqualTo(ReloadResult.Outcome.APPLIED);
            assertThat(result.version()).isEqualTo(before);
            assertThat(email(alice)).isEqualTo("****@example.jp");
            assertThat(count(alice, "select count(*) from customers")).isEqualTo(jpCount);
            assertSqlState(alice, "select * from products", "42P01");
        }
    }

    @Test
    void statementPreparedBeforeAnEditRunsUnderTheNewPolicy()
            throws Exception
    {
        // Connection pools keep prepared statements for hours: a tightened policy must reach them at once.
        start(UNMASKED);
        try (Connection alice = TestingGateway.connect(gateway, "alice");
                PreparedStatement email = alice.prepareStatement("select email from customers where id = ?");
                PreparedStatement customers = alice.prepareStatement("select count(*) from customers where id > ?");
                PreparedStatement products = alice.prepareStatement("select count(*) from products where id > ?")) {
            // past pgjdbc's prepareThreshold (5), so that these are named server-side statements
            for (int i = 0; i < 6; i++) {
                assertThat(single(email, jpId)).isEqualTo(jpEmail);
                assertThat(count(customers)).isEqualTo(jpAndUsCount);
                assertThat(count(products)).isNotNull();
            }
            ReloadResult result = edit("shop.yaml", MASKED);
            assertThat(result.outcome()).as(result.toString()).isEqualTo(ReloadResult.Outcome.APPLIED);
            assertThat(email(alice)).as("a new statement").isEqualTo("****@example.jp");

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(single(email, jpId)).as("mask added after the statement was prepared").isEqualTo("****@example.jp");
            softly.assertThat(count(customers)).as("row filter narrowed after the statement was prepared").isEqualTo(jpCount);
            softly.assertThat(sqlState(products)).as("table hidden after the statement was prepared").isEqualTo("42P01");
            softly.assertAll();
        }
    }

    @Test
    void statementPreparedBeforeAnEditSeesARelaxedPolicy()
            throws Exception
    {
        start(MASKED);
        try (Connection alice = TestingGateway.connect(gateway, "alice");
                PreparedStatement email = alice.prepareStatement("select email from customers where id = ?")) {
            for (int i = 0; i < 6; i++) {
                assertThat(single(email, jpId)).isEqualTo("****@example.jp");
            }
            ReloadResult result = edit("shop.yaml", UNMASKED);
            assertThat(result.outcome()).as(result.toString()).isEqualTo(ReloadResult.Outcome.APPLIED);
            assertThat(single(email, jpId)).isEqualTo(jpEmail);
        }
    }

    @Test
    void editInsideAnOpenTransactionAppliesToTheNextStatement()
            throws Exception
    {
        start(MASKED);
        try (Connection alice = TestingGateway.connect(gateway, "alice")) {
            alice.setAutoCommit(false);
            assertThat(email(alice)).isEqualTo("****@example.jp");
            ReloadResult result = edit("shop.yaml", UNMASKED);
            assertThat(result.outcome()).as(result.toString()).isEqualTo(ReloadResult.Outcome.APPLIED);
            assertThat(email(alice)).isEqualTo(jpEmail);
            alice.commit();
        }
    }

    @Test
    void newFileAndRemovedFileAreSeen()
            throws Exception
    {
        start(MASKED);
        try (Connection alice = TestingGateway.connect(gateway, "alice")) {
            assertSqlState(alice, "select * from products", "42P01");
            ReloadResult result = edit("products.yaml", """
                    tables:
                      shop.products:
                        allow: [analyst]
                    """);
            assertThat(result.outcome()).as(result.toString()).isEqualTo(ReloadResult.Outcome.APPLIED);
            assertThat(rows(alice, "select count(*) from products")).isNotEmpty();

            ReloadResult before = policies().store().lastResult().orElseThrow();
            Files.delete(policyDir.resolve("products.yaml"));
            result = awaitReload(before);
            assertThat(result.outcome()).as(result.toString()).isEqualTo(ReloadResult.Outcome.APPLIED);
            assertSqlState(alice, "select * from products", "42P01");
        }
    }

    /**
     * Broken edits: file contents, the lines of shop.yaml the problem may be reported on, a word the
     * problem must contain. A YAML syntax error is found where the text stops being YAML, which for an
     * unclosed bracket is the next line.
     */
    static Stream<Arguments> brokenEdits()
    {
        return Stream.of(
                Arguments.of("YAML unclosed bracket", MASKED.replace("      email: {mask: email}", "      email: {mask: email"), List.of(5, 6), ""),
                Arguments.of("YAML stray bracket", MASKED.replace("      email: {mask: email}", "      email: {mask: email}}"), List.of(5), ""),
                Arguments.of("YAML bad indentation", MASKED.replace("    columns:", "   columns:"), List.of(4), ""),
                Arguments.of("unknown column in a mask", MASKED.replace("email: {mask: email}", "emial: {mask: email}"), List.of(5), "emial"),
                Arguments.of("mask that does not fit the column", MASKED.replace("email: {mask: email}", "email: {mask: {round: 100}}"), List.of(5), "round"),
                Arguments.of("unknown mask", MASKED.replace("email: {mask: email}", "email: {mask: emial}"), List.of(5), "emial"),
                Arguments.of("unknown column in a row filter", MASKED.replace("region = :user.region", "regio = :user.region"), List.of(7), "regio"),
                Arguments.of("row filter that does not compile", MASKED.replace("region = :user.region", "region = = :user.region"), List.of(7), ""),
                Arguments.of("bad placeholder", MASKED.replace(":user.region", ":region"), List.of(7), ":region"),
                Arguments.of("unknown table", MASKED.replace("shop.orders:", "shop.ordrs:"), List.of(8), "ordrs"),
                Arguments.of("unknown role", MASKED.replace("allow: [analyst, finance]\n    columns", "allow: [analyts, finance]\n    columns"), List.of(3), "analyts"),
                Arguments.of("unknown key", MASKED.replace("    columns:", "    colums:"), List.of(4), "colums"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenEdits")
    void brokenEditKeepsThePreviousPolicyAndNamesFileAndLine(String name, String broken, List<Integer> lines, String word)
            throws Exception
    {
        start(MASKED);
        try (Connection alice = TestingGateway.connect(gateway, "alice")) {
            assertThat(email(alice)).isEqualTo("****@example.jp");
            String live = policies().store().current().version();

            ReloadResult result = edit("shop.yaml", broken);
            assertThat(result.outcome()).as(result.toString()).isEqualTo(ReloadResult.Outcome.REJECTED);
            assertThat(result.version()).as("the live version stays").isEqualTo(live);
            List<String> locations = lines.stream().map(line -> policyDir.resolve("shop.yaml") + ":" + line + ":").toList();
            assertThat(result.problems()).as(result.toString())
                    .anySatisfy(problem -> assertThat(problem.toString()).contains(word).satisfies(text -> assertThat(locations).anyMatch(text::startsWith)));
            assertThat(log.list).as("the rejection is logged with file:line")
                    .anySatisfy(event -> assertThat(event.getFormattedMessage()).contains("rejected").satisfies(text -> assertThat(locations).anyMatch(text::contains)));

            // nothing changed for the open session, nor for a new one
            assertThat(policies().store().current().version()).isEqualTo(live);
            assertThat(email(alice)).isEqualTo("****@example.jp");
            assertThat(count(alice, "select count(*) from customers")).isEqualTo(jpCount);
            try (Connection fresh = TestingGateway.connect(gateway, "alice")) {
                assertThat(email(fresh)).isEqualTo("****@example.jp");
            }

            // a fixed file is picked up: the broken one never blocked the way
            result = edit("shop.yaml", UNMASKED);
            assertThat(result.outcome()).as(result.toString()).isEqualTo(ReloadResult.Outcome.APPLIED);
            assertThat(email(alice)).isEqualTo(jpEmail);
        }
    }

    @Test
    void brokenSecondFileKeepsThePreviousPolicy()
            throws Exception
    {
        start(MASKED);
        try (Connection alice = TestingGateway.connect(gateway, "alice")) {
            String live = policies().store().current().version();
            // the same table defined twice, in two files
            ReloadResult result = edit("more.yaml", """
                    tables:
                      shop.customers:
                        allow: [analyst]
                    """);
            assertThat(result.outcome()).as(result.toString()).isEqualTo(ReloadResult.Outcome.REJECTED);
            assertThat(result.problems().toString()).contains("more.yaml:2").contains("shop.yaml");
            assertThat(policies().store().current().version()).isEqualTo(live);
            assertThat(email(alice)).isEqualTo("****@example.jp");
        }
    }

    @Test
    void unwatchedFolderIsNotReloaded()
            throws Exception
    {
        write("roles.yaml", ROLES);
        write("shop.yaml", MASKED);
        gateway = testing.startGateway(policyDir, false);
        try (Connection alice = TestingGateway.connect(gateway, "alice")) {
            ReloadResult before = policies().store().lastResult().orElseThrow();
            write("shop.yaml", UNMASKED);
            assertThat(email(alice)).isEqualTo("****@example.jp");
            // an explicit reload applies it
            ReloadResult result = policies().reload();
            assertThat(result).isNotSameAs(before);
            assertThat(result.outcome()).isEqualTo(ReloadResult.Outcome.APPLIED);
            assertThat(email(alice)).isEqualTo(jpEmail);
        }
    }

    // ---- helpers

    private void start(String shopYaml)
            throws IOException
    {
        write("roles.yaml", ROLES);
        write("shop.yaml", shopYaml);
        gateway = testing.startGateway(policyDir, true);
        assertThat(policies().store().isLoaded()).isTrue();
    }

    private GatewayPolicies policies()
    {
        return gateway.policies().orElseThrow();
    }

    private void write(String file, String text)
            throws IOException
    {
        Files.writeString(policyDir.resolve(file), text, StandardCharsets.UTF_8);
    }

    /** Writes the file and waits for the watcher's reload (not a fixed sleep: polls the store's last result). */
    private ReloadResult edit(String file, String text)
            throws IOException, InterruptedException
    {
        ReloadResult before = policies().store().lastResult().orElseThrow();
        write(file, text);
        return awaitReload(before);
    }

    private ReloadResult awaitReload(ReloadResult before)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + RELOAD_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            ReloadResult last = policies().store().lastResult().orElseThrow();
            if (last != before && last.outcome() != ReloadResult.Outcome.UNCHANGED) {
                return last;
            }
            Thread.sleep(20);
        }
        return fail("the watcher did not reload within %s; last result: %s", RELOAD_TIMEOUT, policies().store().lastResult());
    }

    private static String email(Connection connection)
            throws SQLException
    {
        List<List<Object>> rows = rows(connection, "select email from customers where id = " + jpId);
        assertThat(rows).hasSize(1);
        return (String) rows.get(0).get(0);
    }

    private static Object count(Connection connection, String sql)
            throws SQLException
    {
        return normalize(rows(connection, sql).get(0).get(0));
    }

    private static String single(PreparedStatement statement, String id)
            throws SQLException
    {
        statement.setInt(1, Integer.parseInt(id));
        try (ResultSet resultSet = statement.executeQuery()) {
            List<List<Object>> rows = read(resultSet);
            assertThat(rows).hasSize(1);
            return (String) rows.get(0).get(0);
        }
    }

    private static Object count(PreparedStatement statement)
            throws SQLException
    {
        statement.setInt(1, 0);
        try (ResultSet resultSet = statement.executeQuery()) {
            return normalize(read(resultSet).get(0).get(0));
        }
    }

    private static String sqlState(PreparedStatement statement)
    {
        try {
            count(statement);
            return "(no error)";
        }
        catch (SQLException e) {
            return e.getSQLState();
        }
    }

    private static void assertSqlState(Connection connection, String sql, String sqlState)
            throws SQLException
    {
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            fail("%s should have failed with %s, but returned %s", sql, sqlState, read(resultSet));
        }
        catch (PSQLException e) {
            assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo(sqlState);
        }
    }
}
