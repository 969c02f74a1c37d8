package dev.sekisho.policies.load;

import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.PolicyStore;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.ReloadResult;
import dev.sekisho.policies.guard.Allowance;
import dev.sekisho.policies.guard.GroupSelector;
import dev.sekisho.policies.guard.ResourceGroup;
import dev.sekisho.policies.guard.StatementLimit;
import dev.sekisho.policies.validate.PolicyProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

class TestGuardSections
{
    static final String GUARDS = """
            roles:
              analyst: {groups: [analysts]}
              guest:   {users: [nobody]}
            budgets:
              time_zone: Asia/Tokyo
              statement:
                - {max_bytes: 10 GB, max_rows_examined: 1000000, max_full_scan_rows: 100000}
                - {for: [analyst], max_bytes: 1 GiB}
              people:
                - {for: [analyst], bytes_per_day: 100 GB, bytes_per_month: 1 TB}
              teams:
                analysts: {bytes_per_day: 500000000000}
            resource_groups:
              groups:
                scheduled: {max_concurrent: 4, max_queued: 50, queue_timeout: 2m, statement_timeout: 10m}
                adhoc:     {max_concurrent: 2, max_queued: 20, queue_timeout: 30s, max_rows: 100000}
              select:
                - {scheduled: true, group: scheduled}
                - {application_name: "Tableau*", group: scheduled}
                - {attributes: {department: finance}, for: [analyst], group: adhoc}
              default: adhoc
            end_users:
              trusted_accounts: [redash, tableau]
              unknown_end_user: guest
            """;

    private final PolicyParser parser = new PolicyParser();

    @TempDir
    Path directory;

    @Test
    void readsBudgetsResourceGroupsAndEndUsers()
    {
        PolicySet policies = parser.parse(List.of(new PolicyDocument("guards.yaml", GUARDS)));

        assertThat(policies.budgets().timeZone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(policies.budgets().statement()).extracting(StatementLimit::maxBytes)
                .containsExactly(OptionalLong.of(10_000_000_000L), OptionalLong.of(1L << 30));
        assertThat(policies.budgets().statement().get(0).maxFullScanRows()).hasValue(100_000);
        assertThat(policies.budgets().statement().get(0).grantees()).isEmpty();
        assertThat(policies.budgets().people()).singleElement().extracting(Allowance::bytesPerMonth).isEqualTo(OptionalLong.of(1_000_000_000_000L));
        assertThat(policies.budgets().teams().get("analysts").bytesPerDay()).hasValue(500_000_000_000L);

        ResourceGroup adhoc = policies.resourceGroups().groups().get("adhoc");
        assertThat(adhoc.maxConcurrent()).isEqualTo(2);
        assertThat(adhoc.maxQueued()).isEqualTo(20);
        assertThat(adhoc.queueTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(adhoc.maxRows()).hasValue(100_000);
        assertThat(policies.resourceGroups().groups().get("scheduled").statementTimeout()).contains(Duration.ofMinutes(10));
        assertThat(policies.resourceGroups().defaultGroup()).contains("adhoc");
        List<GroupSelector> selectors = policies.resourceGroups().selectors();
        assertThat(selectors.get(0).scheduled()).contains(true);
        assertThat(selectors.get(1).matchesApplication("Tableau Desktop 2024.1")).isTrue();
        assertThat(selectors.get(1).matchesApplication("psql")).isFalse();
        assertThat(selectors.get(2).attributes()).isEqualTo(Map.of("department", "finance"));

        assertThat(policies.endUsers().trusts("redash")).isTrue();
        assertThat(policies.endUsers().trusts("alice")).isFalse();
        assertThat(policies.endUsers().unknownRole()).contains("guest");
        Principal unknown = new Principal("someone@x.com", Set.of(dev.sekisho.policies.guard.EndUsers.UNKNOWN_END_USER_GROUP), Map.of());
        assertThat(policies.rolesOf(unknown)).containsExactly("guest");
        assertThat(policies.isAny(new Principal("alice", Set.of("analysts"), Map.of()), selectors.get(2).grantees().orElseThrow())).isTrue();
    }

    @Test
    void everyProblemIsReportedWithFileAndLine()
    {
        String broken = """
                roles:
                  analyst: {groups: [analysts]}
                budgets:
                  time_zone: Mars/Olympus
                  statement:
                    - {max_bytes: 10 GBB, max_rows: 5}
                resource_groups:
                  groups:
                    adhoc: {max_queued: 2, queue_timeout: soon}
                  select:
                    - {scheduled: yes-please, group: adhoc}
                    - {for: [analyst], group: adhok}
                  default: nightly
                end_users:
                  unknown_end_user: visitor
                """;
        assertThatThrownBy(() -> parser.parse(List.of(new PolicyDocument("broken.yaml", broken))))
                .asInstanceOf(type(PolicyException.class))
                .extracting(PolicyException::problems)
                .asList()
                .extracting(Object::toString)
                .containsExactlyInAnyOrder(
                        "broken.yaml:4: budgets.time_zone: 'Mars/Olympus' is not a time zone; write a region such as Asia/Tokyo or UTC",
                        "broken.yaml:6: budgets.statement[0].max_rows: unknown key 'max_rows'; did you mean 'max_rows_examined'? (known keys: for, max_bytes, max_rows_examined, max_full_scan_rows)",
                        "broken.yaml:9: resource_groups.groups.adhoc: has no max_concurrent; write how many of its statements may run at once, e.g. max_concurrent: 4",
                        "broken.yaml:9: resource_groups.groups.adhoc.queue_timeout: must be a duration such as 500ms, 30s, 5m or 1h, not a string",
                        "broken.yaml:11: resource_groups.select[0].scheduled: must be true or false, not a string",
                        "broken.yaml:12: resource_groups.select: names group 'adhok', which resource_groups.groups does not define",
                        "broken.yaml:7: resource_groups.default: names group 'nightly', which resource_groups.groups does not define",
                        "broken.yaml:14: end_users.unknown_end_user: names role 'visitor', which no file defines; write deny or a role name");
    }

    @Test
    void aBrokenBudgetEditKeepsTheLastGoodSnapshot()
            throws Exception
    {
        Path file = directory.resolve("guards.yaml");
        Files.writeString(file, GUARDS);
        PolicyStore store = new PolicyStore(new DirectoryPolicySource(directory), List.of());
        assertThat(store.reload().outcome()).isEqualTo(ReloadResult.Outcome.APPLIED);
        PolicySet good = store.current();

        Files.writeString(file, GUARDS.replace("bytes_per_day: 100 GB", "bytes_per_day: lots"));
        ReloadResult result = store.reload();
        assertThat(result.isRejected()).isTrue();
        assertThat(result.problems()).extracting(PolicyProblem::toString).singleElement().asString()
                .startsWith(file + ":10: budgets.people[0].bytes_per_day: must be a number of bytes");
        assertThat(store.current()).isSameAs(good);
        assertThat(store.current().budgets().people().get(0).bytesPerDay()).hasValue(100_000_000_000L);
        assertThat(Optional.of(store.current().endUsers())).get().extracting(e -> e.trusts("redash")).isEqualTo(true);
    }
}
