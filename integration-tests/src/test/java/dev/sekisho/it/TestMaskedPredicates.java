package dev.sekisho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.sekisho.it.QueryAssertions.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Predicates, sorts and groups on masked columns now that MariaDB receives one SELECT instead of
 * the policy's derived table (the mask's expression substituted for the column): each answer
 * through {@link TestingGateway#policyGateway()} equals the same question asked of MariaDB
 * directly against the database holding exactly what the user may see ({@code
 * policies/expected.sql}), and MariaDB's general log shows that the statement it received had no
 * derived table. {@code email} is masked (email mask) and filtered by region for alice and carol,
 * masked for bob; {@code orders.note} is nullified for alice, carol and dave; admin sees both raw.
 */
class TestMaskedPredicates
{
    private static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "admin");

    private static TestingGateway testing;
    private static final Map<String, Connection> gateway = new HashMap<>();
    private static final Map<String, Connection> expected = new HashMap<>();
    private static Connection raw;

    @BeforeAll
    static void setUp()
            throws SQLException
    {
        testing = TestingGateway.shared();
        testing.mariaDb().runScript("policies/expected.sql");
        raw = testing.connectDirect("shop");
        for (String user : USERS) {
            gateway.put(user, testing.connectWithPolicies(user));
            expected.put(user, testing.connectDirect("policy_expected_" + user));
        }
    }

    @AfterAll
    static void tearDown()
            throws SQLException
    {
        for (Connection connection : gateway.values()) {
            connection.close();
        }
        for (Connection connection : expected.values()) {
            connection.close();
        }
        raw.close();
    }

    @Test
    void predicatesOnAMaskedEmailSeeTheMask()
            throws SQLException
    {
        String email = single("select email from customers where region = 'JP' and email is not null order by id limit 1");
        sameAnswers("select id from customers where email is not null order by id", null);
        sameAnswers("select id from customers where email = '" + email + "' order by id", null);
        sameAnswers("select id from customers where email like '****@%' order by id", "select id from customers where email like binary '****@%' order by id");
        sameAnswers("select id, email from customers where lower(email) like '%a%' order by id", null);
        sameAnswers("select id, email from customers where email is not null order by email, id",
                "select id, email from customers where email is not null order by cast(email as binary), id");
        sameUnordered("select email, count(*) from customers group by email");
        sameUnordered("select substring(email, 1, 6), count(*) from customers where email <> 'x' group by substring(email, 1, 6)");
        // a masked user finds no row by its real email, however it is written
        for (String user : List.of("alice", "bob", "carol")) {
            assertThat(rows(gateway.get(user), "select id from customers where email = '" + email + "' or lower(email) = lower('" + email + "')"))
                    .as(user).isEmpty();
        }
        assertThat(rows(gateway.get("admin"), "select id from customers where email = '" + email + "'")).hasSize(1);
    }

    @Test
    void predicatesOnANullifiedNoteSeeNull()
            throws SQLException
    {
        String note = single("select note from orders where note is not null and status <> 'cancelled' order by id limit 1");
        sameAnswers("select count(*) from orders where note is not null", null);
        sameAnswers("select id from orders where note = '" + note.replace("'", "''") + "' order by id", null);
        sameAnswers("select id from orders where lower(note) like '%a%' order by id", null);
        sameAnswers("select id, note from orders where amount > 1000 order by note, id",
                "select id, note from orders where amount > 1000 order by note is null, cast(note as binary), id");
        sameUnordered("select note, count(*) from orders group by note");
        for (String user : List.of("alice", "carol", "dave")) {
            assertThat(rows(gateway.get(user), "select count(*) from orders where note is not null or note = '" + note.replace("'", "''") + "'"))
                    .as(user).containsExactly(List.of(java.math.BigDecimal.ZERO));
        }
    }

    @Test
    void pointLookupsSeeOnlyTheirRegionMasked()
            throws SQLException
    {
        String jpId = single("select min(id) from customers where region = 'JP' and email is not null");
        String usId = single("select min(id) from customers where region = 'US' and email is not null");
        for (String user : USERS) {
            // more executions than pgjdbc's prepareThreshold (5): the named server-side statement too
            for (int run = 0; run < 7; run++) {
                for (String id : List.of(jpId, usId)) {
                    assertThat(rows(gateway.get(user), "select id, name, email, phone, region from customers where id = ?", Integer.parseInt(id)))
                            .as(user + ", customer " + id + ", run " + run)
                            .containsExactlyElementsOf(rows(expected.get(user), "select id, name, email, phone, region from customers where id = " + id));
                }
            }
        }
    }

    @Test
    void mariaDbReceivesOneSelect()
            throws SQLException
    {
        for (String sql : List.of(
                "select id, name, email, phone, region from customers where id = 7",
                "select id from customers where lower(email) like '%a%' and id > 7",
                "select count(*) from orders where note is not null and id > 7")) {
            List<String> received = received(gateway.get("alice"), sql);
            assertThat(received).as(sql).hasSize(1);
            assertThat(received.get(0)).as(sql).doesNotContain("FROM (SELECT").contains("WHERE ");
        }
    }

    /** The statements on shop that MariaDB received while the gateway ran {@code sql}, from its general log. */
    private static List<String> received(Connection connection, String sql)
            throws SQLException
    {
        List<String> statements = new ArrayList<>();
        try (Statement log = raw.createStatement()) {
            log.execute("SET GLOBAL log_output = 'TABLE'");
            log.execute("TRUNCATE TABLE mysql.general_log");
            log.execute("SET GLOBAL general_log = 1");
            try {
                rows(connection, sql);
            }
            finally {
                log.execute("SET GLOBAL general_log = 0");
            }
            try (ResultSet resultSet = log.executeQuery("SELECT argument FROM mysql.general_log WHERE command_type IN ('Query', 'Execute')"
                    + " AND argument LIKE '%`shop`.%' AND argument NOT LIKE '%general_log%'")) {
                while (resultSet.next()) {
                    statements.add(resultSet.getString(1));
                }
            }
            log.execute("TRUNCATE TABLE mysql.general_log");
        }
        return statements;
    }

    /** Every user gets through the gateway what MariaDB answers directly on what that user may see, in order. */
    private static void sameAnswers(String sql, String mariaDbSql)
            throws SQLException
    {
        int nonEmpty = 0;
        for (String user : USERS) {
            List<List<Object>> reference = rows(expected.get(user), mariaDbSql == null ? sql : mariaDbSql);
            assertThat(rows(gateway.get(user), sql)).as(user + ": " + sql).containsExactlyElementsOf(reference);
            nonEmpty += reference.isEmpty() ? 0 : 1;
        }
        assertThat(nonEmpty).as("some user must get rows, or the comparison means nothing: " + sql).isPositive();
    }

    private static void sameUnordered(String sql)
            throws SQLException
    {
        for (String user : USERS) {
            assertThat(sorted(rows(gateway.get(user), sql))).as(user + ": " + sql).containsExactlyElementsOf(sorted(rows(expected.get(user), sql)));
        }
    }

    private static List<List<Object>> sorted(List<List<Object>> rows)
    {
        List<List<Object>> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing(Object::toString));
        return copy;
    }

    private static String single(String sql)
            throws SQLException
    {
        try (PreparedStatement statement = raw.prepareStatement(sql); ResultSet resultSet = statement.executeQuery()) {
            assertThat(resultSet.next()).as(sql).isTrue();
            return resultSet.getString(1);
        }
    }
}
