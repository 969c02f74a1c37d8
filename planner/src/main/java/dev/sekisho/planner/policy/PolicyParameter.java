package dev.sekisho.planner.policy;

import dev.sekisho.policies.Principal;
import dev.sekisho.policies.model.UserReferences;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A value that a policy binds to a secured plan, after the client's own parameters: the
 * {@code hash} salt, a user attribute ({@code :user.region}), or one item of {@code :user.groups}.
 * Plans hold only these references; the values are bound at execute time, so a plan is shared by
 * every principal with the same effective policy and never carries a user's values in SQL text.
 *
 * @param attribute the attribute ({@code name}, {@code groups}, {@code region}, ...), or
 *         {@link #SALT_NAME} for the hash salt
 * @param item for {@code :user.groups}: the index in the sorted list; otherwise -1
 */
public record PolicyParameter(String attribute, int item)
{
    static final String SALT_NAME = "(hash salt)";
    static final PolicyParameter SALT = new PolicyParameter(SALT_NAME, -1);

    public PolicyParameter
    {
        requireNonNull(attribute, "attribute is null");
    }

    static PolicyParameter attribute(String attribute)
    {
        return new PolicyParameter(attribute, -1);
    }

    static PolicyParameter groupItem(int item)
    {
        return new PolicyParameter(UserReferences.GROUPS, item);
    }

    boolean isSalt()
    {
        return attribute.equals(SALT_NAME);
    }

    /** The value for a principal, as {@code PolicyEvaluator} binds it; empty if the principal lacks it. */
    Optional<String> value(Principal principal, Optional<String> salt)
    {
        if (isSalt()) {
            return salt;
        }
        if (item >= 0) {
            return principal.groups().stream().sorted().skip(item).findFirst();
        }
        if (attribute.equals(UserReferences.NAME)) {
            return Optional.of(principal.name());
        }
        return Optional.ofNullable(principal.attributes().get(attribute));
    }

    @Override
    public String toString()
    {
        if (isSalt()) {
            return SALT_NAME;
        }
        return ":user." + attribute + (item >= 0 ? "[" + item + "]" : "");
    }
}
