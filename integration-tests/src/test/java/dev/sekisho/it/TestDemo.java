package dev.sekisho.it;

import dev.sekisho.gateway.demo.Demo;
import dev.sekisho.gateway.demo.DemoPolicyFolder;
import dev.sekisho.gateway.demo.PolicyEditReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command: {@code sekisho demo} starts an embedded MariaDB with the sample shop
 * and the gateway with the example policies, the psql command it prints answers, and an edit of
 * the policy files is applied, or refused with file:line while the last good policy stays.
 */
class TestDemo
{
    private static final String ALICE_EMAIL_RAW = "haruto.suzuki1@example.jp";
    private static final String ALICE_EMAIL_MASKED = "****@example.jp";

    /** What the demo's terminal says after each reload, as {@code sekisho demo} prints it. */
    private static final BlockingQueue<String> printed = new LinkedBlockingQueue<>();

    private static Path policies;
    private static Demo demo;

    @BeforeAll
    static void start()
            throws IOException
    {
        // a copy of the examples: the test edits it
        policies = Files.createTempDirectory("sekisho-demo-policies-");
        try (Stream<Path> files = Files.list(repositoryRoot().resolve("examples/policies"))) {
            for (Path file : files.toList()) {
                Files.copy(file, policies.resolve(file.getFileName()));
            }
        }
        demo = Demo.start("127.0.0.1", 0, null, Optional.of(policies));
        PolicyEditReport report = new PolicyEditReport();
        demo.onPolicyReload(result -> printed.addAll(report.lines(result)));
    }

    @AfterAll
    static void stop()
            throws IOException
    {
        demo.close();
        try (Stream<Path> paths = Files.walk(policies)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Test
    void printedPsqlCommandAnswersAndPoliciesApply()
            throws Exception
    {
        assertThat(demo.policies()).isEqualTo(new DemoPolicyFolder(policies, DemoPolicyFolder.Origin.GIVEN));
        assertThat(demo.instructions()).contains("The policies in force are read from " + policies.toAbsolutePath().normalize() + " (given with --policies)");
        String command = demo.instructions().lines()
                .map(String::strip)
                .filter(line -> line.startsWith("PGPASSWORD=alice psql"))
                .findFirst()
                .orElseThrow();
        assertThat(command).contains("port=" + demo.pgPort()).contains("select count(*) from shop.customers");

        // every user sees the shop; the example policy lets alice (JP analyst) see only JP customers
        assertThat(count(demo, "admin")).isEqualTo(1000);
        assertThat(count(demo, "bob")).isEqualTo(1000);
        assertThat(count(demo, "alice")).isEqualTo(600);

        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/psql")), "psql is not installed (Debian postgresql-client): the printed command is not run");
        Process process = new ProcessBuilder("bash", "-c", command.replace("psql ", "psql -A -t "))
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo("600");
    }

    @Test
    void policyEditIsAppliedAndABrokenEditIsRefusedWhileTheLastGoodPolicyStays()
            throws Exception
    {
        Path shop = policies.resolve("shop.yaml");
        String original = Files.readString(shop, StandardCharsets.UTF_8);
        assertThat(aliceSees("email")).isEqualTo(ALICE_EMAIL_MASKED);
        try {
            // an edit: analysts see e-mail addresses
            edit(shop, original.replace("{mask: email}", "{mask: email, unmasked_for: [analyst]}"));
            List<String> applied = awaitPrinted(1);
            assertThat(applied.get(0)).matches("Policy edit applied: sha256:[0-9a-f]{16} is live; the next query of every session uses it\\.");
            assertThat(aliceSees("email")).isEqualTo(ALICE_EMAIL_RAW);
            String editedVersion = applied.get(0).split(" ")[3];

            // a broken edit: refused with file:line, the edited policy stays in force
            edit(shop, original.replace("{mask: email}", "{mask: email, unmasked_for: [analyst]}").replace("{mask: phone}", "{mask: phnoe}"));
            List<String> refused = awaitPrinted(2);
            assertThat(refused.get(0)).isEqualTo("Policy edit refused; " + editedVersion + " stays live. Correct the file and save it again:");
            assertThat(refused.get(1)).startsWith("  " + shop.toAbsolutePath().normalize() + ":" + lineOf(original, "{mask: phone}")
                    + ": tables.shop.customers.columns.phone.mask: unknown mask 'phnoe'; did you mean 'phone'?");
            assertThat(aliceSees("email")).isEqualTo(ALICE_EMAIL_RAW);
            assertThat(aliceSees("phone")).isEqualTo("***-****-4729");
        }
        finally {
            edit(shop, original);
        }
        assertThat(awaitPrinted(1).get(0)).startsWith("Policy edit applied: ");
        assertThat(aliceSees("email")).isEqualTo(ALICE_EMAIL_MASKED);
    }

    private static void edit(Path file, String content)
            throws IOException
    {
        // as an editor saves: a new file renamed over the old one
        Path draft = file.resolveSibling(file.getFileName() + ".draft");
        Files.writeString(draft, content, StandardCharsets.UTF_8);
        Files.move(draft, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<String> awaitPrinted(int lines)
            throws InterruptedException
    {
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            String line = printed.poll(60, TimeUnit.SECONDS);
            assertThat(line).as("line %d of the demo's report after an edit (got %s)", i + 1, taken).isNotNull();
            taken.add(line);
        }
        return taken;
    }

    private static int lineOf(String text, String fragment)
    {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i + 1;
            }
        }
        throw new AssertionError(fragment + " not in the policy");
    }

    private static String aliceSees(String column)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/sekisho", "alice", "alice");
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("select " + column + " from shop.customers where id = 1")) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getString(1);
        }
    }

    private static long count(Demo demo, String user)
            throws Exception
    {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/sekisho", user, user);
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("select count(*) from shop.customers")) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getLong(1);
        }
    }

    private static Path repositoryRoot()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("examples/policies"))) {
                return dir;
            }
        }
        throw new IllegalStateException("examples/policies not found above " + Path.of("").toAbsolutePath());
    }
}
