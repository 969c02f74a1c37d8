package dev.sekisho.policies;

import dev.sekisho.policies.model.ColumnRule;
import dev.sekisho.policies.model.DefaultAccess;
import dev.sekisho.policies.model.Grantee;
import dev.sekisho.policies.model.Mask;
import dev.sekisho.policies.model.RowFilter;
import dev.sekisho.policies.model.RowFilterMode;
import dev.sekisho.policies.model.TableName;
import dev.sekisho.policies.model.TableRule;
import dev.sekisho.policies.model.UserReferences;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Decides what a principal may see of a table under one snapshot. Pure and cheap: create one per
 * statement from {@link PolicyStore#current()} and call it for every table the statement touches.
 * Deny by default: a table without a rule under {@code defaults.access: deny}, a rule without an
 * {@code allow} that matches, any {@code deny} that matches, and row filters that cannot be
 * evaluated all take access away, never give it.
 */
public final class PolicyEvaluator
{
    private final PolicySet policies;

    public PolicyEvaluator(PolicySet policies)
    {
        this.policies = requireNonNull(policies, "policies is null");
    }

    public PolicySet policies()
    {
        return policies;
    }

    /** The roles the principal holds. */
    public Set<String> rolesOf(Principal principal)
    {
        return policies.rolesOf(principal);
    }

    /** Whether the principal may see the table at all (the catalog shows only such tables). */
    public boolean isVisible(Principal principal, TableName table)
    {
        return evaluate(principal, table).visible();
    }

    /** The effective policy of one table for one principal. */
    public EffectivePolicy evaluate(Principal principal, TableName table)
    {
        requireNonNull(principal, "principal is null");
        requireNonNull(table, "table is null");
        Set<String> roles = policies.rolesOf(principal);
        Matcher matcher = new Matcher(principal, roles);
        List<FiredRule> fired = new ArrayList<>();

        Optional<TableRule> found = policies.ruleFor(table);
        if (found.isEmpty()) {
            boolean allowed = policies.defaults().access() == DefaultAccess.ALLOW;
            fired.add(new FiredRule(FiredRule.Kind.DEFAULT_ACCESS, "no rule for %s: defaults.access: %s".formatted(table, allowed ? "allow" : "deny"), policies.defaults().origin()));
            return allowed ? unrestricted(table, roles, fired) : invisible(table, roles, fired);
        }
        TableRule rule = found.get();
        String where = rule.pattern();
        Optional<Grantee> denied = matcher.first(rule.deny());
        if (denied.isPresent()) {
            fired.add(new FiredRule(FiredRule.Kind.TABLE_DENIED, "%s: deny %s".formatted(where, denied.get()), denied.get().origin()));
            return invisible(table, roles, fired);
        }
        if (rule.allow().isPresent()) {
            Optional<Grantee> allowed = matcher.first(rule.allow().get());
            if (allowed.isEmpty()) {
                fired.add(new FiredRule(FiredRule.Kind.TABLE_DENIED, "%s: not in allow".formatted(where), rule.origin()));
                return invisible(table, roles, fired);
            }
            fired.add(new FiredRule(FiredRule.Kind.TABLE_ALLOWED, "%s: allow %s".formatted(where, allowed.get()), allowed.get().origin()));
        }
        else if (policies.defaults().access() == DefaultAccess.ALLOW) {
            fired.add(new FiredRule(FiredRule.Kind.TABLE_ALLOWED, "%s: no allow list, defaults.access: allow".formatted(where), policies.defaults().origin()));
        }
        else {
            fired.add(new FiredRule(FiredRule.Kind.TABLE_DENIED, "%s: no allow list, defaults.access: deny".formatted(where), rule.origin()));
            return invisible(table, roles, fired);
        }

        Map<String, ParameterValue> parameters = new HashMap<>();
        Set<String> deniedColumns = new LinkedHashSet<>();
        Map<String, Mask> masks = new TreeMap<>();
        Optional<Grantee> tableUnmasked = matcher.first(rule.unmaskedFor());
        for (ColumnRule column : sortedColumns(rule)) {
            Optional<Grantee> columnDenied = matcher.first(column.deny());
            if (columnDenied.isPresent()) {
                deniedColumns.add(column.name());
                fired.add(new FiredRule(FiredRule.Kind.COLUMN_DENIED, "%s.%s: deny %s".formatted(where, column.name(), columnDenied.get()), columnDenied.get().origin()));
                continue;
            }
            if (column.allow().isPresent() && matcher.first(column.allow().get()).isEmpty()) {
                deniedColumns.add(column.name());
                fired.add(new FiredRule(FiredRule.Kind.COLUMN_DENIED, "%s.%s: not in allow".formatted(where, column.name()), column.origin()));
                continue;
            }
            if (column.mask().isEmpty()) {
                continue;
            }
            Optional<Grantee> unmasked = matcher.first(column.unmaskedFor()).or(() -> tableUnmasked);
            if (unmasked.isPresent()) {
                fired.add(new FiredRule(FiredRule.Kind.UNMASKED, "%s.%s: unmasked_for %s".formatted(where, column.name(), unmasked.get()), unmasked.get().origin()));
                continue;
            }
            Mask mask = column.mask().get();
            if (mask instanceof Mask.Sql sql) {
                Map<String, ParameterValue> maskParameters = new HashMap<>();
                Set<String> missing = bind(principal, UserReferences.attributes(sql.expression()), maskParameters);
                if (missing.isEmpty()) {
                    parameters.putAll(maskParameters);
                }
                else {
                    // The expression cannot be evaluated for this user: the column shows NULL, never the raw value.
                    mask = new Mask.Nullify();
                    fired.add(new FiredRule(FiredRule.Kind.MASK, "%s.%s: mask sql needs :user.%s, which %s lacks: nullify"
                            .formatted(where, column.name(), String.join(", :user.", missing), principal.name()), column.origin()));
                    masks.put(column.name(), mask);
                    continue;
                }
            }
            masks.put(column.name(), mask);
            fired.add(new FiredRule(FiredRule.Kind.MASK, "%s.%s: mask %s".formatted(where, column.name(), mask.describe()), column.origin()));
        }

        boolean noRows = false;
        List<RowFilter> permissive = new ArrayList<>();
        List<RowFilter> restrictive = new ArrayList<>();
        if (!rule.rowFilters().isEmpty()) {
            Optional<Grantee> unfiltered = matcher.first(rule.unfilteredFor());
            if (unfiltered.isPresent()) {
                fired.add(new FiredRule(FiredRule.Kind.UNFILTERED, "%s: unfiltered_for %s".formatted(where, unfiltered.get()), unfiltered.get().origin()));
            }
            else {
                Map<String, ParameterValue> filterParameters = new HashMap<>();
                for (RowFilter filter : rule.rowFilters()) {
                    if (filter.grantees().isPresent() && matcher.first(filter.grantees().get()).isEmpty()) {
                        continue;
                    }
                    Set<String> missing = bind(principal, filter.userAttributes(), filterParameters);
                    if (!missing.isEmpty()) {
                        fired.add(new FiredRule(FiredRule.Kind.ROW_FILTER_UNSATISFIED, "%s: row filter %s (%s) needs :user.%s, which %s lacks: admits no row"
                                .formatted(where, filter.name(), filter.mode().key(), String.join(", :user.", missing), principal.name()), filter.origin()));
                        if (filter.mode() == RowFilterMode.RESTRICTIVE) {
                            noRows = true;
                        }
                        continue;
                    }
                    fired.add(new FiredRule(FiredRule.Kind.ROW_FILTER, "%s: row filter %s (%s): %s".formatted(where, filter.name(), filter.mode().key(), filter.where()), filter.origin()));
                    (filter.mode() == RowFilterMode.PERMISSIVE ? permissive : restrictive).add(filter);
                }
                if (permissive.isEmpty() && !noRows) {
                    fired.add(new FiredRule(FiredRule.Kind.NO_ROWS, "%s: has row filters, and no permissive one grants rows to %s".formatted(where, principal.name()), rule.origin()));
                    noRows = true;
                }
                if (noRows) {
                    permissive.clear();
                    restrictive.clear();
                }
                else {
                    parameters.putAll(filterParameters);
                }
            }
        }
        return new EffectivePolicy(table, true, roles, deniedColumns, masks, noRows, permissive, restrictive, parameters, fired);
    }

    /** Binds the attributes a user has; returns those the user lacks. */
    private static Set<String> bind(Principal principal, Set<String> attributes, Map<String, ParameterValue> parameters)
    {
        Set<String> missing = new LinkedHashSet<>();
        for (String attribute : attributes) {
            Optional<ParameterValue> value = value(principal, attribute);
            if (value.isPresent()) {
                parameters.put(attribute, value.get());
            }
            else {
                missing.add(attribute);
            }
        }
        return missing;
    }

    /** {@code :user.name}, {@code :user.groups}, or an attribute; name and groups are reserved. */
    static Optional<ParameterValue> value(Principal principal, String attribute)
    {
        if (attribute.equals(UserReferences.NAME)) {
            return Optional.of(new ParameterValue.Text(principal.name()));
        }
        if (attribute.equals(UserReferences.GROUPS)) {
            return Optional.of(new ParameterValue.TextList(principal.groups().stream().sorted().toList()));
        }
        return Optional.ofNullable(principal.attributes().get(attribute)).map(ParameterValue.Text::new);
    }

    private static List<ColumnRule> sortedColumns(TableRule rule)
    {
        return rule.columns().values().stream()
                .sorted(Comparator.comparingInt((ColumnRule column) -> column.origin().line()).thenComparing(ColumnRule::name))
                .toList();
    }

    private static EffectivePolicy invisible(TableName table, Set<String> roles, List<FiredRule> fired)
    {
        return new EffectivePolicy(table, false, roles, Set.of(), Map.of(), true, List.of(), List.of(), Map.of(), fired);
    }

    private static EffectivePolicy unrestricted(TableName table, Set<String> roles, List<FiredRule> fired)
    {
        return new EffectivePolicy(table, true, roles, Set.of(), Map.of(), false, List.of(), List.of(), Map.of(), fired);
    }

    /** Whether grantee entries name this principal. */
    private static final class Matcher
    {
        private final Principal principal;
        private final Set<String> roles;

        Matcher(Principal principal, Set<String> roles)
        {
            this.principal = principal;
            this.roles = roles;
        }

        Optional<Grantee> first(List<Grantee> grantees)
        {
            for (Grantee grantee : grantees) {
                if (matches(grantee)) {
                    return Optional.of(grantee);
                }
            }
            return Optional.empty();
        }

        boolean matches(Grantee grantee)
        {
            switch (grantee.kind()) {
                case ROLE:
                    return roles.contains(grantee.name());
                case GROUP:
                    return grantee.name().equals(Grantee.EVERYONE) || principal.groups().contains(grantee.name());
                case USER:
                    return principal.name().equals(grantee.name());
                default:
                    throw new IllegalStateException("unknown grantee kind: " + grantee.kind());
            }
        }
    }
}
