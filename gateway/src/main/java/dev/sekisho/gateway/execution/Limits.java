package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.session.SessionLimits;
import dev.sekisho.policies.Principal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * {@code limits:} of sekisho.yaml: what every user gets, and overrides per group and per user, in
 * the spirit of PostgreSQL's per-role settings. For one user a value comes from the user's own
 * entry, else from the groups the user is in (the tightest of those that set it: a non-zero value
 * beats zero), else from the top level. Group connection limits count all the group's members
 * together. Immutable.
 *
 * @param defaults the top level: every user
 * @param groups entries by group name
 * @param users entries by user name
 */
public record Limits(RoleLimits defaults, Map<String, RoleLimits> groups, Map<String, RoleLimits> users)
{
    /** Nothing limited. */
    public static final Limits NONE = new Limits(RoleLimits.NONE, Map.of(), Map.of());

    public Limits
    {
        requireNonNull(defaults, "defaults is null");
        groups = Map.copyOf(groups);
        users = Map.copyOf(users);
    }

    /** The session limits of {@code principal}. */
    public SessionLimits sessionLimits(Principal principal)
    {
        return new SessionLimits(
                duration(principal, RoleLimits::statementTimeout),
                duration(principal, RoleLimits::maxStatementTimeout),
                duration(principal, RoleLimits::idleSessionTimeout),
                duration(principal, RoleLimits::idleInTransactionSessionTimeout),
                number(principal, RoleLimits::maxResultRows),
                number(principal, RoleLimits::maxResultBytes));
    }

    /** How many connections this user may hold at once; 0: any. */
    public int maxConnectionsOfUser(String user)
    {
        RoleLimits own = users.get(user);
        if (own != null && own.maxConnections().isPresent()) {
            return own.maxConnections().getAsInt();
        }
        return defaults.maxConnections().orElse(0);
    }

    /** The groups of {@code principal} that limit their members' connections together, with their limits. */
    public Map<String, Integer> connectionLimitedGroups(Principal principal)
    {
        Map<String, Integer> limited = new TreeMap<>();
        for (String group : principal.groups()) {
            RoleLimits entry = groups.get(group);
            if (entry != null && entry.maxConnections().orElse(0) > 0) {
                limited.put(group, entry.maxConnections().getAsInt());
            }
        }
        return limited;
    }

    private Duration duration(Principal principal, Function<RoleLimits, Optional<Duration>> key)
    {
        RoleLimits own = users.get(principal.name());
        if (own != null && key.apply(own).isPresent()) {
            return key.apply(own).get();
        }
        List<Duration> fromGroups = principal.groups().stream()
                .map(groups::get)
                .filter(entry -> entry != null && key.apply(entry).isPresent())
                .map(entry -> key.apply(entry).get())
                .toList();
        if (!fromGroups.isEmpty()) {
            return fromGroups.stream().filter(value -> !value.isZero()).min(Duration::compareTo).orElse(Duration.ZERO);
        }
        return key.apply(defaults).orElse(Duration.ZERO);
    }

    private long number(Principal principal, Function<RoleLimits, OptionalLong> key)
    {
        RoleLimits own = users.get(principal.name());
        if (own != null && key.apply(own).isPresent()) {
            return key.apply(own).getAsLong();
        }
        List<Long> fromGroups = principal.groups().stream()
                .map(groups::get)
                .filter(entry -> entry != null && key.apply(entry).isPresent())
                .map(entry -> key.apply(entry).getAsLong())
                .toList();
        if (!fromGroups.isEmpty()) {
            return fromGroups.stream().filter(value -> value > 0).min(Long::compare).orElse(0L);
        }
        return key.apply(defaults).orElse(0);
    }
}
