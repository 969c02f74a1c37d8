package dev.sekisho.gateway.cli;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.policies.FiredRule;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.testcase.PolicyTestCase;
import dev.sekisho.policies.testcase.PolicyTestExpectation;
import dev.sekisho.policies.testcase.PolicyTestUser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Runs policy test cases ({@code *.test.yaml}, docs/policies.md) against real sources: each case's
 * query is planned and executed as its user under the policy snapshot, and the outcome is compared
 * with what the case expects.
 *
 * <p>A result column counts as masked when a mask rule fired for a column of that name and the
 * value does not reach the result unchanged (the planner reports no plain source column for it).
 */
public final class PolicyTestRunner
{
    private final PolicyWorkbench workbench;
    private final PolicySet policies;

    public PolicyTestRunner(PolicyWorkbench workbench, PolicySet policies)
    {
        this.workbench = requireNonNull(workbench, "workbench is null");
        this.policies = requireNonNull(policies, "policies is null");
    }

    /** The outcome of one case: the failures, empty when it passed. */
    public record Outcome(PolicyTestCase testCase, List<String> failures)
    {
        public Outcome
        {
            requireNonNull(testCase, "testCase is null");
            failures = List.copyOf(failures);
        }

        public boolean passed()
        {
            return failures.isEmpty();
        }
    }

    public List<Outcome> run(List<PolicyTestCase> cases)
    {
        return cases.stream().map(this::run).toList();
    }

    public Outcome run(PolicyTestCase testCase)
    {
        List<String> failures = new ArrayList<>();
        Optional<Principal> principal = principal(testCase.user());
        if (principal.isEmpty()) {
            return new Outcome(testCase, List.of("user '" + testCase.user().name() + "' is not in the users file; give groups and attributes in the test"));
        }
        PolicyTestExpectation expect = testCase.expect();
        PreparedQuery query;
        long rows = 0;
        try {
            query = workbench.prepare(principal.get(), policies, testCase.query());
            try (ResultStream stream = query.execute(List.of(), PolicyWorkbench.context(principal.get().name()))) {
                while (stream.next()) {
                    rows++;
                }
            }
        }
        catch (QueryException e) {
            if (expect.error().isPresent()) {
                if (!expect.error().get().equalsIgnoreCase(e.sqlState())) {
                    failures.add("expected error " + expect.error().get() + ", got " + e.sqlState() + ": " + e.getMessage());
                }
            }
            else {
                failures.add("failed with " + e.sqlState() + ": " + e.getMessage());
            }
            return new Outcome(testCase, failures);
        }
        if (expect.error().isPresent()) {
            failures.add("expected error " + expect.error().get() + ", but the query succeeded with " + rows + " row(s)");
            return new Outcome(testCase, failures);
        }
        if (expect.rows().isPresent() && expect.rows().getAsLong() != rows) {
            failures.add("expected " + expect.rows().getAsLong() + " row(s), got " + rows);
        }
        List<String> names = query.columns().stream().map(ResultColumn::name).toList();
        if (expect.columns().isPresent() && !expect.columns().get().equals(names)) {
            failures.add("expected columns " + expect.columns().get() + ", got " + names);
        }
        for (String absent : expect.absentColumns()) {
            if (names.contains(absent)) {
                failures.add("column " + absent + " should be absent but is in the result");
            }
        }
        Set<String> maskRules = maskedColumnNames(query.firedRules());
        for (String column : expect.maskedColumns()) {
            Optional<ResultColumn> result = column(query, column);
            if (result.isEmpty()) {
                failures.add("column " + column + " should be masked but is not in the result");
            }
            else if (!isMasked(result.get(), maskRules)) {
                failures.add("column " + column + " should be masked but comes through raw");
            }
        }
        for (String column : expect.unmaskedColumns()) {
            Optional<ResultColumn> result = column(query, column);
            if (result.isEmpty()) {
                failures.add("column " + column + " should be raw but is not in the result");
            }
            else if (isMasked(result.get(), maskRules)) {
                failures.add("column " + column + " should be raw but is masked");
            }
        }
        return new Outcome(testCase, failures);
    }

    private Optional<Principal> principal(PolicyTestUser user)
    {
        Optional<Principal> known = workbench.user(user.name());
        if (!user.isInline()) {
            return known;
        }
        Set<String> groups = user.groups().orElseGet(() -> known.map(Principal::groups).orElse(Set.of()));
        Map<String, String> attributes = user.attributes().orElseGet(() -> known.map(Principal::attributes).orElse(Map.of()));
        return Optional.of(new Principal(user.name(), groups, attributes));
    }

    private static Optional<ResultColumn> column(PreparedQuery query, String name)
    {
        return query.columns().stream().filter(column -> column.name().equals(name)).findFirst();
    }

    private static boolean isMasked(ResultColumn column, Set<String> maskRules)
    {
        return column.origin().isEmpty() && maskRules.contains(column.name().toLowerCase(Locale.ROOT));
    }

    /** Column names of the MASK rules that fired: their detail reads {@code schema.table.column: mask ...}. */
    private static Set<String> maskedColumnNames(List<FiredRule> rules)
    {
        Set<String> names = new java.util.HashSet<>();
        for (FiredRule rule : rules) {
            if (rule.kind() == FiredRule.Kind.MASK) {
                String target = rule.detail().substring(0, Math.max(0, rule.detail().indexOf(':')));
                names.add(target.substring(target.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
