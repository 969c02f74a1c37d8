package dev.sekisho.policies;

import dev.sekisho.policies.load.DirectoryPolicySource;
import dev.sekisho.policies.model.SourceLocation;
import dev.sekisho.policies.model.TableName;
import dev.sekisho.policies.validate.PolicyProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TestPolicyStore
{
    static final String GOOD = """
            roles:
              analyst: {groups: [analysts]}
            tables:
              shop.customers:
                allow: [analyst]
                columns:
                  email: {mask: email}
            """;

    private static final Principal ALICE = new Principal("alice", Set.of("analysts"), Map.of());
    private static final TableName CUSTOMERS = TableName.parse("shop.customers");

    @TempDir
    Path directory;

    @Test
    void failsClosedUntilTheFirstGoodLoad()
            throws Exception
    {
        Files.writeString(directory.resolve("shop.yaml"), "tables: [\n");
        PolicyStore store = new PolicyStore(new DirectoryPolicySource(directory), List.of());

        assertThat(store.isLoaded()).isFalse();
        assertThat(store.current()).isSameAs(PolicySet.denyAll());
        ReloadResult result = store.reload();
        assertThat(result.outcome()).isEqualTo(ReloadResult.Outcome.REJECTED);
        assertThat(result.version()).isEqualTo("none");
        assertThat(store.isLoaded()).isFalse();
        assertThat(new PolicyEvaluator(store.current()).isVisible(ALICE, CUSTOMERS)).isFalse();

        Files.writeString(directory.resolve("shop.yaml"), GOOD);
        ReloadResult applied = store.reload();
        assertThat(applied.outcome()).isEqualTo(ReloadResult.Outcome.APPLIED);
        assertThat(store.isLoaded()).isTrue();
        assertThat(store.current().version()).isEqualTo(applied.version()).startsWith("sha256:");
        assertThat(new PolicyEvaluator(store.current()).isVisible(ALICE, CUSTOMERS)).isTrue();
        assertThat(store.lastResult()).contains(applied);
    }

    @Test
    void brokenEditKeepsTheLastGoodSnapshotAndNamesFileAndLine()
            throws Exception
    {
        Path file = directory.resolve("shop.yaml");
        Files.writeString(file, GOOD);
        PolicyStore store = new PolicyStore(new DirectoryPolicySource(directory), List.of());
        assertThat(store.reload().outcome()).isEqualTo(ReloadResult.Outcome.APPLIED);
        PolicySet good = store.current();

        Files.writeString(file, GOOD.replace("{mask: email}", "{mask: emial}").replace("allow: [analyst]", "allow: [analyts]"));
        ReloadResult result = store.reload();
        assertThat(result.isRejected()).isTrue();
        assertThat(result.version()).isEqualTo(good.version());
        assertThat(result.problems()).extracting(PolicyProblem::toString).containsExactly(
                file + ":7: tables.shop.customers.columns.email.mask: unknown mask 'emial'; did you mean 'email'? (masks: redact, partial, email, hash, nullify, year, round, phone, sql)");
        assertThat(store.current()).isSameAs(good);

        // Parses, but fails a structural check: still rejected, still the old snapshot.
        Files.writeString(file, GOOD.replace("allow: [analyst]", "allow: [analyts]"));
        ReloadResult structural = store.reload();
        assertThat(structural.problems()).singleElement().hasToString(
                file + ":5: tables.shop.customers.allow: unknown role 'analyts'; did you mean 'analyst'? (define it under roles:, or write group:analyts for a group or user:analyts for a user)");
        assertThat(structural.rejectedVersion()).isPresent().get().isNotEqualTo(good.version());
        assertThat(store.current()).isSameAs(good);
        assertThat(structural.toString()).contains("rejected").contains(file + ":5");
    }

    @Test
    void additionalChecksCanRejectAndAFailingCheckRejects()
            throws Exception
    {
        Files.writeString(directory.resolve("shop.yaml"), GOOD);
        PolicyStore semantic = new PolicyStore(new DirectoryPolicySource(directory),
                List.of(policies -> List.of(new PolicyProblem(new SourceLocation("shop.yaml", 7), "tables.shop.customers.columns.email", "column does not exist"))));
        ReloadResult result = semantic.reload();
        assertThat(result.problems()).singleElement().hasToString("shop.yaml:7: tables.shop.customers.columns.email: column does not exist");
        assertThat(semantic.isLoaded()).isFalse();

        PolicyStore broken = new PolicyStore(new DirectoryPolicySource(directory), List.of(policies -> {
            throw new IllegalStateException("catalog unavailable");
        }));
        assertThat(broken.reload().problems()).singleElement().asString().contains("failed").contains("catalog unavailable");
        assertThat(broken.current()).isSameAs(PolicySet.denyAll());
    }

    @Test
    void unchangedFilesAreNotReapplied()
            throws Exception
    {
        Files.writeString(directory.resolve("shop.yaml"), GOOD);
        PolicyStore store = new PolicyStore(new DirectoryPolicySource(directory), List.of());
        store.reload();
        PolicySet first = store.current();
        ReloadResult again = store.reload();
        assertThat(again.outcome()).isEqualTo(ReloadResult.Outcome.UNCHANGED);
        assertThat(store.current()).isSameAs(first);
    }

    @Test
    void aMissingDirectoryIsRejected()
    {
        PolicyStore store = new PolicyStore(new DirectoryPolicySource(directory.resolve("nope")), List.of());
        ReloadResult result = store.reload();
        assertThat(result.isRejected()).isTrue();
        assertThat(result.problems()).singleElement().asString().contains("nope").contains("cannot be read");
    }
}
