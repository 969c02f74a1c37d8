package dev.sekisho.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./sekisho demo} as a person runs it: a child process (the launcher script, which execs
 * the JVM) whose terminal output is collected line by line while it runs, so that a test can wait
 * for what the demo prints.
 */
final class DemoProcess
        implements AutoCloseable
{
    private static final Pattern LISTENS_ON = Pattern.compile("the gateway listens on \\S+:(\\d+) ");
    private static final String RUNNING = "demo is running";

    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();

    private DemoProcess(Process process)
    {
        this.process = process;
        collect(process.getInputStream(), stdout, "demo-stdout");
        collect(process.getErrorStream(), stderr, "demo-stderr");
    }

    /**
     * Starts {@code command} with bash in {@code directory}; bash execs it, so that stopping the
     * process stops the demo's JVM (whose shutdown hook stops MariaDB).
     */
    static DemoProcess start(String command, Path directory, Map<String, String> environment)
            throws IOException
    {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "exec " + command).directory(directory.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        return new DemoProcess(process);
    }

    /** Waits until the demo says it is running and returns the gateway's port. */
    int awaitPort(Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = stdout();
            if (lines.stream().anyMatch(line -> line.contains(RUNNING))) {
                for (String line : lines) {
                    Matcher matcher = LISTENS_ON.matcher(line);
                    if (matcher.find()) {
                        return Integer.parseInt(matcher.group(1));
                    }
                }
                throw new AssertionError("the demo runs but did not say its port:\n" + transcript());
            }
            if (!process.isAlive()) {
                throw new AssertionError("the demo ended with exit code " + process.exitValue() + ":\n" + transcript());
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the demo did not start within " + timeout + ":\n" + transcript());
    }

    /**
     * Waits until the lines {@code shown} appear (as {@link ReadmeTour#match}) in what the demo
     * printed from line {@code from} on; returns the line after the last one matched.
     */
    int awaitOutput(String shown, int from, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        ReadmeTour.Match match;
        do {
            match = ReadmeTour.match(stdout(), from, shown);
            if (match.matched()) {
                return match.next();
            }
            Thread.sleep(100);
        }
        while (System.nanoTime() < deadline && process.isAlive());
        throw new AssertionError("the demo did not print\n  " + match.missing().orElseThrow() + "\nwithin " + timeout + " (after its line " + from + "):\n" + transcript());
    }

    /** What the demo printed on standard output so far. */
    List<String> stdout()
    {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    /** Everything the demo printed, for failure messages. */
    String transcript()
    {
        List<String> err;
        synchronized (stderr) {
            err = List.copyOf(stderr);
        }
        return "--- demo stdout\n" + String.join("\n", stdout()) + "\n--- demo stderr\n" + String.join("\n", err);
    }

    /** Stops the demo as Ctrl-C would; forcibly only when it does not stop. */
    @Override
    public void close()
            throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void collect(InputStream stream, List<String> lines, String name)
    {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }
}
