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

    private static String line(String time, String user, String team, String table, Long actualBytes, Long estimatedBytes, String outcome)
    {
        return ("{\"type\":\"statement\",\"time\":\"%s\",\"user\":\"%s\",\"team\":\"%s\",\"digest\":\"%s\",\"normalized_sql\":\"select * from %s\","
                + "\"tables\":[\"%s\"],\"sources\":[{\"source\":\"shop\",\"server\":\"primary\",\"sql\":\"x\"}],\"actual_bytes\":%s,"
                + "\"estimated_bytes\":%s,\"cache_hit\":null,\"duration_millis\":10,\"rows\":3,\"outcome\":\"%s\"}")
                .formatted(time, user, team, Integer.toHexString(table.hashCode()), table, table, actualBytes, estimatedBytes, outcome);
    }
}
