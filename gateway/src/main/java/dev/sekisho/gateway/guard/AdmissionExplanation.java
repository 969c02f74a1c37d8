package dev.sekisho.gateway.guard;

import dev.sekisho.gateway.ledger.ByteText;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.guard.ResourceGroup;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cost guard's part of an explanation ({@code sekisho policy explain}): the resource group a
 * statement of the user would wait in and its limits, the per-statement limits and the
 * allowances it would be charged to. Queue waits belong to runs, not plans: each run's wait is in
 * its audit event ({@code queue_wait_millis}) and in the errors of its group's limits; this says
 * where it would wait.
 */
public final class AdmissionExplanation
{
    private AdmissionExplanation() {}

    /**
     * @param applicationName the session's {@code application_name} the statement would come with (resource groups may select on it)
     * @param scheduled Redash's {@code Scheduled:} annotation, if the statement would carry one
     */
    public static String explain(PolicySet policies, Principal principal, String applicationName, Optional<Boolean> scheduled, Clock clock)
    {
        List<String> lines = new ArrayList<>();
        lines.add("Cost guard (for " + principal.name() + "):");
        Optional<ResourceGroup> group = GroupSelection.select(policies, principal, applicationName, scheduled);
        lines.add("  resource group: " + group.map(AdmissionExplanation::group).orElse("none (runs at once, outside any group)"));
        BudgetCheck.Limits limits = BudgetCheck.limits(policies, principal);
        limits.maxBytes().ifPresent(limit -> lines.add("  max_bytes: " + ByteText.format(limit.value()) + " per statement (" + limit.origin().origin() + ")"));
        limits.maxRowsExamined().ifPresent(limit -> lines.add("  max_rows_examined: %,d (%s)".formatted(limit.value(), limit.origin().origin())));
        limits.maxFullScanRows().ifPresent(limit -> lines.add("  max_full_scan_rows: %,d (%s)".formatted(limit.value(), limit.origin().origin())));
        Allowances.charges(policies, principal, clock).forEach(charge -> lines.add("  allowance: %s %s: %s (%s)".formatted(charge.account(), charge.period(),
                ByteText.format(charge.limit().orElse(0)), charge.limitOrigin())));
        if (lines.size() == 2 && group.isEmpty()) {
            lines.add("  no limits apply");
        }
        return String.join("\n", lines);
    }

    private static String group(ResourceGroup group)
    {
        return "%s (max_concurrent %d, max_queued %d, queue_timeout %s%s%s; %s) - a run's queue wait is in its audit event (queue_wait_millis) and its group's errors"
                .formatted(group.name(), group.maxConcurrent(), group.maxQueued(), ResourceGroupQueues.format(group.queueTimeout()),
                        group.statementTimeout().map(timeout -> ", statement_timeout " + ResourceGroupQueues.format(timeout)).orElse(""),
                        group.maxRows().isPresent() ? ", max_rows " + group.maxRows().getAsLong() : "", group.origin());
    }
}
