package dev.sekisho.gateway.session;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.guard.EndUsers;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Who a statement runs for when it comes through a shared account: the policy's
 * {@code end_users.trusted_accounts} may name the person they act for (Redash's annotation,
 * Tableau's {@code SET sekisho.end_user}); that person's masks, filters, budgets and resource group
 * then apply. From an account that is not trusted the name changes nothing.
 */
final class EndUserResolver
{
    private EndUserResolver() {}

    static Principal resolve(EndUsers policy, Principal account, Optional<String> endUser, Function<String, Optional<Principal>> users)
    {
        if (endUser.isEmpty() || endUser.get().isBlank() || !policy.trusts(account.name())) {
            return account;
        }
        String name = endUser.get().strip();
        Optional<Principal> known = users.apply(name);
        if (known.isPresent()) {
            return known.get();
        }
        if (policy.unknownRole().isPresent()) {
            return new Principal(name, Set.of(EndUsers.UNKNOWN_END_USER_GROUP), Map.of());
        }
        throw new QueryException(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION,
                "end user \"" + name + "\" named by account \"" + account.name() + "\" is not in the users file",
                "Add the user to the users file, or set end_users.unknown_end_user to a role in the policy (" + policy.origin() + ").", null);
    }
}
