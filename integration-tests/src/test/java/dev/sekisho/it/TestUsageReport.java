package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.cli.SekishoCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code sekisho report usage} over the audit file of a gateway that ran a known set of
 * statements: the per-team and per-table figures are exactly those statements.
 */
class TestUsageReport
{
    private static Path auditFile;

    @BeforeAll
    static void runKnownStatements()
            throws Exception
    {
        TestingGateway testing = TestingGateway.shared();
        Path dir = Files.createTempDirectory("sekisho-usage-it");
        Path policyDir = Files.createDirectories(dir.resolve("policies"));
        TestingGateway.copyResource("demo/policies/shop.yaml", policyDir.resolve("shop.yaml"));
        auditFile = dir.resolve("audit.jsonl");
        try (Gateway gateway = testing.startGatewayWith("audit: {file: " + TestingGateway.yamlString(auditFile) + "}", policyDir)) {
            run(gateway, "alice", "SELECT count(*) FROM shop.customers", 3);          // analysts
            try (Connection alice = TestingGateway.connect(gateway, "alice"); Statement statement = alice.createStatement()) {
                assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM shop.customers")).isInstanceOf(SQLException.class);
            }
            run(gateway, "carol", "SELECT count(*) FROM shop.orders", 2);             // groups analysts, interns: team analysts
            run(gateway, "bob", "SELECT count(*) FROM shop.orders", 2);               // finance
            run(gateway, "bob", "SELECT count(*) FROM shop.customers", 2);
        }
    }

    private static void run(Gateway gateway, String user, String sql, int times)
            throws SQLException
    {
        try (Connection connection = TestingGateway.connect(gateway, user); Statement statement = connection.createStatement()) {
            for (int i = 0; i < times; i++) {
                try (ResultSet rs = statement.executeQuery(sql)) {
                    rs.next();
                }
            }
        }
    }

    private static synchronized List<String> report(String... args)
    {
        PrintStream out = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertThat(SekishoCommand.execute(args)).isZero();
        }
        finally {
            System.setOut(out);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void perTeamFiguresAreTheStatementsRun()
    {
        List<String> csv = report("report", "usage", "--audit", auditFile.toString(), "--since", "30d", "--by", "team", "--format", "csv");
        assertThat(csv.get(0)).isEqualTo("team,statements,users,refused,failed,rows,time_s,bytes_billed,bytes_avoided,replica_share");
        assertThat(csv).hasSize(3);
        // analysts are alice (3 counts, 1 refused DELETE) and carol (2 counts); finance is bob (4 counts). The SET
        // application_name pgjdbc sends on each connection is session housekeeping and not counted. Every read went to
        // the replica 'embedded'. Bytes are unknown: empty cells.
        assertThat(csv.get(1)).startsWith("analysts,6,2,1,0,5,").endsWith(",,,1.00");
        assertThat(csv.get(2)).startsWith("finance,4,1,0,0,4,").endsWith(",,,1.00");
    }

    @Test
    void sessionStatementsCountOnlyWhenAskedFor()
    {
        List<String> csv = report("report", "usage", "--audit", auditFile.toString(), "--by", "team", "--format", "csv", "--include-session-statements");
        assertThat(csv).hasSize(3);
        // now with one SET per connection: alice 2, carol 1, bob 2 (SETs reach no source and do not count for the share)
        assertThat(csv.get(1)).startsWith("analysts,9,2,1,0,5,").endsWith(",,,1.00");
        assertThat(csv.get(2)).startsWith("finance,6,1,0,0,4,").endsWith(",,,1.00");

        List<String> table = report("report", "usage", "--audit", auditFile.toString());
        assertThat(table).contains("5 session statement(s) (SET, SHOW, BEGIN/COMMIT, DISCARD, ...) are not counted; --include-session-statements counts them.");
    }

    @Test
    void perTableAndPerUserFigures()
    {
        List<String> byTable = report("report", "usage", "--audit", auditFile.toString(), "--by", "table", "--format", "csv");
        assertThat(byTable).hasSize(4);
        assertThat(byTable.get(1)).startsWith("(no table),1,1,1,0,0,");   // the refused DELETE
        assertThat(byTable.get(2)).startsWith("shop.shop.customers,5,2,0,0,5,");
        assertThat(byTable.get(3)).startsWith("shop.shop.orders,4,2,0,0,4,");

        List<String> byUser = report("report", "usage", "--audit", auditFile.toString(), "--by", "user", "--format", "csv");
        assertThat(byUser).extracting(line -> line.substring(0, line.indexOf(',', line.indexOf(',') + 1)))
                .containsExactly("user,statements", "alice,4", "bob,4", "carol,2");
    }

    @Test
    void tableFormatNamesTheCostliestShapes()
    {
        List<String> table = report("report", "usage", "--audit", auditFile.toString(), "--since", "1d");
        assertThat(String.join("\n", table)).contains("by team", "analysts", "finance", "Costliest statement shapes",
                "select count ( * ) from shop . customers", "Tables not read in the period: none");
    }
}
