package dev.sekisho.it.tools;

import dev.sekisho.gateway.cli.PolicyTestRunner;
import dev.sekisho.gateway.cli.PolicyWorkbench;
import dev.sekisho.gateway.cli.SekishoCommand;
import dev.sekisho.gateway.config.ConfigException;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.testcase.PolicyTestParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin tools of the README on the demo's example policies: {@code sekisho policy check},
 * {@code explain} and {@code test}, against the real sample data in an embedded MariaDB.
 */
class TestPolicyTools
{
    private static final Path EXAMPLES = findExamples();

    private static PolicyWorkbench workbench;

    @BeforeAll
    static void start()
    {
        workbench = PolicyWorkbench.forDemo();
    }

    @AfterAll
    static void stop()
    {
        workbench.close();
    }

    @Test
    void exampleTestsPass()
    {
        PolicySet policies = workbench.load(EXAMPLES).current();
        List<PolicyTestRunner.Outcome> outcomes = new PolicyTestRunner(workbench, policies).run(new PolicyTestParser().parseDirectory(EXAMPLES));
        assertThat(outcomes).hasSizeGreaterThanOrEqualTo(9);
        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.failures()).as(outcome.testCase().name()).isEmpty());
    }

    @Test
    void wrongExpectationsFail(@TempDir Path dir)
            throws IOException
    {
        Files.copy(EXAMPLES.resolve("shop.yaml"), dir.resolve("shop.yaml"));
        Files.writeString(dir.resolve("wrong.test.yaml"), """
                tests:
                  - name: admin is wrongly expected to see masked emails
                    user: admin
                    query: SELECT email FROM shop.customers
                    expect: {masked_columns: [email]}
                  - name: alice is wrongly expected to see raw names
                    user: alice
                    query: SELECT name FROM shop.customers
                    expect: {unmasked_columns: [name]}
                  - name: alice is wrongly expected to see every customer
                    user: alice
                    query: SELECT id FROM shop.customers
                    expect: {rows: 1000}
                  - name: a hidden table is wrongly expected to answer
                    user: {name: mallory, groups: [contractors], attributes: {}}
                    query: SELECT id FROM shop.customers
                    expect: {rows: 0}
                  - name: a valid query is wrongly expected to fail
                    user: bob
                    query: SELECT count(*) FROM shop.orders
                    expect: {error: 42P01}
                """, StandardCharsets.UTF_8);
        PolicySet policies = workbench.load(dir).current();
        List<PolicyTestRunner.Outcome> outcomes = new PolicyTestRunner(workbench, policies).run(new PolicyTestParser().parseDirectory(dir));
        assertThat(outcomes).hasSize(5).noneMatch(PolicyTestRunner.Outcome::passed);
        assertThat(outcomes.get(0).failures()).containsExactly("column email should be masked but comes through raw");
        assertThat(outcomes.get(1).failures()).containsExactly("column name should be raw but is masked");
        assertThat(outcomes.get(2).failures()).containsExactly("expected 1000 row(s), got 600");
        assertThat(outcomes.get(3).failures()).singleElement().asString().startsWith("failed with 42P01");
        assertThat(outcomes.get(4).failures()).singleElement().asString().startsWith("expected error 42P01, but the query succeeded with 1 row(s)");
    }

    @Test
    void explainShowsRewrittenSqlAndRulesWithTheirLines()
    {
        PolicySet policies = workbench.load(EXAMPLES).current();
        PreparedQuery query = workbench.prepare(workbench.user("alice").orElseThrow(), policies, "select name, phone from customers where id < 10");
        String explain = query.explain();
        assertThat(explain)
                .contains("Pushed down to source shop (mysql)")
                .contains("REGEXP_REPLACE(`phone`")
                .contains("WHERE `region` = ?")
                .contains("shop.yaml:19: shop.customers.phone: mask phone")
                .contains("shop.yaml:24: shop.customers: row filter own_region")
                .contains(":user.region = 'JP'");
    }

    @Test
    void semanticProblemsNameFileAndLine(@TempDir Path dir)
            throws IOException
    {
        Files.writeString(dir.resolve("broken.yaml"), """
                roles:
                  analyst: {groups: [analysts]}
                tables:
                  shop.customers:
                    allow: [analyst]
                    columns:
                      emial: {mask: email}
                      created_at: {mask: email}
                """, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> workbench.load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broken.yaml:7")
                .hasMessageContaining("emial")
                .hasMessageContaining("broken.yaml:8");
    }

    @Test
    void checkCommandReportsStructuralProblems(@TempDir Path dir)
            throws IOException
    {
        Files.writeString(dir.resolve("bad.yaml"), """
                tables:
                  shop.customers:
                    allow: [nobody]
                    colums: {}
                """, StandardCharsets.UTF_8);
        Result bad = run("policy", "check", dir.toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("bad.yaml:4").contains("colums");
        Result good = run("policy", "check", EXAMPLES.toString());
        assertThat(good.exitCode()).isZero();
        assertThat(good.out()).contains("OK (4 table rule(s)");
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

    private static Path findExamples()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("examples/policies"))) {
                return dir.resolve("examples/policies");
            }
        }
        throw new IllegalStateException("examples/policies not found above " + Path.of("").toAbsolutePath());
    }
}
