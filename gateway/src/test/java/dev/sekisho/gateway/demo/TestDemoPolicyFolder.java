package dev.sekisho.gateway.demo;

import dev.sekisho.policies.ReloadResult;
import dev.sekisho.policies.model.SourceLocation;
import dev.sekisho.policies.validate.PolicyProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo enforces the policies a newcomer edits: the checkout's {@code examples/policies},
 * found from the launcher's {@code sekisho.home} or from where the code was loaded; outside a
 * checkout a copy of the bundled examples. And it says what became of each edit.
 */
class TestDemoPolicyFolder
{
    @Test
    void runFromTheCheckoutTheDemoUsesItsExamples(@TempDir Path scratch)
    {
        // this test's classes are in gateway/target/test-classes, the code's in gateway/target/classes
        Path examples = repositoryRoot().resolve("examples").resolve("policies");
        DemoPolicyFolder folder = DemoPolicyFolder.choose(Optional.empty(), scratch);
        assertThat(folder).isEqualTo(new DemoPolicyFolder(examples, DemoPolicyFolder.Origin.CHECKOUT));
        assertThat(folder.describe()).isEqualTo(examples.toAbsolutePath().normalize() + " (the checkout's examples)");

        assertThat(DemoPolicyFolder.choose(Optional.of(scratch), scratch)).isEqualTo(new DemoPolicyFolder(scratch, DemoPolicyFolder.Origin.GIVEN));
    }

    @Test
    void theCheckoutIsTheLaunchersHomeOrTheOneAroundTheJar(@TempDir Path dir)
            throws IOException
    {
        Path checkout = Files.createDirectories(dir.resolve("clone"));
        Path examples = Files.createDirectories(checkout.resolve("examples/policies"));
        Path jar = Files.createDirectories(checkout.resolve("gateway/target")).resolve("sekisho-gateway-1.0.jar");
        Path classes = Files.createDirectories(checkout.resolve("gateway/target/classes"));
        Path elsewhere = Files.createDirectories(dir.resolve("opt/sekisho")).resolve("sekisho.jar");

        assertThat(DemoPolicyFolder.checkoutExamples(checkout.toString(), Optional.of(elsewhere))).contains(examples);
        assertThat(DemoPolicyFolder.checkoutExamples(null, Optional.of(jar))).contains(examples);
        assertThat(DemoPolicyFolder.checkoutExamples("", Optional.of(classes))).contains(examples);
        // a home without examples (not a checkout) falls back to the jar's location
        assertThat(DemoPolicyFolder.checkoutExamples(dir.resolve("opt").toString(), Optional.of(jar))).contains(examples);
        assertThat(DemoPolicyFolder.checkoutExamples(null, Optional.of(elsewhere))).isEmpty();
        assertThat(DemoPolicyFolder.checkoutExamples(null, Optional.empty())).isEmpty();

        Files.delete(examples);
        assertThat(DemoPolicyFolder.checkoutExamples(checkout.toString(), Optional.of(jar))).isEmpty();
    }

    @Test
    void outsideACheckoutTheBundledExamplesAreCopied(@TempDir Path dir)
            throws IOException
    {
        Path copy = DemoPolicyFolder.copyBundled(dir.resolve("policies"));
        Path examples = repositoryRoot().resolve("examples").resolve("policies");
        for (String file : DemoPolicyFolder.BUNDLED_FILES) {
            assertThat(copy.resolve(file)).hasSameTextualContentAs(examples.resolve(file));
        }
        try (var files = Files.walk(examples)) {
            assertThat(files.filter(Files::isRegularFile).map(file -> examples.relativize(file).toString().replace('\\', '/')).toList())
                    .as("every example file is bundled")
                    .containsExactlyInAnyOrderElementsOf(DemoPolicyFolder.BUNDLED_FILES);
        }
    }

    @Test
    void theReportSaysWhatBecameOfAnEdit()
    {
        PolicyEditReport report = new PolicyEditReport();
        assertThat(report.lines(result(ReloadResult.Outcome.UNCHANGED, "sha256:aaaa"))).isEmpty();
        assertThat(report.lines(result(ReloadResult.Outcome.APPLIED, "sha256:bbbb")))
                .containsExactly("Policy edit applied: sha256:bbbb is live; the next query of every session uses it.");
        PolicyProblem problem = new PolicyProblem(new SourceLocation("/x/shop.yaml", 19), "tables.shop.customers.columns.phone.mask", "unknown mask 'phnoe'");
        assertThat(report.lines(new ReloadResult(ReloadResult.Outcome.REJECTED, "sha256:bbbb", Optional.of("sha256:cccc"), List.of(problem), Instant.EPOCH)))
                .containsExactly(
                        "Policy edit refused; sha256:bbbb stays live. Correct the file and save it again:",
                        "  /x/shop.yaml:19: tables.shop.customers.columns.phone.mask: unknown mask 'phnoe'");
        assertThat(report.lines(result(ReloadResult.Outcome.UNCHANGED, "sha256:bbbb")))
                .containsExactly("Policy files are back to sha256:bbbb, the live policy.");
        assertThat(report.lines(result(ReloadResult.Outcome.UNCHANGED, "sha256:bbbb"))).isEmpty();
    }

    private static ReloadResult result(ReloadResult.Outcome outcome, String version)
    {
        return new ReloadResult(outcome, version, Optional.empty(), List.of(), Instant.EPOCH);
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
