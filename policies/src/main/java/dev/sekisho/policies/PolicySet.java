package dev.sekisho.policies;

import dev.sekisho.policies.model.Defaults;
import dev.sekisho.policies.model.Role;
import dev.sekisho.policies.model.TableName;
import dev.sekisho.policies.model.TableRule;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Collections.unmodifiableSet;
import static java.util.Objects.requireNonNull;

/**
 * One immutable snapshot of the policy files: what {@link PolicyStore#current()} hands out and
 * {@link PolicyEvaluator} evaluates. Never changed in place; a reload builds a new one.
 *
 * @param version a fingerprint of the files' names and contents ({@code sha256:} and 16 hex digits)
 * @param files the files it was read from, in the order read
 * @param defaults the {@code defaults} section
 * @param roles roles by name
 * @param tables table rules by lower-case pattern ({@code shop.customers}, {@code shop.*})
 */
public record PolicySet(String version, List<String> files, Defaults defaults, Map<String, Role> roles, Map<String, TableRule> tables)
{
    private static final PolicySet DENY_ALL = new PolicySet("none", List.of(), Defaults.denyByDefault(), Map.of(), Map.of());

    public PolicySet
    {
        requireNonNull(version, "version is null");
        files = List.copyOf(files);
        requireNonNull(defaults, "defaults is null");
        roles = Map.copyOf(roles);
        tables = Map.copyOf(tables);
    }

    /** The snapshot used while no policy has loaded: no rules, deny by default, so nothing is visible. */
    public static PolicySet denyAll()
    {
        return DENY_ALL;
    }

    /** The rule for a table: its own rule, else its schema's {@code schema.*} rule. */
    public Optional<TableRule> ruleFor(TableName table)
    {
        TableRule rule = tables.get(table.toString());
        if (rule == null) {
            rule = tables.get(table.schema() + ".*");
        }
        return Optional.ofNullable(rule);
    }

    /** The names of the roles the principal holds, by user name or group (sorted). */
    public Set<String> rolesOf(Principal principal)
    {
        Set<String> held = new LinkedHashSet<>();
        roles.values().stream()
                .filter(role -> role.heldBy(principal.name(), principal.groups()))
                .map(Role::name)
                .sorted()
                .forEach(held::add);
        return unmodifiableSet(held);
    }
}
