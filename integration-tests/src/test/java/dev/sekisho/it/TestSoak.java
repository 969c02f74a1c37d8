package dev.sekisho.it;

import dev.sekisho.it.soak.DemoShopSoak;
import dev.sekisho.it.soak.Soak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak's short version: 50 connections for 30 seconds with the realistic mix (point lookups,
 * scans, catalog queries, cancels, disconnects mid-stream, failed logins) against the demo shop;
 * no unexpected error, every session closed and every source connection back at the end, no file
 * descriptor kept. {@code bench/soak.sh} runs the long one (200 connections, 10 minutes) through
 * {@link DemoShopSoak} in a plain JVM, and writes its report.
 */
class TestSoak
{
    @Test
    void soak(@TempDir Path directory)
            throws Exception
    {
        Soak.Report report = DemoShopSoak.run(50, Duration.ofSeconds(30), directory);
        String markdown = report.toMarkdown();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "soak-report.md"), markdown);
        System.out.println(markdown);
        assertThat(report.errors()).as(markdown).isZero();
        assertThat(report.leakedSessions()).as(markdown).isZero();
        assertThat(report.leakedSourceConnections()).as(markdown).isZero();
        for (Soak.Action action : Soak.Action.values()) {
            assertThat(report.statements().get(action)).as("%s ran (%s)", action, markdown).isPositive();
        }
        if (report.fileDescriptorsBefore() >= 0) {
            // the clients' own sockets are closed too; a little slack for the JVM's own files
            assertThat(report.fileDescriptorsAfter()).as(markdown).isLessThanOrEqualTo(report.fileDescriptorsBefore() + 20);
        }
    }
}
