package dev.sekisho.gateway.avatica;

import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.Principal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * HTTP Basic credentials checked against the users file the PostgreSQL door uses: the SCRAM
 * verifier stores a salt, an iteration count and the keys derived from the password, so deriving
 * the same keys from the password a client sends (PBKDF2 with the stored salt and iterations) and
 * comparing them in constant time checks it without the password ever being stored. The principal,
 * groups and attributes are the user's record, as for SCRAM.
 *
 * <p>Avatica sends the credentials with every request, and PBKDF2 is slow on purpose; a password
 * verified once is remembered for a short while as a keyed SHA-256 digest (the key is random per
 * process, the password itself is not kept), so that a request costs a hash, not 4,096 of them.
 * Thread-safe.
 */
final class BasicAuthenticator
{
    private static final long REMEMBER_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final UserStore users;
    private final byte[] key = new byte[32];
    private final Map<String, Remembered> verified = new ConcurrentHashMap<>();

    private record Remembered(byte[] digest, Principal principal, long verifiedNanos) {}

    BasicAuthenticator(UserStore users)
    {
        this.users = requireNonNull(users, "users is null");
        new SecureRandom().nextBytes(key);
    }

    /**
     * The principal of an {@code Authorization} header's Basic credentials.
     *
     * @throws org.apache.calcite.avatica.remote.AvaticaRuntimeException 28P01 for a wrong user or password (the same message
     *         for both, as PostgreSQL gives), 28000 for a header that is not Basic credentials
     */
    Principal authenticate(String authorization)
    {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw AvaticaErrors.error(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION, "HTTP Basic authentication is required",
                    "Add authentication=BASIC;avatica_user=...;avatica_password=... to the JDBC URL.");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            throw AvaticaErrors.error(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION, "malformed HTTP Basic credentials", null);
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw AvaticaErrors.error(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION, "malformed HTTP Basic credentials", null);
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        byte[] digest = digest(user, password);
        Remembered remembered = verified.get(user);
        long now = System.nanoTime();
        if (remembered != null && now - remembered.verifiedNanos() < REMEMBER_NANOS && MessageDigest.isEqual(remembered.digest(), digest)) {
            return remembered.principal();
        }
        Optional<UserRecord> record = users.lookup(user);
        if (record.isEmpty() || !record.get().verifier().matches(password.toCharArray())) {
            verified.remove(user);
            throw AvaticaErrors.error(SqlStates.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"", null);
        }
        Principal principal = record.get().principal();
        verified.put(user, new Remembered(digest, principal, now));
        return principal;
    }

    private byte[] digest(String user, String password)
    {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(key);
            sha.update(user.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return sha.digest(password.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
