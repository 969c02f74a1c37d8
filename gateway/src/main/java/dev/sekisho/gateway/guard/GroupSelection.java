package dev.sekisho.gateway.guard;

import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.guard.GroupSelector;
import dev.sekisho.policies.guard.ResourceGroup;

import java.util.Map;
import java.util.Optional;

/** Which resource group a statement goes to: the first selector of the policy that matches, else the default group. */
final class GroupSelection
{
    private GroupSelection() {}

    /**
     * @param principal who the statement runs for (the end user behind a trusted account)
     * @param applicationName the session's {@code application_name}
     * @param scheduled Redash's {@code Scheduled:} annotation, if the statement has one
     */
    static Optional<ResourceGroup> select(PolicySet policies, Principal principal, String applicationName, Optional<Boolean> scheduled)
    {
        for (GroupSelector selector : policies.resourceGroups().selectors()) {
            if (matches(policies, selector, principal, applicationName, scheduled)) {
                return Optional.ofNullable(policies.resourceGroups().groups().get(selector.group()));
            }
        }
        return policies.resourceGroups().defaultGroup().map(policies.resourceGroups().groups()::get);
    }

    private static boolean matches(PolicySet policies, GroupSelector selector, Principal principal, String applicationName, Optional<Boolean> scheduled)
    {
        if (selector.scheduled().isPresent() && !selector.scheduled().equals(scheduled)) {
            return false;
        }
        if (!selector.matchesApplication(applicationName)) {
            return false;
        }
        for (Map.Entry<String, String> attribute : selector.attributes().entrySet()) {
            if (!attribute.getValue().equals(principal.attributes().get(attribute.getKey()))) {
                return false;
            }
        }
        return selector.grantees().isEmpty() || policies.isAny(principal, selector.grantees().get());
    }
}
