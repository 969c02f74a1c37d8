package dev.sekisho.policies;

import dev.sekisho.policies.guard.Budgets;
import dev.sekisho.policies.guard.EndUsers;
import dev.sekisho.policies.guard.ResourceGroups;
import dev.sekisho.policies.model.Defaults;
import dev.sekisho.policies.model.Grantee;
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
 * @param budgets the {@code budgets} section
 * @param resourceGroups the {@code resource_groups} section
 * @param endUsers the {@code end_users} section
 */
public record PolicySet(String version, List<String> files, Defaults defaults, Map<String, Role> roles, Map<String, TableRule> tables, Budgets budgets,
        ResourceGroups resourceGroups, EndUsers endUsers)
{
    private static final PolicySet DENY_ALL = new PolicySet("none", List.of(), Defaults.denyByDefault(), Map.of(), Map.of());

    public PolicySet
    {
        requireNonNull(version, "version is null");
        files = List.copyOf(files);
        requireNonNull(defaults, "defaults is null");
        roles = Map.copyOf(roles);
        tables = Map.copyOf(tables);
        requireNonNull(budgets, "budgets is null");
        requireNonNull(resourceGroups, "resourceGroups is null");
        requireNonNull(endUsers, "endUsers is null");
    }

    /** A snapshot without budgets, resource groups or trusted accounts. */
    public PolicySet(String version, List<String> files, Defaults defaults, Map<String, Role> roles, Map<String, TableRule> tables)
    {
        this(version, files, defaults, roles, tables, Budgets.none(), ResourceGroups.none(), EndUsers.none());
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
                .filter(role -> role.heldBy(principal.name(), principal.groups())
                        || principal.groups().contains(EndUsers.UNKNOWN_END_USER_GROUP) && endUsers.unknownRole().filter(role.name()::equals).isPresent())
                .map(Role::name)
                .sorted()
                .forEach(held::add);
        return unmodifiableSet(held);
    }

    /** Whether the principal is one of {@code grantees} (a role it holds, its group, or its name); an empty list holds nobody. */
    public boolean isAny(Principal principal, List<Grantee> grantees)
    {
        Set<String> roles = null;
        for (Grantee grantee : grantees) {
            switch (grantee.kind()) {
                case USER -> {
                    if (grantee.name().equals(principal.name())) {
                        return true;
                    }
                }
                case GROUP -> {
                    if (grantee.name().equals(Grantee.EVERYONE) || principal.groups().contains(grantee.name())) {
                        return true;
                    }
                }
                case ROLE -> {
                    roles = roles == null ? rolesOf(principal) : roles;
                    if (roles.contains(grantee.name())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
