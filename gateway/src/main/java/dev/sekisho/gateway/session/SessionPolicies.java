package dev.sekisho.gateway.session;

import dev.sekisho.planner.SessionContext;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Decides which policy the planner applies to a session's next statement. Asked once per
 * statement, so that a reloaded policy holds from the next statement on.
 */
@FunctionalInterface
public interface SessionPolicies
{
    /** What the planner is told about one statement of this principal. */
    SessionContext context(Principal principal, List<String> searchPath);

    /**
     * Who a statement of {@code account} runs for: the end user it names, when the policy trusts
     * the account to name one (Redash's annotation, {@code SET sekisho.end_user}); otherwise the
     * account itself. Policies disabled: always the account.
     *
     * @throws dev.sekisho.planner.spi.QueryException 28000 for an end user the users file does not
     *         know while the policy's {@code unknown_end_user} is deny
     */
    default Principal actingFor(Principal account, Optional<String> endUser)
    {
        return account;
    }

    /**
     * {@code SHOW sekisho.budget} for {@code principal}: account, period, limit, spent, reserved
     * and left bytes of each allowance that applies (empty without budgets).
     */
    default List<List<Object>> budget(Principal principal)
    {
        return List.of();
    }

    /** No policies configured: every user sees every exposed table (the gateway warns at start). */
    static SessionPolicies disabled()
    {
        return (principal, searchPath) -> new SessionContext(principal.name(), searchPath);
    }

    /** The current snapshot of a policy store, read afresh for every statement. */
    static SessionPolicies of(Supplier<PolicySet> current)
    {
        return of(current, name -> Optional.empty());
    }

    /**
     * The current snapshot of a policy store, read afresh for every statement, with the users an
     * end user named by a trusted account is looked up in.
     */
    static SessionPolicies of(Supplier<PolicySet> current, Function<String, Optional<Principal>> users)
    {
        return of(current, users, principal -> List.of());
    }

    /**
     * As {@link #of(Supplier, Function)}, with what {@code SHOW sekisho.budget} answers for a principal.
     */
    static SessionPolicies of(Supplier<PolicySet> current, Function<String, Optional<Principal>> users, Function<Principal, List<List<Object>>> budget)
    {
        requireNonNull(budget, "budget is null");
        requireNonNull(current, "current is null");
        requireNonNull(users, "users is null");
        return new SessionPolicies()
        {
            @Override
            public SessionContext context(Principal principal, List<String> searchPath)
            {
                return SessionContext.withPolicy(principal, current.get(), searchPath);
            }

            @Override
            public Principal actingFor(Principal account, Optional<String> endUser)
            {
                return EndUserResolver.resolve(current.get().endUsers(), account, endUser, users);
            }

            @Override
            public List<List<Object>> budget(Principal principal)
            {
                return budget.apply(principal);
            }
        };
    }
}
