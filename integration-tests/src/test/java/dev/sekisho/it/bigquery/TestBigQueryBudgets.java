package dev.sekisho.it.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zetasql.ZetaSQLType.TypeKind;
import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import dev.sekisho.it.TestingGateway;
import dev.sekisho.it.bigquery.TestingBigQueryServer.RecordedJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.postgresql.util.PSQLException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cost guard in front of a BigQuery source, against the fixture that speaks BigQuery's REST
 * API to Google's own client: a statement over its per-statement limit is refused after the dry
 * run and before any job exists; a job runs with {@code maximumBytesBilled} set to what is left of
 * the person's allowance; the ledger is charged the job's {@code totalBytesBilled} (BigQuery's
 * 10 MB minimum, not the dry run's estimate); a person at their daily limit gets the
 * remaining-budget message, after a restart too (the embedded ledger file); a dry run that cannot tell what it reads (accuracy UNKNOWN, 0 bytes)
 * runs capped at the per-statement limit instead of passing as free. The audit trail carries the
 * estimate and the billed bytes, and the admin endpoint each team's use.
 *
 * <p>{@code spend.events} holds 4,000 rows of two INT64 columns: {@code SELECT id} reads 32,000
 * bytes, {@code SELECT *} 64,000; each job that reads it is billed 10,485,760 bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestBigQueryBudgets
{
    private static final long BILLED = 10L * 1024 * 1024;
    private static final long DAILY = 21_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestingBigQueryServer fixture;
    private Gateway gateway;
    private Path auditFile;
    private Path config;

    @BeforeAll
    void start()
            throws IOException
    {
        fixture = TestingBigQueryServer.isolated();
        TestingBigQueryServer.TableBuilder events = fixture.table("spend", "events")
                .column("id", TestingBigQueryData.type(TypeKind.TYPE_INT64))
                .column("amount", TestingBigQueryData.type(TypeKind.TYPE_INT64));
        events.rows(IntStream.range(0, 4000).mapToObj(i -> List.<Object>of((long) i, (long) i * 10)).toList()).create();
        fixture.table("spend", "guarded")
                .column("id", TestingBigQueryData.type(TypeKind.TYPE_INT64))
                .rows(IntStream.range(0, 4000).mapToObj(i -> List.<Object>of((long) i)).toList())
                .create();
        fixture.unknownEstimates("spend", "guarded");

        Path workDir = Files.createTempDirectory("sekisho-bigquery-budgets-");
        auditFile = workDir.resolve("audit.jsonl");
        Files.writeString(workDir.resolve("users.yaml"), """
                users:
                  alice: {password: "%s", groups: [analysts]}
                  dave: {password: "%s", groups: [analysts]}
                  admin: {password: "%s", groups: [admins]}
                """.formatted(verifier("alice"), verifier("dave"), verifier("admin")), StandardCharsets.UTF_8);
        Path policies = Files.createDirectories(workDir.resolve("policies"));
        Files.writeString(policies.resolve("spend.yaml"), """
                roles:
                  analyst: {groups: [analysts]}
                  admin: {groups: [admins]}
                tables:
                  spend.events: {allow: [analyst, admin]}
                  spend.guarded: {allow: [analyst, admin]}
                budgets:
                  statement:
                    - {for: [analyst], max_bytes: 40000}
                  people:
                    - {for: [analyst], bytes_per_day: %d}
                  teams:
                    analysts: {bytes_per_day: 1000000000}
                """.formatted(DAILY), StandardCharsets.UTF_8);
        config = workDir.resolve("sekisho.yaml");
        Files.writeString(config, """
                listen: {host: 127.0.0.1, port: 0}
                users_file: users.yaml
                search_path: [spend]
                policies: {dir: policies, watch: false}
                audit: {file: %s}
                admin: {host: 127.0.0.1, port: 0, groups: [admins]}
                sources:
                  warehouse:
                    type: bigquery
                    project: %s
                    endpoint: %s
                    credentials: none
                    datasets: [spend]
                    maximum_bytes_billed: 1000000000
                """.formatted(TestingGateway.yamlString(auditFile), TestingBigQueryServer.PROJECT, fixture.endpoint()), StandardCharsets.UTF_8);
        gateway = Gateway.start(SekishoConfigLoader.load(config));
    }

    @AfterAll
    void stop()
    {
        if (gateway != null) {
            gateway.close();
        }
        fixture.close();
    }

    @Test
    void aDayOfSpendingIsReservedCappedChargedAndRefusedBeforeAnyJobRuns()
            throws Exception
    {
        try (Connection alice = connect("alice"); Statement statement = alice.createStatement()) {
            // over the per-statement limit: refused after the dry run, no job is inserted
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM spend.events"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("53400");
                        assertThat(e.getServerErrorMessage().getMessage())
                                .startsWith("statement would read 64.0 KB (64,000 bytes) by its dry run, over the limit of 40.0 KB (40,000 bytes) per statement (max_bytes, ")
                                .contains("spend.yaml:");
                        assertThat(e.getServerErrorMessage().getHint()).contains("SELECT *");
                    });
            assertThat(dryRuns(job -> job.sql().contains("SELECT *"))).isNotEmpty();
            assertThat(jobs(job -> job.sql().contains("SELECT *"))).as("jobs of the refused statement").isEmpty();

            // within the limits: the job's hard stop is what is left of alice's day, and the ledger is charged what BigQuery billed
            assertThat(count(statement.executeQuery("SELECT id FROM spend.events"))).isEqualTo(4000);
            assertThat(lastJob("spend.events").maximumBytesBilled()).isEqualTo(DAILY);
            assertThat(budget(statement, "user:alice", today())).containsExactly(DAILY, BILLED, 0L, DAILY - BILLED);

            assertThat(count(statement.executeQuery("SELECT id FROM spend.events WHERE id >= 0"))).isEqualTo(4000);
            assertThat(lastJob("spend.events").maximumBytesBilled()).isEqualTo(DAILY - BILLED);
            assertThat(budget(statement, "user:alice", today())).containsExactly(DAILY, 2 * BILLED, 0L, DAILY - 2 * BILLED);
            assertThat(budget(statement, "team:analysts", today())).containsExactly(1_000_000_000L, 2 * BILLED, 0L, 1_000_000_000L - 2 * BILLED);

            // 28,480 bytes left, the statement would read 32,000: refused with what is left, and no job runs
            int jobsBefore = jobs(job -> job.sql().contains("spend.events")).size();
            assertThatThrownBy(() -> statement.executeQuery("SELECT id FROM spend.events WHERE id < 5000"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("53400");
                        assertThat(e.getServerErrorMessage().getMessage())
                                .startsWith("statement would read 32.0 KB (32,000 bytes) by its dry run, but user:alice has 28.5 KB (28,480 bytes) left today ("
                                        + today() + ")");
                        assertThat(e.getServerErrorMessage().getHint()).contains("SHOW sekisho.budget");
                    });
            assertThat(jobs(job -> job.sql().contains("spend.events"))).hasSize(jobsBefore);
        }

        // the audit trail has the estimate, the billed bytes; the admin endpoint each team's use of today and this month
        JsonNode run = awaitAudit(event -> event.path("sql").asText().equals("SELECT id FROM spend.events WHERE id >= 0"));
        assertThat(run.get("estimated_bytes").asLong()).isEqualTo(32_000);
        assertThat(run.get("actual_bytes").asLong()).isEqualTo(BILLED);
        JsonNode refused = awaitAudit(event -> event.path("sql").asText().equals("SELECT * FROM spend.events"));
        assertThat(refused.get("outcome").asText()).isEqualTo("refused");
        assertThat(refused.get("actual_bytes").isNull()).isTrue();

        JsonNode budgets = admin("/api/budgets");
        assertThat(budgets.get("configured").asBoolean()).isTrue();
        List<JsonNode> analysts = new ArrayList<>();
        budgets.get("allowances").forEach(allowance -> {
            if (allowance.get("team").asText().equals("analysts")) {
                analysts.add(allowance);
            }
        });
        assertThat(analysts).hasSize(1);
        assertThat(analysts.get(0).get("period").asText()).isEqualTo(today());
        assertThat(analysts.get(0).get("limit_bytes").asLong()).isEqualTo(1_000_000_000L);
        assertThat(analysts.get(0).get("spent_bytes").asLong()).isGreaterThanOrEqualTo(2 * BILLED);

        // a restart keeps the spend: the embedded ledger file next to the policy folder
        gateway.close();
        gateway = Gateway.start(SekishoConfigLoader.load(config));
        try (Connection alice = connect("alice"); Statement statement = alice.createStatement()) {
            assertThat(budget(statement, "user:alice", today())).containsExactly(DAILY, 2 * BILLED, 0L, DAILY - 2 * BILLED);
            assertThatThrownBy(() -> statement.executeQuery("SELECT id FROM spend.events WHERE id < 5000"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("53400"));
        }
    }

    @Test
    void aDryRunThatCannotTellWhatItReadsRunsCappedAtTheLimitNotAsFree()
            throws Exception
    {
        try (Connection dave = connect("dave"); Statement statement = dave.createStatement()) {
            // the dry run answers 0 bytes, UNKNOWN: the job may bill no more than the per-statement limit, and BigQuery stops it
            assertThatThrownBy(() -> statement.executeQuery("SELECT id FROM spend.guarded"))
                    .isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getServerErrorMessage().getMessage())
                            .contains("Query exceeded limit for bytes billed: 40000."));
            RecordedJob job = lastJob("spend.guarded");
            assertThat(job.maximumBytesBilled()).isEqualTo(40_000);
            // BigQuery billed nothing for the stopped job, and the reservation is given back
            assertThat(budget(statement, "user:dave", today())).containsExactly(DAILY, 0L, 0L, DAILY);
        }
        JsonNode event = awaitAudit(line -> line.path("sql").asText().equals("SELECT id FROM spend.guarded"));
        assertThat(event.get("estimated_bytes").asLong()).isZero();
        assertThat(event.get("actual_bytes").asLong()).isZero();
    }

    private Connection connect(String user)
            throws SQLException
    {
        return TestingGateway.connect(gateway, user);
    }

    private List<RecordedJob> jobs(java.util.function.Predicate<RecordedJob> filter)
    {
        return fixture.jobs().stream().filter(job -> !job.dryRun() && job.sql().contains("spend.")).filter(filter).toList();
    }

    private List<RecordedJob> dryRuns(java.util.function.Predicate<RecordedJob> filter)
    {
        return fixture.jobs().stream().filter(job -> job.dryRun() && job.sql().contains("spend.")).filter(filter).toList();
    }

    private RecordedJob lastJob(String table)
    {
        List<RecordedJob> jobs = jobs(job -> job.sql().contains(table));
        assertThat(jobs).isNotEmpty();
        return jobs.get(jobs.size() - 1);
    }

    /** {@code [limit, spent, reserved, left]} of one account and period from {@code SHOW sekisho.budget}. */
    private static List<Long> budget(Statement statement, String account, String period)
            throws SQLException
    {
        try (ResultSet rows = statement.executeQuery("SHOW sekisho.budget")) {
            while (rows.next()) {
                if (rows.getString("account").equals(account) && rows.getString("period").equals(period)) {
                    return List.of(rows.getLong("limit_bytes"), rows.getLong("spent_bytes"), rows.getLong("reserved_bytes"), rows.getLong("left_bytes"));
                }
            }
        }
        throw new AssertionError("SHOW sekisho.budget has no row for " + account + " " + period);
    }

    private static String today()
    {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    private static int count(ResultSet rows)
            throws SQLException
    {
        int count = 0;
        try (rows) {
            while (rows.next()) {
                count++;
            }
        }
        return count;
    }

    private JsonNode awaitAudit(java.util.function.Predicate<JsonNode> filter)
            throws IOException, InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (Files.exists(auditFile)) {
                for (String line : Files.readAllLines(auditFile, StandardCharsets.UTF_8)) {
                    JsonNode event = JSON.readTree(line);
                    if (event.path("type").asText().equals("statement") && filter.test(event)) {
                        return event;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such statement in the audit trail " + auditFile);
            }
            Thread.sleep(50);
        }
    }

    private JsonNode admin(String path)
            throws IOException, InterruptedException
    {
        int port = gateway.adminPort().orElseThrow();
        String credentials = Base64.getEncoder().encodeToString(("admin:admin" + TestingGateway.PASSWORD_SUFFIX).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + credentials).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String verifier(String user)
    {
        return ScramVerifier.create((user + TestingGateway.PASSWORD_SUFFIX).toCharArray()).encoded();
    }
}
