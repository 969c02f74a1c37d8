package dev.sekisho.policies.validate;

import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.model.ColumnRule;
import dev.sekisho.policies.model.Grantee;
import dev.sekisho.policies.model.Mask;
import dev.sekisho.policies.model.Role;
import dev.sekisho.policies.model.RowFilter;
import dev.sekisho.policies.model.SourceLocation;
import dev.sekisho.policies.model.TableRule;
import dev.sekisho.policies.model.UserReferences;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that need nothing but the policy files: every role a rule names is defined, every role
 * matches someone, mask parameters are in range, and policy expressions are non-empty single
 * expressions whose placeholders are {@code :user.<attribute>}. Whether tables and columns exist,
 * masks fit column types and expressions compile is the planner's semantic check.
 */
public final class StructuralChecks
        implements PolicyCheck
{
    @Override
    public List<PolicyProblem> check(PolicySet policies)
    {
        List<PolicyProblem> problems = new ArrayList<>();
        for (Role role : sorted(policies.roles().values(), Role::origin)) {
            if (role.groups().isEmpty() && role.users().isEmpty()) {
                problems.add(new PolicyProblem(role.origin(), "roles." + role.name(),
                        "role matches nobody; give groups and/or users, e.g. {groups: [analysts]}"));
            }
        }
        for (TableRule table : sorted(policies.tables().values(), TableRule::origin)) {
            String path = "tables." + table.pattern();
            table.allow().ifPresent(allow -> roles(policies, allow, path + ".allow", problems));
            roles(policies, table.deny(), path + ".deny", problems);
            roles(policies, table.unmaskedFor(), path + ".unmasked_for", problems);
            roles(policies, table.unfilteredFor(), path + ".unfiltered_for", problems);
            for (ColumnRule column : sorted(table.columns().values(), ColumnRule::origin)) {
                String columnPath = path + ".columns." + column.name();
                column.allow().ifPresent(allow -> roles(policies, allow, columnPath + ".allow", problems));
                roles(policies, column.deny(), columnPath + ".deny", problems);
                roles(policies, column.unmaskedFor(), columnPath + ".unmasked_for", problems);
                column.mask().ifPresent(mask -> mask(mask, column.origin(), columnPath + ".mask", problems));
            }
            Map<String, RowFilter> names = new HashMap<>();
            for (int i = 0; i < table.rowFilters().size(); i++) {
                RowFilter filter = table.rowFilters().get(i);
                String filterPath = path + ".row_filters[" + i + "]";
                RowFilter previous = names.putIfAbsent(filter.name(), filter);
                if (previous != null) {
                    problems.add(new PolicyProblem(filter.origin(), filterPath + ".name",
                            "row filter name '%s' is also used at %s; names must be unique within a table".formatted(filter.name(), previous.origin())));
                }
                filter.grantees().ifPresent(grantees -> roles(policies, grantees, filterPath + ".for", problems));
                expression(filter.where(), filter.origin(), filterPath + ".where", problems);
            }
        }
        return List.copyOf(problems);
    }

    private static void roles(PolicySet policies, List<Grantee> grantees, String path, List<PolicyProblem> problems)
    {
        for (Grantee grantee : grantees) {
            if (grantee.kind() == Grantee.Kind.ROLE && !policies.roles().containsKey(grantee.name())) {
                String suggestion = DidYouMean.suffix(grantee.name(), policies.roles().keySet());
                problems.add(new PolicyProblem(grantee.origin(), path,
                        "unknown role '%s'%s (define it under roles:, or write group:%s for a group or user:%s for a user)"
                                .formatted(grantee.name(), suggestion, grantee.name(), grantee.name())));
            }
        }
    }

    private static void mask(Mask mask, SourceLocation location, String path, List<PolicyProblem> problems)
    {
        if (mask instanceof Mask.Partial partial) {
            if (partial.keepFirst() < 0) {
                problems.add(new PolicyProblem(location, path + ".partial.keep_first", "must not be negative: " + partial.keepFirst()));
            }
            if (partial.keepLast() < 0) {
                problems.add(new PolicyProblem(location, path + ".partial.keep_last", "must not be negative: " + partial.keepLast()));
            }
            if (partial.maskChar().codePointCount(0, partial.maskChar().length()) != 1) {
                problems.add(new PolicyProblem(location, path + ".partial.mask_char", "must be exactly one character, not '%s'".formatted(partial.maskChar())));
            }
        }
        else if (mask instanceof Mask.Round round) {
            if (round.step().signum() <= 0) {
                problems.add(new PolicyProblem(location, path + ".round", "the step must be greater than 0, not " + round.step().toPlainString()));
            }
        }
        else if (mask instanceof Mask.Sql sql) {
            expression(sql.expression(), location, path + ".sql", problems);
        }
    }

    private static void expression(String sql, SourceLocation location, String path, List<PolicyProblem> problems)
    {
        if (sql.isBlank()) {
            problems.add(new PolicyProblem(location, path, "is empty; write a SQL expression"));
            return;
        }
        if (sql.indexOf(';') >= 0) {
            problems.add(new PolicyProblem(location, path, "must be one SQL expression, without ';'"));
        }
        for (UserReferences.Reference reference : UserReferences.find(sql)) {
            if (reference.attribute().isEmpty()) {
                String body = reference.text().substring(1);
                Optional<String> guess = body.contains(".") ? Optional.empty() : Optional.of(":user." + body);
                problems.add(new PolicyProblem(location, path, "'%s' is not a user attribute; write :user.name, :user.groups or :user.<attribute>%s"
                        .formatted(reference.text(), guess.map(g -> " (e.g. " + g + ")").orElse(""))));
            }
        }
    }

    private static <T> List<T> sorted(java.util.Collection<T> values, java.util.function.Function<T, SourceLocation> location)
    {
        return values.stream()
                .sorted(Comparator.comparing((T value) -> location.apply(value).file()).thenComparingInt(value -> location.apply(value).line()))
                .toList();
    }
}
