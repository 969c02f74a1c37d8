package dev.sekisho.policies.guard;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The {@code resource_groups} section.
 *
 * @param groups the groups by name
 * @param selectors how a statement finds its group, first match wins
 * @param defaultGroup the group of statements no selector matches; empty: they run without a group
 */
public record ResourceGroups(Map<String, ResourceGroup> groups, List<GroupSelector> selectors, Optional<String> defaultGroup)
{
    private static final ResourceGroups NONE = new ResourceGroups(Map.of(), List.of(), Optional.empty());

    public ResourceGroups
    {
        groups = Map.copyOf(groups);
        selectors = List.copyOf(selectors);
        requireNonNull(defaultGroup, "defaultGroup is null");
    }

    /** No resource groups: statements run as the worker pool allows. */
    public static ResourceGroups none()
    {
        return NONE;
    }
}
