package dev.sekisho.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Runs a real client program (psql, a Python script using psycopg2 or pyodbc) as a child process
 * with a clean libpq environment and collects its output. Passwords go through the environment,
 * never the command line.
 */
public final class ClientProcess
{
    /** Debian's interpreter, which sees Debian's python3-psycopg2 and python3-pyodbc packages. */
    public static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientProcess() {}

    /** What the program printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr)
    {
        public Result
        {
            requireNonNull(stdout, "stdout is null");
            requireNonNull(stderr, "stderr is null");
        }

        public List<String> lines()
        {
            return stdout.lines().toList();
        }

        @Override
        public String toString()
        {
            return "exit code " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Runs {@code command} with {@code environment} added to a copy of ours minus every PG* variable. */
    public static Result run(List<String> command, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> childEnvironment = builder.environment();
        childEnvironment.keySet().removeIf(name -> name.startsWith("PG"));
        childEnvironment.put("LC_ALL", "C.UTF-8");
        childEnvironment.put("PYTHONIOENCODING", "utf-8");
        childEnvironment.putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = readAsync(process.getInputStream());
        CompletableFuture<String> stderr = readAsync(process.getErrorStream());
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("%s did not finish within %s".formatted(command.get(0), timeout));
        }
        try {
            return new Result(process.exitValue(), stdout.get(10, TimeUnit.SECONDS), stderr.get(10, TimeUnit.SECONDS));
        }
        catch (Exception e) {
            throw new IOException("cannot read the output of " + command.get(0), e);
        }
    }

    /**
     * Null when {@link #SYSTEM_PYTHON} can import every module, else the reason it cannot (for a
     * skipped test's message).
     */
    public static String missingPythonModules(String debianPackage, String... modules)
            throws InterruptedException
    {
        if (!Files.isExecutable(SYSTEM_PYTHON)) {
            return SYSTEM_PYTHON + " is not installed (Debian: apt-get install " + debianPackage + ")";
        }
        try {
            Result result = run(
                    List.of(SYSTEM_PYTHON.toString(), "-c", "import " + String.join(", ", modules)),
                    Map.of(),
                    Duration.ofSeconds(30));
            if (result.exitCode() != 0) {
                return SYSTEM_PYTHON + " cannot import " + String.join(", ", modules) + " (Debian: apt-get install " + debianPackage + "): "
                        + result.stderr().strip();
            }
            return null;
        }
        catch (IOException e) {
            return "cannot run " + SYSTEM_PYTHON + ": " + e.getMessage();
        }
    }

    /**
     * Runs {@code clients/SCRIPT} with {@link #SYSTEM_PYTHON} as {@code user} of {@code gateway}
     * (host, port, user and password in SEKISHO_* environment variables, plus {@code environment})
     * and parses the one JSON object it prints; the script must exit with 0.
     */
    public static JsonNode runPythonClient(String script, TestingGateway gateway, String user, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(SYSTEM_PYTHON.toString(), resource("clients/" + script).toString()));
        command.addAll(List.of(arguments));
        Map<String, String> childEnvironment = new HashMap<>(environment);
        childEnvironment.put("SEKISHO_HOST", "127.0.0.1");
        childEnvironment.put("SEKISHO_PORT", Integer.toString(gateway.pgPort()));
        childEnvironment.put("SEKISHO_USER", user);
        childEnvironment.put("SEKISHO_PASSWORD", user + TestingGateway.PASSWORD_SUFFIX);
        Result result = run(command, childEnvironment, Duration.ofSeconds(60));
        if (result.exitCode() != 0) {
            throw new AssertionError(script + " failed: " + result);
        }
        return JSON.readTree(result.stdout());
    }

    /** A test resource (such as a client script under {@code clients/}) as a file. */
    public static Path resource(String name)
    {
        URL url = ClientProcess.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalStateException("test resource not found: " + name);
        }
        try {
            return Path.of(url.toURI());
        }
        catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<String> readAsync(InputStream stream)
    {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
