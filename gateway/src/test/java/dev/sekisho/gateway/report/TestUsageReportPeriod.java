package dev.sekisho.gateway.report;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestUsageReportPeriod
{
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void onlyThePeriodCountsAndTablesReadOnlyBeforeItAreCleanupCandidates()
            throws IOException
    {
        Path file = Files.createTempDirectory("sekisho-report-test").resolve("audit.jsonl");
        Files.write(file, List.of(
                line("2026-10-01T00:00:00Z", "alice", "analysts", "shop.shop.legacy", 100L, null, "ok"),
                line("2026-12-01T00:00:00Z", "alice", "analysts", "shop.shop.customers", 1000L, null, "ok"),
                line("2026-12-02T00:00:00Z", "bob", "finance", "shop.shop.orders", null, 5000L, "refused"),
                "{\"type\":\"login\",\"time\":\"2026-12-02T00:00:00Z\",\"user\":\"bob\"}",
                "not json: a line cut by a crash"));
        UsageReport.Report report = UsageReport.of(AuditReader.read(file), NOW, Duration.ofDays(30), UsageReport.By.TEAM, 5);
        assertThat(report.rows()).containsExactly(
                new UsageReport.Row("analysts", 1, 1, 0, 0, 3, 10, 1000L, null, 0.0),
                new UsageReport.Row("finance", 1, 1, 1, 0, 3, 10, null, 5000L, 0.0));
        assertThat(report.unreadTables()).containsExactly("shop.shop.legacy");
        assertThat(report.unreadableLines()).isEqualTo(1);
        assertThat(report.topDigests()).extracting(UsageReport.Digest::bytesBilled).containsExactly(1000L, null);
    }

    @Test
    void replicaOffloadFollowsTheConfiguredRoleNotTheServersName()
            throws IOException
    {
        Path file = Files.createTempDirectory("sekisho-report-test").resolve("audit.jsonl");
        Files.write(file, List.of(
                routed("main", "primary"),               // the primary, whatever its name
                routed("primary", "replica"),            // a replica named "primary": still a replica
                routed("r2", "replica"),
                routed("r3", "replica"),
                routed("primary", null)));               // a line written before roles were recorded: left out of the share
        UsageReport.Report report = UsageReport.of(AuditReader.read(file), NOW, Duration.ofDays(1), UsageReport.By.TEAM, 5);
        assertThat(report.rows()).singleElement().satisfies(row -> {
            assertThat(row.statements()).isEqualTo(5);
            assertThat(row.replicaShare()).isEqualTo(0.75);
        });
    }

    private static String routed(String server, String role)
    {
        return ("{\"type\":\"statement\",\"time\":\"2026-12-05T11:00:00Z\",\"user\":\"alice\",\"team\":\"analysts\",\"kind\":\"query\","
                + "\"digest\":\"d1\",\"tables\":[\"shop.shop.customers\"],\"sources\":[{\"source\":\"shop\",\"server\":\"%s\"%s,\"sql\":\"x\"}],"
                + "\"duration_millis\":1,\"rows\":1,\"outcome\":\"ok\"}")
                .formatted(server, role == null ? "" : ",\"role\":\"" + role + "\"");
    }

    @Test
    void sessionHousekeepingIsLeftOutUnlessAskedFor()
            throws IOException
    {
        Path file = Files.createTempDirectory("sekisho-report-test").resolve("audit.jsonl");
        List<String> lines = new java.util.ArrayList<>();
        for (String kind : List.of("set", "show", "discard", "begin", "commit", "rollback", "reset", "deallocate", "empty")) {
            lines.add(("{\"type\":\"statement\",\"time\":\"2026-12-05T11:00:00Z\",\"user\":\"alice\",\"team\":\"analysts\",\"kind\":\"%s\","
                    + "\"digest\":\"%s\",\"tables\":[],\"sources\":[],\"duration_millis\":1,\"rows\":0,\"outcome\":\"ok\"}").formatted(kind, kind));
        }
        lines.add(routed("r2", "replica"));
        Files.write(file, lines);
        AuditReader.Contents contents = AuditReader.read(file);

        UsageReport.Report usage = UsageReport.of(contents, NOW, Duration.ofDays(1), UsageReport.By.TEAM, 20);
        assertThat(usage.rows()).singleElement().satisfies(row -> assertThat(row.statements()).isEqualTo(1));
        assertThat(usage.topDigests()).extracting(UsageReport.Digest::digest).containsExactly("d1");
        assertThat(usage.sessionStatementsLeftOut()).isEqualTo(9);

        UsageReport.Report everything = UsageReport.of(contents, NOW, Duration.ofDays(1), UsageReport.By.TEAM, 20, true);
        assertThat(everything.rows()).singleElement().satisfies(row -> assertThat(row.statements()).isEqualTo(10));
        assertThat(everything.sessionStatementsLeftOut()).isZero();
    }

    private static String line(String time, String user, String team, String table, Long actualBytes, Long estimatedBytes, String outcome)
    {
        return ("{\"type\":\"statement\",\"time\":\"%s\",\"user\":\"%s\",\"team\":\"%s\",\"digest\":\"%s\",\"normalized_sql\":\"select * from %s\","
                + "\"kind\":\"query\",\"tables\":[\"%s\"],\"sources\":[{\"source\":\"shop\",\"server\":\"db-main\",\"role\":\"primary\",\"sql\":\"x\"}],\"actual_bytes\":%s,"
                + "\"estimated_bytes\":%s,\"cache_hit\":null,\"duration_millis\":10,\"rows\":3,\"outcome\":\"%s\"}")
                .formatted(time, user, team, Integer.toHexString(table.hashCode()), table, table, actualBytes, estimatedBytes, outcome);
    }
}
