package dev.sekisho.it.tools;

import dev.sekisho.gateway.cli.ExitCode;
import dev.sekisho.gateway.cli.SekishoCommand;
import dev.sekisho.it.TestingGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sekisho check-config} against a real MariaDB: exit 0 when the file is valid and every
 * server answers, 3 with one line per server that does not (host:port and the driver's reason),
 * 2 when the file is wrong, here a policy that names a column the table does not have.
 */
class TestCheckConfig
{
    private static final String READER = "user: sekisho_reader, password: sekisho-demo";

    @Test
    void validAndAnsweringExitsWithZero(@TempDir Path dir)
            throws IOException
    {
        Path config = config(dir, "- {name: live, host: 127.0.0.1, port: %d, %s}".formatted(mariaDbPort(), READER), "");
        Result result = run("check-config", config.toString());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.OK);
        assertThat(result.out()).startsWith(config + ": OK (1 source(s), 1 server(s) answer, users file ");
    }

    @Test
    void onlyTheServersThatDoNotAnswerAreListedWithTheDriversReason(@TempDir Path dir)
            throws IOException
    {
        int closed = closedPort();
        Path config = config(dir, """
                - {name: live, host: 127.0.0.1, port: %1$d, %2$s}
                      - {name: stopped, host: 127.0.0.1, port: %3$d, %2$s}
                      - {name: wrong-password, host: 127.0.0.1, port: %1$d, user: sekisho_reader, password: not-the-password}""".formatted(mariaDbPort(), READER, closed), "");
        Result result = run("check-config", config.toString());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.UNREACHABLE);
        List<String> lines = result.err().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo(config + ": valid, but 2 of 3 server(s) do not answer:");
        assertThat(lines.get(1)).isEqualTo("  source shop, replica stopped (127.0.0.1:" + closed + "): Communications link failure: Connection refused");
        assertThat(lines.get(2)).startsWith("  source shop, replica wrong-password (127.0.0.1:" + mariaDbPort() + "): Access denied for user 'sekisho_reader'");
        assertThat(lines.get(3)).startsWith("Start them or correct their address in " + config);
        assertThat(result.err()).doesNotContain("not-the-password").doesNotContain("\tat ");
    }

    @Test
    void aPolicyThatDoesNotFitTheTablesExitsWithTwo(@TempDir Path dir)
            throws IOException
    {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("shop.yaml"), """
                tables:
                  shop.customers:
                    columns:
                      emial: {mask: email}
                """, StandardCharsets.UTF_8);
        Path config = config(dir, "- {name: live, host: 127.0.0.1, port: %d, %s}".formatted(mariaDbPort(), READER), "policies: {dir: policies, watch: false}");
        Result result = run("check-config", config.toString());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.INVALID);
        assertThat(result.err()).contains(policies.resolve("shop.yaml") + ":4: ").contains("emial");
        assertThat(result.err().lines().toList()).last().isEqualTo("Correct it and run ./sekisho check-config " + config + " again.");
    }

    private static int mariaDbPort()
    {
        return TestingGateway.shared().mariaDb().port();
    }

    private static Path config(Path dir, String replicas, String policies)
            throws IOException
    {
        Files.writeString(dir.resolve("users.yaml"), "users: {}\n", StandardCharsets.UTF_8);
        Path config = dir.resolve("sekisho.yaml");
        Files.writeString(config, """
                listen: {host: 127.0.0.1, port: 0}
                users_file: users.yaml
                search_path: [shop]
                %s
                sources:
                  shop:
                    type: mysql
                    replicas:
                      %s
                    databases: [shop]
                    pool: {connection_timeout_ms: 2000}
                """.formatted(policies, replicas), StandardCharsets.UTF_8);
        return config;
    }

    private static int closedPort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private record Result(int exitCode, String out, String err) {}

    private static synchronized Result run(String... args)
    {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int exitCode = SekishoCommand.execute(args);
            return new Result(exitCode, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        }
        finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
