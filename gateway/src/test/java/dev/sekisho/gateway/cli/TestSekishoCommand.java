package dev.sekisho.gateway.cli;

import dev.sekisho.gateway.auth.ScramVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every failure a user can cause on the command line reads as what happened and what to do, in
 * one or two lines, with a non-zero exit code and no stack trace unless {@code --verbose}.
 */
class TestSekishoCommand
{
    @Test
    void unknownCommandNamesTheClosestOneAndTheHelp()
    {
        Result result = run("demi");
        assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(result.errLines()).containsExactly(
                "sekisho: unknown command 'demi' (did you mean 'demo'?)",
                "Run ./sekisho --help to list the commands.");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void noCommandAndUnknownOptionsSayWhatToDo()
    {
        Result none = run();
        assertThat(none.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(none.errLines()).containsExactly(
                "sekisho: name a command: demo, serve, check-config, hash-password or policy",
                "Run ./sekisho --help for the commands.");

        Result option = run("demo", "--prot", "1");
        assertThat(option.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(option.errLines()).containsExactly("sekisho demo: unknown option '--prot'", "Run ./sekisho demo --help for its options.");

        Result value = run("demo", "--port", "fifteen");
        assertThat(value.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(value.errLines()).containsExactly(
                "sekisho demo: invalid value for option '--port': 'fifteen' is not an int",
                "Run ./sekisho demo --help for its options.");
    }

    @Test
    void missingFilesAndFoldersAreNamedWithWhatToGive(@TempDir Path dir)
    {
        Path missing = dir.resolve("sekisho.yaml");
        Result serve = run("serve", "--config", missing.toString());
        assertThat(serve.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(serve.errLines()).containsExactly(
                "sekisho: configuration file " + missing + " not found",
                "Give the path of sekisho.yaml: ./sekisho serve --config FILE (examples/sekisho.yaml is a commented example).");

        Result check = run("check-config", dir.toString());
        assertThat(check.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(check.errLines()).containsExactly(
                "sekisho: configuration file " + dir + " is a folder, not a file",
                "Give the path of sekisho.yaml: ./sekisho check-config FILE (examples/sekisho.yaml is a commented example).");

        Path noPolicies = dir.resolve("policies");
        Result demo = run("demo", "--port", "0", "--policies", noPolicies.toString());
        assertThat(demo.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(demo.errLines()).containsExactly(
                "sekisho: policy folder " + noPolicies + " not found",
                "Give a folder of policy files, for example --policies examples/policies.");

        Result policyCheck = run("policy", "check", noPolicies.toString());
        assertThat(policyCheck.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(policyCheck.errLines()).containsExactly(
                "sekisho: policy folder " + noPolicies + " not found",
                "Give the folder of policy files, for example examples/policies.");
    }

    @Test
    void invalidConfigurationExitsWithTwoNamingFileAndLine(@TempDir Path dir)
            throws IOException
    {
        Path config = dir.resolve("sekisho.yaml");
        Files.writeString(config, """
                users_file: users.yaml
                listen: {prot: 5432}
                sources:
                  shop: {type: mysql, replicas: [{host: 127.0.0.1, user: reader}]}
                """, StandardCharsets.UTF_8);
        Result result = run("check-config", config.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(result.errLines()).hasSize(2);
        assertThat(result.errLines().get(0)).startsWith("sekisho: " + config + ":2: listen.prot: ");
        assertThat(result.errLines().get(1)).isEqualTo("Correct it and run ./sekisho check-config " + config + " again.");
    }

    @Test
    void unreachableSourcesExitWithThreeOneLinePerServer(@TempDir Path dir)
            throws IOException
    {
        int closedPort = closedPort();
        Path config = validConfig(dir, closedPort, "");
        Result result = run("check-config", config.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(result.errLines()).hasSize(4);
        assertThat(result.errLines().get(0)).isEqualTo(config + ": valid, but 2 of 2 server(s) do not answer:");
        assertThat(result.errLines().get(1)).startsWith("  source shop, replica r1 (127.0.0.1:" + closedPort + "): Communications link failure")
                .endsWith("Connection refused");
        assertThat(result.errLines().get(2)).startsWith("  source shop, replica nosuchhost.invalid:3306: ").contains("unknown host nosuchhost.invalid");
        assertThat(result.errLines().get(3)).isEqualTo("Start them or correct their address in " + config + ", then run ./sekisho check-config " + config + " again.");
        assertThat(result.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(result.out()).isEmpty();

        Result verbose = run("check-config", "--verbose", config.toString());
        assertThat(verbose.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(verbose.err()).contains("\tat com.mysql.");
    }

    @Test
    void brokenPoliciesMakeAnUnreachableConfigurationInvalid(@TempDir Path dir)
            throws IOException
    {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("shop.yaml"), "tables:\n  shop.customers:\n    colums: {}\n", StandardCharsets.UTF_8);
        Path config = validConfig(dir, closedPort(), "policies: {dir: policies}\n");
        Result result = run("check-config", config.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(result.errLines().get(0)).isEqualTo(config + ": invalid, but 2 of 2 server(s) do not answer:");
        assertThat(result.err()).contains(policies.resolve("shop.yaml") + ":3: tables.shop.customers.colums: unknown key 'colums'; did you mean 'columns'?");
        assertThat(result.errLines().get(result.errLines().size() - 1)).isEqualTo("Correct it and run ./sekisho check-config " + config + " again.");
    }

    @Test
    void aBrokenPolicyFolderStopsTheDemoWithFileAndLine(@TempDir Path dir)
            throws IOException
    {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("shop.yaml"), "tables:\n  shop.customers:\n    columns:\n      email: {mask: emial}\n", StandardCharsets.UTF_8);
        Result result = run("demo", "--port", "0", "--policies", policies.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(result.errLines()).containsExactly(
                "sekisho: the policy files in " + policies.toAbsolutePath().normalize() + " have problems:",
                "  " + policies.resolve("shop.yaml").toAbsolutePath().normalize()
                        + ":4: tables.shop.customers.columns.email.mask: unknown mask 'emial'; did you mean 'email'? "
                        + "(masks: redact, partial, email, hash, nullify, year, round, phone, sql)",
                "Correct them and start the demo again, or give another folder with --policies DIR.");
    }

    @Test
    void portInUseSaysHowToPickAnother(@TempDir Path dir)
            throws IOException
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Result demo = run("demo", "--port", Integer.toString(port));
            assertThat(demo.exitCode()).isEqualTo(ExitCode.FAILED);
            assertThat(demo.errLines()).containsExactly(
                    "sekisho: port " + port + " on 127.0.0.1 is in use",
                    "Stop the other program, or run ./sekisho demo --port 0 to take any free port.");
            assertThat(demo.out()).isEmpty();

            Path config = dir.resolve("sekisho.yaml");
            Files.writeString(config, """
                    listen: {host: 127.0.0.1, port: %d}
                    users_file: users.yaml
                    sources:
                      shop: {type: mysql, replicas: [{host: 127.0.0.1, user: reader}]}
                    """.formatted(port), StandardCharsets.UTF_8);
            Result serve = run("serve", "--config", config.toString());
            assertThat(serve.exitCode()).isEqualTo(ExitCode.FAILED);
            assertThat(serve.errLines()).containsExactly(
                    "sekisho: port " + port + " on 127.0.0.1 is in use",
                    "Stop the other program, or set listen.port in " + config + " to a free port.");
        }
    }

    @Test
    void aBindThatFailsAfterTheCheckReadsTheSame()
            throws IOException
    {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket second = new ServerSocket()) {
            BindException bind = null;
            try {
                second.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort()));
            }
            catch (BindException e) {
                bind = e;
            }
            assertThat(bind).isNotNull();
            CliFailure failure = ListenPort.bindFailure(new IllegalStateException("wrapped", bind), "127.0.0.1", taken.getLocalPort(), "Do this.").orElseThrow();
            assertThat(failure.problem()).isEqualTo("port " + taken.getLocalPort() + " on 127.0.0.1 is in use");
            assertThat(failure.exitCode()).isEqualTo(ExitCode.FAILED);
            assertThat(ListenPort.bindFailure(new IllegalStateException("other"), "127.0.0.1", 1, "Do this.")).isEmpty();
        }
    }

    @Test
    void badPasswordInputSaysWhatToDo()
    {
        Result none = runWithInput("", "hash-password", "--stdin");
        assertThat(none.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(none.errLines()).containsExactly(
                "sekisho: no password on standard input",
                "Pipe the password in as one line (printf '%s\\n' \"$PASSWORD\" | ./sekisho hash-password --stdin), or run it in a terminal to be asked.");
        assertThat(none.out()).isEmpty();

        Result empty = runWithInput("\n", "hash-password", "--stdin");
        assertThat(empty.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(empty.errLines()).containsExactly("sekisho: the password is empty", "Give a password of at least one character.");

        Result good = runWithInput("s3cret\n", "hash-password", "--stdin");
        assertThat(good.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(ScramVerifier.isVerifier(good.out().strip())).isTrue();
    }

    @Test
    void anUnexpectedErrorAsksForTheVerboseOutput()
    {
        CliFailure failure = FailureReport.describe(new IllegalStateException("boom"));
        assertThat(failure.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(failure.problem()).isEqualTo("unexpected error: java.lang.IllegalStateException: boom");
        assertThat(failure.remedy()).isEqualTo("This is a bug: run the command again with --verbose and report what it prints.");
    }

    /** A configuration whose two replicas do not answer: a closed port and a name that does not resolve. */
    private static Path validConfig(Path dir, int closedPort, String extra)
            throws IOException
    {
        Files.writeString(dir.resolve("users.yaml"), "users: {}\n", StandardCharsets.UTF_8);
        Path config = dir.resolve("sekisho.yaml");
        Files.writeString(config, """
                listen: {host: 127.0.0.1, port: 0}
                users_file: users.yaml
                %s
                sources:
                  shop:
                    type: mysql
                    replicas:
                      - {name: r1, host: 127.0.0.1, port: %d, user: reader, password: secret-pw}
                      - {host: nosuchhost.invalid, user: reader, password: secret-pw}
                    pool: {connection_timeout_ms: 2000}
                """.formatted(extra, closedPort), StandardCharsets.UTF_8);
        return config;
    }

    private static int closedPort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private record Result(int exitCode, String out, String err)
    {
        List<String> errLines()
        {
            return err.lines().toList();
        }
    }

    private static Result run(String... args)
    {
        return runWithInput(null, args);
    }

    private static synchronized Result runWithInput(String stdin, String... args)
    {
        PrintStream out = System.out;
        PrintStream err = System.err;
        InputStream in = System.in;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            if (stdin != null) {
                System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            }
            int exitCode = SekishoCommand.execute(args);
            return new Result(exitCode, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        }
        finally {
            System.setOut(out);
            System.setErr(err);
            System.setIn(in);
        }
    }
}
