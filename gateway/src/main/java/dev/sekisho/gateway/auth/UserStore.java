package dev.sekisho.gateway.auth;

import java.util.Map;
import java.util.Optional;

/**
 * Where users and their SCRAM verifiers come from. Thread-safe.
 */
public interface UserStore
{
    /** The user named {@code name} (exactly as sent in the startup packet), if there is one. */
    Optional<UserRecord> lookup(String name);

    /** A store over a fixed set of users, keyed by name. */
    static UserStore of(Map<String, UserRecord> users)
    {
        Map<String, UserRecord> copy = Map.copyOf(users);
        return name -> Optional.ofNullable(copy.get(name));
    }
}
