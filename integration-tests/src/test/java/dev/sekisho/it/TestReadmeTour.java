package dev.sekisho.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Five-minute tour" runs as written ({@link ReadmeTour} reads its blocks from
 * README.md), so that it cannot drift from the product: the demo is started with the launcher
 * script, every command runs with bash, and what the README shows each command and the demo
 * printing must appear.
 *
 * <p>Two things differ from a person's run, both so that the test leaves the checkout and the
 * machine alone. The commands run in a copy of the checkout's layout (the {@code ./sekisho}
 * script, {@code examples/}, and {@code gateway/target} linked to the real one, whose jar
 * {@code ./mvnw verify} has built before this module's tests), so the tour's edits of
 * {@code examples/policies} edit the copy. And the demo takes any free port ({@code --port 0}),
 * which replaces 15432 in the commands.
 */
class TestReadmeTour
{
    private static final String README_PORT = "15432";
    private static final Duration DEMO_START = Duration.ofMinutes(4);
    private static final Duration COMMAND = Duration.ofMinutes(3);
    private static final Duration DEMO_REACTION = Duration.ofSeconds(60);

    @Test
    void everyCommandOfTheTourAnswersAsShown(@TempDir Path checkout)
            throws Exception
    {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/psql")), "psql is not installed (Debian postgresql-client): the tour needs it");
        Path root = repositoryRoot();
        List<ReadmeTour.Block> blocks = ReadmeTour.blocks(Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8));
        assertThat(blocks).as("the tour's blocks in README.md").isNotEmpty();
        assertThat(blocks.get(0).kind()).as("the tour starts the demo first").isEqualTo(ReadmeTour.Kind.DEMO);
        assertThat(blocks).extracting(ReadmeTour.Block::kind)
                .contains(ReadmeTour.Kind.COMMAND, ReadmeTour.Kind.OUTPUT, ReadmeTour.Kind.DEMO_OUTPUT)
                .containsOnlyOnce(ReadmeTour.Kind.DEMO);
        layOutCheckout(root, checkout);
        Map<String, String> environment = environment();

