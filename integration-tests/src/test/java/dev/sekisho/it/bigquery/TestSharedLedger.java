package dev.sekisho.it.bigquery;

import com.google.zetasql.ZetaSQLType.TypeKind;
import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import dev.sekisho.it.TestingGateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.util.PSQLException;

import java.io.IOException;
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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateways sharing one ledger in a real PostgreSQL (zonky's embedded server), 16 clients spread
 * over both spending one team's daily allowance on the BigQuery fixture until they are refused:
 * what BigQuery billed (summed by the fixture) is what the ledger was charged, and the team ends no
 * further over its limit than the documented in-flight bound (docs/budgets.md): each statement in
 * flight at once can be billed at most BigQuery's 10 MB minimum more than the estimate it reserved.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TestSharedLedger
{
    private static final long BILLED = 10L * 1024 * 1024;
    private static final long ESTIMATE = 32_000;
    private static final long TEAM_PER_DAY = 100_000_000;
    private static final int CLIENTS = 16;

    @Test
    void sixteenClientsOnTwoGatewaysNeverTakeTheTeamPastTheInFlightBound()
            throws Exception
    {
        TestingBigQueryServer fixture = TestingBigQueryServer.isolated();
        fixture.table("shared", "clicks")
                .column("id", TestingBigQueryData.type(TypeKind.TYPE_INT64))
                .rows(IntStream.range(0, 4000).mapToObj(i -> List.<Object>of((long) i)).toList())
                .create();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String ledgerUrl = postgres.getJdbcUrl("postgres", "postgres");
            List<Gateway> gateways = new ArrayList<>();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                gateways.add(Gateway.start(SekishoConfigLoader.load(gatewayConfig(fixture, ledgerUrl))));
                gateways.add(Gateway.start(SekishoConfigLoader.load(gatewayConfig(fixture, ledgerUrl))));
                List<Future<Integer>> runs = new ArrayList<>();
                for (int client = 0; client < CLIENTS; client++) {
                    Gateway gateway = gateways.get(client % 2);
                    String user = client % 4 < 2 ? "alice" : "dave";
                    int number = client;
                    runs.add(clients.submit(() -> spendUntilRefused(gateway, user, number)));
                }
                int statements = 0;
                for (Future<Integer> run : runs) {
                    statements += run.get(150, TimeUnit.SECONDS);
                }

                long billed = fixture.billedBytes("shared.clicks");
                assertThat(billed).isEqualTo(statements * BILLED);
                // every byte billed is in the ledger, whichever gateway ran the statement
                try (Connection alice = TestingGateway.connect(gateways.get(0), "alice"); Statement statement = alice.createStatement()) {
                    assertThat(teamSpent(statement)).isEqualTo(billed);
                }
                // the allowance was used up, and overshot by no more than the statements in flight together could be billed over their reservations
                assertThat(billed).isGreaterThan(TEAM_PER_DAY - BILLED);
                assertThat(billed).isLessThanOrEqualTo(TEAM_PER_DAY + CLIENTS * (BILLED - ESTIMATE));
            }
            finally {
                clients.shutdownNow();
                gateways.forEach(Gateway::close);
            }
        }
        finally {
            fixture.close();
        }
    }

    /** Runs statements until the guard refuses one (53400) or BigQuery stops one at its maximumBytesBilled (54000); the statements that completed. */
    private static int spendUntilRefused(Gateway gateway, String user, int client)
            throws SQLException
    {
        int completed = 0;
        try (Connection connection = TestingGateway.connect(gateway, user); Statement statement = connection.createStatement()) {
            for (int i = 0; i < 100; i++) {
                try (ResultSet rows = statement.executeQuery("SELECT id FROM shared.clicks WHERE id >= " + (client * 100 + i))) {
                    while (rows.next()) {
                        // read every row: the statement completes
                    }
                    completed++;
                }
                catch (PSQLException e) {
                    if (e.getSQLState().equals("53400") || e.getSQLState().equals("54000")) {
                        return completed;
                    }
                    throw e;
                }
            }
        }
        throw new AssertionError(user + " was never refused");
    }

    private static long teamSpent(Statement statement)
            throws SQLException
    {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        try (ResultSet rows = statement.executeQuery("SHOW sekisho.budget")) {
            while (rows.next()) {
                if (rows.getString("account").equals("team:analysts") && rows.getString("period").equals(today)) {
                    assertThat(rows.getLong("reserved_bytes")).isZero();
                    return rows.getLong("spent_bytes");
                }
            }
        }
        throw new AssertionError("no ledger row for team:analysts today");
    }

    private static Path gatewayConfig(TestingBigQueryServer fixture, String ledgerUrl)
            throws IOException
    {
        Path workDir = Files.createTempDirectory("sekisho-shared-ledger-");
        Files.writeString(workDir.resolve("users.yaml"), """
                users:
                  alice: {password: "%s", groups: [analysts]}
                  dave: {password: "%s", groups: [analysts]}
                """.formatted(verifier("alice"), verifier("dave")), StandardCharsets.UTF_8);
        Path policies = Files.createDirectories(workDir.resolve("policies"));
        Files.writeString(policies.resolve("shared.yaml"), """
                roles:
                  analyst: {groups: [analysts]}
                tables:
                  shared.clicks: {allow: [analyst]}
                budgets:
                  teams:
                    analysts: {bytes_per_day: %d}
                """.formatted(TEAM_PER_DAY), StandardCharsets.UTF_8);
        Path config = workDir.resolve("sekisho.yaml");
        Files.writeString(config, """
                listen: {host: 127.0.0.1, port: 0}
                users_file: users.yaml
                search_path: [shared]
                policies:
                  dir: policies
                  watch: false
                  ledger: {url: "%s", user: postgres}
                sources:
                  warehouse:
                    type: bigquery
                    project: %s
                    endpoint: %s
                    credentials: none
                    datasets: [shared]
                """.formatted(ledgerUrl, TestingBigQueryServer.PROJECT, fixture.endpoint()), StandardCharsets.UTF_8);
        return config;
    }

    private static String verifier(String user)
    {
        return ScramVerifier.create((user + TestingGateway.PASSWORD_SUFFIX).toCharArray()).encoded();
    }
}
