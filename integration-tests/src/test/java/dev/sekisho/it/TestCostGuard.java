package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.postgresql.util.PSQLException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cost guard against the real MariaDB: a full scan over the row limit is refused by its
 * {@code EXPLAIN} before anything runs, with a hint from the table's indexes, while an indexed
 * lookup passes; the end user named by Redash's annotation or {@code SET sekisho.end_user} from
 * the trusted shared account gets that user's masks and budget, the same text from another account
 * changes nothing, an unknown end user is refused, and the annotation's changing Job ID does not
 * defeat the plan cache.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestCostGuard
{
    private Gateway gateway;

    @BeforeAll
    void start()
            throws IOException
    {
        Path policies = Files.createTempDirectory("sekisho-guard-policies-");
        try (InputStream policy = getClass().getClassLoader().getResourceAsStream("policies/guard/guard.yaml")) {
            Files.copy(policy, policies.resolve("guard.yaml"));
        }
        gateway = TestingGateway.shared().startGateway(policies, false);
    }

    @AfterAll
    void stop()
    {
        gateway.close();
    }

    @Test
    void aFullScanOverTheLimitIsRefusedWithAHintAndAnIndexedLookupPasses()
            throws SQLException
    {
        try (Connection alice = TestingGateway.connect(gateway, "alice"); Statement statement = alice.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM orders"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("53400");
                        assertThat(e.getServerErrorMessage().getMessage())
                                .startsWith("statement would read all of shop.orders (about ")
                                .contains("rows by EXPLAIN on source shop), over the limit of 5,000 rows for reading a table whole (max_full_scan_rows, ")
                                .contains("guard.yaml:");
                        assertThat(e.getServerErrorMessage().getHint())
                                .startsWith("filter on an indexed column of shop.orders: `id` (primary key)")
                                .contains("`customer_id` (index")
                                .contains("select only the columns you need: SELECT * reads all");
                    });
            // the session goes on, and a lookup by the primary key examines one row
            assertThat(rows(statement.executeQuery("SELECT * FROM orders WHERE id = 42"))).isEqualTo(1);
            assertThat(rows(statement.executeQuery("SELECT id FROM orders WHERE customer_id = 7"))).isPositive();
        }
        // finance has no limit
        try (Connection bob = TestingGateway.connect(gateway, "bob"); Statement statement = bob.createStatement()) {
            assertThat(rows(statement.executeQuery("SELECT * FROM orders"))).isEqualTo(10_000);
        }
    }

    @Test
    void redashsAnnotationFromTheTrustedAccountAppliesTheEndUsersMasksAndBudget()
            throws SQLException
    {
        try (Connection redash = TestingGateway.connect(gateway, "mallory"); Statement statement = redash.createStatement()) {
            // the account itself: masked, no row limit
            assertThat(firstEmail(statement, "")).contains("*");
            assertThat(rows(statement.executeQuery("SELECT * FROM orders"))).isEqualTo(10_000);
            // for bob (finance): unmasked
            assertThat(firstEmail(statement, annotation("bob", "9f1c-01", "False"))).doesNotContain("*").contains("@");
            // for alice (analyst): her budget
            assertThatThrownBy(() -> statement.executeQuery(annotation("alice", "9f1c-02", "False") + "SELECT * FROM orders"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("53400"));
            // someone the users file does not know: refused (unknown_end_user: deny)
            assertThatThrownBy(() -> statement.executeQuery(annotation("nobody@x.com", "9f1c-03", "False") + "SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"))
                    .hasMessageContaining("end user \"nobody@x.com\" named by account \"mallory\" is not in the users file");
        }
        try (Connection dave = TestingGateway.connect(gateway, "dave"); Statement statement = dave.createStatement()) {
            // from an account that is not trusted, the same comment changes nothing
            assertThat(firstEmail(statement, annotation("bob", "9f1c-04", "False"))).contains("*");
        }
    }

    @Test
    void tableausInitialSqlFromTheTrustedAccountNamesTheEndUser()
            throws SQLException
    {
        try (Connection tableau = TestingGateway.connect(gateway, "mallory"); Statement statement = tableau.createStatement()) {
            statement.execute("SET sekisho.end_user = 'bob'");
            assertThat(firstEmail(statement, "")).doesNotContain("*").contains("@");
            statement.execute("SET sekisho.end_user = 'alice'");
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM orders"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("53400"));
        }
        try (Connection dave = TestingGateway.connect(gateway, "dave"); Statement statement = dave.createStatement()) {
            statement.execute("SET sekisho.end_user = 'bob'");
            assertThat(firstEmail(statement, "")).contains("*");
        }
    }

    @Test
    void showBudgetTellsTheEndUserWhatIsLeft()
            throws SQLException
    {
        try (Connection tableau = TestingGateway.connect(gateway, "mallory"); Statement statement = tableau.createStatement()) {
            statement.execute("SET sekisho.end_user = 'alice'");
            try (ResultSet rows = statement.executeQuery("SHOW sekisho.budget")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("account")).isEqualTo("user:alice");
                assertThat(rows.getString("period")).isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
                assertThat(rows.getLong("limit_bytes")).isEqualTo(1_000_000_000L);
                assertThat(rows.getLong("left_bytes")).isEqualTo(1_000_000_000L);
                assertThat(rows.next()).isFalse();
            }
        }
        try (Connection bob = TestingGateway.connect(gateway, "bob"); Statement statement = bob.createStatement();
                ResultSet rows = statement.executeQuery("SHOW sekisho.budget")) {
            // no allowance applies to finance
            assertThat(rows.next()).isFalse();
        }
    }

    @Test
    void theChangingJobIdDoesNotDefeatThePlanCache()
            throws SQLException
    {
        try (Connection redash = TestingGateway.connect(gateway, "mallory"); Statement statement = redash.createStatement()) {
            String query = "SELECT count(*) FROM customers WHERE region = 'JP'";
            rows(statement.executeQuery(annotation("bob", "a1", "False") + query));
            long planned = gateway.plannedStatements();
            for (int run = 0; run < 5; run++) {
                rows(statement.executeQuery(annotation("bob", "job-" + run + "-" + System.nanoTime(), run % 2 == 0 ? "True" : "False") + query));
            }
            assertThat(gateway.plannedStatements()).isEqualTo(planned);
        }
    }

    private static String annotation(String user, String jobId, String scheduled)
    {
        return "/* Username: %s, query_id: adhoc, Queue: queries, Job ID: %s, Query Hash: 5d41402abc4b2a76b9719d911017c592, Scheduled: %s */ "
                .formatted(user, jobId, scheduled);
    }

    private static String firstEmail(Statement statement, String annotation)
            throws SQLException
    {
        try (ResultSet rows = statement.executeQuery(annotation + "SELECT email FROM customers WHERE email IS NOT NULL ORDER BY id LIMIT 1")) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    private static int rows(ResultSet rows)
            throws SQLException
    {
        try (rows) {
            int count = 0;
            while (rows.next()) {
                count++;
            }
            return count;
        }
    }
}
