package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
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
 * the same test with {@code -Dsoak.connections} and {@code -Dsoak.seconds}, and writes its report.
 */
class TestSoak
{
    @Test
    void soak(@TempDir Path directory)
            throws Exception
    {
        int connections = Integer.getInteger("soak.connections", 50);
        int seconds = Integer.getInteger("soak.seconds", 30);
        Duration sampleEvery = Duration.ofSeconds(Math.max(5, Math.min(60, seconds / 6)));
        Path users = directory.resolve("users.yaml");
        Files.writeString(users, "users:\n  soak: {password: \"%s\", groups: [analysts]}\n".formatted(TestingGateway.passwordVerifier("soak-pw")));
        // failed logins are part of the mix, all from 127.0.0.1: the lock-out would refuse everyone
        String settings = "auth: {failed_logins: {delay: 50ms, max_delay: 200ms, lockout_after: 0}}";
        try (Gateway gateway = TestingGateway.shared().startGateway(users, settings, "{max_size: 40, connection_timeout_ms: 30000, extra_connection_wait_ms: 5000}")) {
            Soak.Report report = new Soak(gateway, "shop", "soak", "soak-pw", connections, Duration.ofSeconds(seconds), sampleEvery).run();
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
}
