package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The users file edited while the gateway runs (watched, as the policy folder is): a removed
 * user's open session is closed with 57P01 and a message saying why; a changed password applies to
 * the next login; a broken edit changes nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestUsersFileReload
{
    @Test
    void editsApplyWhileRunning(@TempDir Path directory)
            throws Exception
    {
        TestingGateway shared = TestingGateway.shared();
        Path users = directory.resolve("users.yaml");
        write(users, """
                users:
                  alice: {password: "%s", groups: [analysts], attributes: {region: JP}}
                  bob: {password: "%s", groups: [finance]}
                """.formatted(TestingGateway.passwordVerifier("alice-1"), TestingGateway.passwordVerifier("bob-1")));
        try (Gateway gateway = shared.startGateway(users, "", "{max_size: 4}");
                Connection bob = TestingGateway.connect(gateway, "bob", "bob-1");
                Connection alice = TestingGateway.connect(gateway, "alice", "alice-1")) {
            // not closed at the end: their close would send a password the gateway no longer takes (the gateway's close ends them)
            Connection bobOverAvatica = avatica(gateway, "bob", "bob-1");
            Connection aliceOverAvatica = avatica(gateway, "alice", "alice-1");
            assertThat(count(bob)).isEqualTo(100);
            assertThat(count(bobOverAvatica)).isEqualTo(100);
            assertThat(count(aliceOverAvatica)).isEqualTo(100);

            // bob leaves, alice's password changes
            write(users, """
                    users:
                      alice: {password: "%s", groups: [analysts], attributes: {region: JP}}
                    """.formatted(TestingGateway.passwordVerifier("alice-2")));
            SQLException closed = waitForClosed(bob);
            assertThat(closed.getSQLState()).isEqualTo("57P01");
            assertThat(closed.getMessage()).contains("terminating connection due to administrator command: user \"bob\" was removed from the users file");
            assertThatThrownBy(() -> TestingGateway.connect(gateway, "bob", "bob-1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
            // over Avatica every request carries the password: bob's next one is refused, and his session is gone
            assertThatThrownBy(() -> count(bobOverAvatica)).satisfies(e -> assertThat(sqlState(e)).isEqualTo("28P01"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (gateway.sessions().live().stream().anyMatch(session -> session.principal().name().equals("bob")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(gateway.sessions().live()).noneMatch(session -> session.principal().name().equals("bob"));
            // and alice's Avatica connection, which sends her old password, is refused until it sends the new one
            assertThatThrownBy(() -> count(aliceOverAvatica)).satisfies(e -> assertThat(sqlState(e)).isEqualTo("28P01"));
            try (Connection again = avatica(gateway, "alice", "alice-2")) {
                assertThat(count(again)).isEqualTo(100);
            }
            // alice's open session is hers still; her new password is the one that logs in now
            assertThat(count(alice)).isEqualTo(100);
            assertThatThrownBy(() -> TestingGateway.connect(gateway, "alice", "alice-1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
            try (Connection again = TestingGateway.connect(gateway, "alice", "alice-2")) {
                assertThat(count(again)).isEqualTo(100);
            }

            // a broken edit (a plain password) changes nothing: the last good file stays in force
            write(users, """
                    users:
                      alice: {password: "alice-3", groups: [analysts]}
                    """);
            Thread.sleep(2_000);
            assertThat(gateway.users().current().lookup("alice").orElseThrow().verifier().matches("alice-2".toCharArray())).isTrue();
            assertThat(count(alice)).isEqualTo(100);
            try (Connection again = TestingGateway.connect(gateway, "alice", "alice-2")) {
                assertThat(count(again)).isEqualTo(100);
            }
            // the reload's own answer names file, line and key
            assertThat(gateway.users().reload().problem().orElseThrow().getMessage()).startsWith(users + ":2: users.alice.password: ");
        }
    }

    /** The SQLSTATE of a failure: a SQLException, or the Avatica driver's unchecked one (a refused request outside a statement's execution). */
    private static String sqlState(Throwable failure)
    {
        if (failure instanceof SQLException e) {
            return e.getSQLState();
        }
        if (failure instanceof AvaticaClientRuntimeException e) {
            return e.getSqlState();
        }
        throw new AssertionError("not an error from the server", failure);
    }

    private static Connection avatica(Gateway gateway, String user, String password)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("avatica_user", user);
        properties.setProperty("avatica_password", password);
        return DriverManager.getConnection(TestingGateway.avaticaUrl(gateway), properties);
    }

    private static void write(Path file, String content)
            throws IOException
    {
        // as editors and config management do: a new file moved into place
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static long count(Connection connection)
            throws SQLException
    {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*) from shop.products")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Runs statements on the connection until one fails because the gateway closed it (within 20 s). */
    private static SQLException waitForClosed(Connection connection)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                count(connection);
            }
            catch (SQLException e) {
                return e;
            }
            Thread.sleep(200);
        }
        return fail("the session of the removed user is still open after 20 s");
    }
}
