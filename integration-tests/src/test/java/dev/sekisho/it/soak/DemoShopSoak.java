package dev.sekisho.it.soak;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.it.TestingGateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The soak against the demo shop on the shared embedded MariaDB, with the settings both runs use:
 * {@code TestSoak} runs it briefly in verify, {@code bench/soak.sh} runs it for long in a plain
 * JVM through {@link #main} (outside Maven, so that a long run holds no build).
 */
public final class DemoShopSoak
{
    private DemoShopSoak() {}

    /** Runs the soak with {@code connections} clients for {@code duration}; files go to {@code directory}. */
    public static Soak.Report run(int connections, Duration duration, Path directory)
            throws IOException, InterruptedException
    {
        Duration sampleEvery = Duration.ofSeconds(Math.max(5, Math.min(60, duration.toSeconds() / 6)));
        Path users = directory.resolve("users.yaml");
        Files.writeString(users, "users:\n  soak: {password: \"%s\", groups: [analysts]}\n".formatted(TestingGateway.passwordVerifier("soak-pw")));
        // failed logins are part of the mix, all from 127.0.0.1: the lock-out would refuse everyone
        String settings = "auth: {failed_logins: {delay: 50ms, max_delay: 200ms, lockout_after: 0}}";
        // client, gateway and MariaDB share the machine's cores: under the soak's own load the replica's lag
        // check can take longer than the 3 s default, and the router then drains the only replica (fail closed,
        // 57P03 for everyone, as TestReplicaRouting checks); the soak measures the gateway's own handling
        String routing = "{check_timeout_ms: 15000}";
        try (Gateway gateway = TestingGateway.shared().startGateway(users, settings, "{max_size: 40, connection_timeout_ms: 30000, extra_connection_wait_ms: 5000}",
                routing)) {
            return new Soak(gateway, "shop", "soak", "soak-pw", connections, duration, sampleEvery).run();
        }
    }

    /** What the run's report shows going wrong; empty when the run passed. */
    public static List<String> failedChecks(Soak.Report report)
    {
        List<String> failed = new ArrayList<>();
        if (report.errors() != 0) {
            failed.add(report.errors() + " unexpected errors");
        }
        if (report.leakedSessions() != 0) {
            failed.add(report.leakedSessions() + " sessions still open");
        }
        if (report.leakedSourceConnections() != 0) {
            failed.add(report.leakedSourceConnections() + " source connections still lent");
        }
        for (Soak.Action action : Soak.Action.values()) {
            if (report.statements().get(action) <= 0) {
                failed.add(action + " never completed");
            }
        }
        // the clients' own sockets are closed too; a little slack for the JVM's own files
        if (report.fileDescriptorsBefore() >= 0 && report.fileDescriptorsAfter() > report.fileDescriptorsBefore() + 20) {
            failed.add("file descriptors grew from " + report.fileDescriptorsBefore() + " to " + report.fileDescriptorsAfter());
        }
        return failed;
    }

    /** {@code DemoShopSoak CONNECTIONS SECONDS}: prints the report, writes it to target/soak-report.md, exits 1 when a check failed. */
    public static void main(String[] args)
            throws Exception
    {
        if (args.length != 2) {
            System.err.println("usage: DemoShopSoak CONNECTIONS SECONDS");
            System.exit(2);
        }
        Path directory = Files.createTempDirectory("sekisho-soak-");
        Soak.Report report = run(Integer.parseInt(args[0]), Duration.ofSeconds(Long.parseLong(args[1])), directory);
        String markdown = report.toMarkdown();
        List<String> failed = failedChecks(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "soak-report.md"), markdown + (failed.isEmpty() ? "\nAll checks passed.\n" : "\nFailed: " + failed + "\n"));
        System.out.println(markdown);
        System.out.println(failed.isEmpty() ? "All checks passed." : "Failed: " + failed);
        System.exit(failed.isEmpty() ? 0 : 1);
    }
}