        try {
            runTour(blocks, checkout, environment);
        }
        finally {
            // the link to the real gateway/target, so that cleaning the temporary folder leaves it alone
            Files.deleteIfExists(checkout.resolve("gateway").resolve("target"));
        }
    }

    private static void runTour(List<ReadmeTour.Block> blocks, Path checkout, Map<String, String> environment)
            throws Exception
    {
        try (DemoProcess demo = DemoProcess.start(blocks.get(0).text().strip() + " --port 0", checkout, environment)) {
            String port = Integer.toString(demo.awaitPort(DEMO_START));
            int demoLine = demo.stdout().size();
            Optional<CommandResult> last = Optional.empty();
            int commands = 0;
            for (ReadmeTour.Block block : blocks.subList(1, blocks.size())) {
                switch (block.kind()) {
                    case COMMAND -> {
                        String command = block.text().replace(README_PORT, port);
                        CommandResult result = run(command, checkout, environment);
                        if (block.fails()) {
                            assertThat(result.exitCode()).as("shown failing: %s%n%s", block.text(), result.output()).isNotZero();
                        }
                        else {
                            assertThat(result.exitCode()).as("%s%n%s%n%s", block.text(), result.output(), demo.transcript()).isZero();
                        }
                        last = Optional.of(result);
                        commands++;
                    }
                    case OUTPUT -> {
                        CommandResult result = last.orElseThrow(() -> new AssertionError("tour output before any command:\n" + block.text()));
                        ReadmeTour.Match match = ReadmeTour.match(result.output().lines().toList(), 0, block.text());
                        assertThat(match.missing()).as("README shows this line of%n%s%nbut it printed%n%s", result.command(), result.output()).isEmpty();
                    }
                    case DEMO_OUTPUT -> demoLine = demo.awaitOutput(block.text(), demoLine, DEMO_REACTION);
                    case DEMO -> throw new AssertionError("the tour starts the demo twice");
                }
            }
            assertThat(commands).as("tour commands run").isGreaterThanOrEqualTo(5);
        }
    }

    /** The matching is strict enough to catch a README that no longer tells the truth. */
    @Test
    void shownOutputMustAppearInOrder()
    {
        List<String> printed = List.of(" id | name ", "----+------", "  1 | 鈴****", "(1 row)", "Policy sha256:0123 for user alice:");
        assertThat(ReadmeTour.match(printed, 0, " id | name\n  1 | 鈴****\n(1 row)").matched()).isTrue();
        assertThat(ReadmeTour.match(printed, 0, "Policy sha256:... for user alice:").matched()).isTrue();
        assertThat(ReadmeTour.match(printed, 0, "  ...\n(1 row)").matched()).isTrue();
        assertThat(ReadmeTour.match(printed, 0, "(1 row)\n id | name").missing()).contains(" id | name");
        assertThat(ReadmeTour.match(printed, 0, "  1 | 鈴****\n  2 | 高****").missing()).contains("  2 | 高****");
        assertThat(ReadmeTour.match(printed, 0, "Policy sha256:... for user bob:").matched()).isFalse();
        assertThat(ReadmeTour.match(printed, 3, " id | name").matched()).isFalse();
        assertThat(ReadmeTour.match(printed, 0, "  1 | 鈴").matched()).as("a line matches whole").isFalse();
    }

    private record CommandResult(String command, int exitCode, String output) {}

    /** Runs a block with bash, failing on the first failing command; standard output and error interleaved as in a terminal. */
    private static CommandResult run(String command, Path directory, Map<String, String> environment)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder("bash", "-e", "-o", "pipefail", "-c", command)
                .directory(directory.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
            catch (IOException e) {
                return "(output unreadable: " + e.getMessage() + ")";
            }
        });
        if (!process.waitFor(COMMAND.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("did not finish within " + COMMAND + ": " + command);
        }
        try {
            return new CommandResult(command, process.exitValue(), output.get(30, TimeUnit.SECONDS));
        }
        catch (Exception e) {
            throw new IOException("cannot read the output of " + command, e);
        }
    }

    /** What a terminal in the checkout would have: our JDK first on the PATH, no PG* settings or psqlrc, a UTF-8 locale. */
    private static Map<String, String> environment()
    {
        Map<String, String> environment = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (!name.startsWith("PG") && !name.equals("SEKISHO_JAVA_OPTS")) {
                environment.put(name, value);
            }
        });
        environment.put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + System.getenv().getOrDefault("PATH", ""));
        environment.put("LC_ALL", "C.UTF-8");
        environment.put("PSQLRC", "/dev/null");
        return environment;
    }

    /** The parts of a checkout the tour uses, in {@code copy}: the launcher, the examples, and the built gateway. */
    private static void layOutCheckout(Path root, Path copy)
            throws IOException
    {
        Path target = root.resolve("gateway").resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.startsWith("sekisho-gateway-") && name.endsWith(".jar")))
                    .as("the gateway's jar in %s (./mvnw verify builds it before this test; the tour runs it through ./sekisho)", target)
                    .isNotEmpty();
        }
        Files.copy(root.resolve("sekisho"), copy.resolve("sekisho"), StandardCopyOption.COPY_ATTRIBUTES);
        try (Stream<Path> files = Files.walk(root.resolve("examples"))) {
            for (Path file : files.toList()) {
                Path destination = copy.resolve(root.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(destination);
                }
                else {
                    Files.copy(file, destination);
                }
            }
        }
        Files.createDirectories(copy.resolve("gateway"));
        Files.createSymbolicLink(copy.resolve("gateway").resolve("target"), target);
    }

    private static Path repositoryRoot()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isRegularFile(dir.resolve("sekisho"))) {
                return dir;
            }
        }
        throw new IllegalStateException("README.md and ./sekisho not found above " + Path.of("").toAbsolutePath());
    }
}
