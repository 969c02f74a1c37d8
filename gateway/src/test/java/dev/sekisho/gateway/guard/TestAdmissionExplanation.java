package dev.sekisho.gateway.guard;

import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.load.PolicyDocument;
import dev.sekisho.policies.load.PolicyParser;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code sekisho policy explain} says of the cost guard: the group a statement would wait in, with its limits, and the budgets that apply. */
class TestAdmissionExplanation
{
    private static final PolicySet POLICIES = new PolicyParser().parse(List.of(new PolicyDocument("guard.yaml", """
            roles:
              analyst: {groups: [analysts]}
            budgets:
              statement:
                - {for: [analyst], max_bytes: 5000, max_full_scan_rows: 100}
              people:
                - {for: [analyst], bytes_per_day: 10000}
            resource_groups:
              groups:
                scheduled: {max_concurrent: 2, max_queued: 5, queue_timeout: 30s}
                adhoc:     {max_concurrent: 4, max_queued: 30, queue_timeout: 1m, statement_timeout: 10m, max_rows: 1000}
              select:
                - {scheduled: true, group: scheduled}
                - {application_name: "Tableau*", group: scheduled}
              default: adhoc
            """)));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T01:00:00Z"), ZoneOffset.UTC);
    private static final Principal ALICE = new Principal("alice", Set.of("analysts"), Map.of());

    @Test
    void namesTheGroupItsLimitsAndTheBudgets()
    {
        assertThat(AdmissionExplanation.explain(POLICIES, ALICE, "psql", Optional.empty(), CLOCK)).isEqualTo("""
                Cost guard (for alice):
                  resource group: adhoc (max_concurrent 4, max_queued 30, queue_timeout 1m, statement_timeout 10m, max_rows 1000; guard.yaml:11) \
                - a run's queue wait is in its audit event (queue_wait_millis) and its group's errors
                  max_bytes: 5.0 KB (5,000 bytes) per statement (guard.yaml:5)
                  max_full_scan_rows: 100 (guard.yaml:5)
                  allowance: user:alice 2026-12-05: 10.0 KB (10,000 bytes) (budgets at guard.yaml:7)""");
        assertThat(AdmissionExplanation.explain(POLICIES, ALICE, "Tableau Desktop", Optional.empty(), CLOCK)).contains("resource group: scheduled (");
        assertThat(AdmissionExplanation.explain(POLICIES, new Principal("bob", Set.of(), Map.of()), "psql", Optional.of(true), CLOCK))
                .isEqualTo("""
                        Cost guard (for bob):
                          resource group: scheduled (max_concurrent 2, max_queued 5, queue_timeout 30s; guard.yaml:10) \
                        - a run's queue wait is in its audit event (queue_wait_millis) and its group's errors""");
    }
}
