package dev.sekisho.gateway.admin;

import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.policies.Principal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Who may use the admin endpoint: HTTP Basic credentials checked against the users file's SCRAM
 * verifiers (the same password as for SQL), and membership of one of the admin groups. Unknown
 * users and wrong passwords are told the same thing.
 */
final class AdminAuthenticator
{
    /** The outcome of checking one request's credentials. */
    sealed interface Result
            permits Admitted, Unauthenticated, Forbidden
    {
    }

    record Admitted(Principal principal) implements Result {}

    /** No credentials, or wrong ones: 401. */
    record Unauthenticated(Optional<String> user) implements Result {}

    /** Right credentials, not an admin: 403. */
    record Forbidden(String user) implements Result {}

    private final UserStore users;
    private final Set<String> adminGroups;

    AdminAuthenticator(UserStore users, Set<String> adminGroups)
    {
        this.users = requireNonNull(users, "users is null");
        this.adminGroups = Set.copyOf(adminGroups);
    }

    Result check(Optional<String> authorization)
    {
        if (authorization.isEmpty() || !authorization.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            return new Unauthenticated(Optional.empty());
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.get().substring(6).trim()), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            return new Unauthenticated(Optional.empty());
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return new Unauthenticated(Optional.empty());
        }
        String user = decoded.substring(0, colon);
        char[] password = decoded.substring(colon + 1).toCharArray();
        try {
            Optional<UserRecord> record = users.lookup(user);
            if (record.isEmpty() || !record.get().verifier().matches(password)) {
                return new Unauthenticated(Optional.of(user));
            }
            Principal principal = record.get().principal();
            if (principal.groups().stream().noneMatch(adminGroups::contains)) {
                return new Forbidden(user);
            }
            return new Admitted(principal);
        }
        finally {
            Arrays.fill(password, '\0');
        }
    }
}
