package dev.sekisho.gateway.avatica;

import dev.sekisho.gateway.auth.ClientCertificateCheck;
import dev.sekisho.gateway.auth.LoginThrottle;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.execution.LoginRefusal;
import dev.sekisho.gateway.pgwire.PgTls;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.Principal;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
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
 * <p>Failed checks go through the PostgreSQL door's {@link LoginThrottle} (the same instance, so
 * attempts on either door count together, per user and per client address): each answer is
 * delayed, and a locked-out user or address is refused whatever the password, with the answer a
 * wrong password gets. An unknown user costs the same PBKDF2 work and gets the same answer as a
 * known one. Client-certificate requirements ({@code tls.clientcert}, a user's own) hold here too.
 *
 * <p>Avatica sends the credentials with every request, and PBKDF2 is slow on purpose; a password
 * verified once is remembered for a short while as a keyed SHA-256 digest (the key is random per
 * process, the password itself is not kept), so that a request costs a hash, not 4,096 of them.
 * What is remembered holds only while the users file has the same verifier for the user: a user
 * removed or disabled, or a password changed, is refused from the next request on. Thread-safe.
 */
final class BasicAuthenticator
{
    private static final Logger log = LoggerFactory.getLogger(BasicAuthenticator.class);
    private static final long REMEMBER_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final UserStore users;
    private final LoginThrottle throttle;
    private final ClientCertificateCheck serverCertificateCheck;
    /** Checked for a user who does not exist, so that the answer takes as long as for one who does. */
    private final ScramVerifier unknownUser;
    private final byte[] key = new byte[32];
    private final Map<String, Remembered> verified = new ConcurrentHashMap<>();

    /** A password verified against {@code verifier}: good while the users file still has that verifier for the user. */
    private record Remembered(byte[] digest, ScramVerifier verifier, long verifiedNanos) {}

    /**
     * A request whose credentials were refused: what its client is told, and how long the answer
     * waits (the throttle's delay; the caller waits without blocking a thread).
     */
    static final class Refused
            extends Exception
    {
        private static final long serialVersionUID = 1L;

        private final transient AvaticaRuntimeException error;
        private final transient Optional<String> user;
        private final transient Duration delay;
        private final LoginRefusal reason;

        Refused(AvaticaRuntimeException error, Optional<String> user, Duration delay, LoginRefusal reason)
        {
            super(error.getMessage(), null, false, false);
            this.reason = requireNonNull(reason, "reason is null");
            this.error = requireNonNull(error, "error is null");
            this.user = requireNonNull(user, "user is null");
            this.delay = requireNonNull(delay, "delay is null");
        }

        AvaticaRuntimeException error()
        {
            return error;
        }

        /** The user name the client sent, when its header had one (for the audit trail). */
        Optional<String> user()
        {
            return user;
        }

        String sqlState()
        {
            return error.getSqlState();
        }

        /** Why, for the audit trail (the client is told less). */
        LoginRefusal reason()
        {
            return reason;
        }

        Duration delay()
        {
            return delay;
        }
    }

    /**
     * @param throttle the failed-login counts shared with the PostgreSQL door
     * @param serverCertificateCheck what every client's certificate must satisfy ({@code tls.clientcert})
     */
    BasicAuthenticator(UserStore users, LoginThrottle throttle, ClientCertificateCheck serverCertificateCheck)
    {
        this.users = requireNonNull(users, "users is null");
        this.throttle = requireNonNull(throttle, "throttle is null");
        this.serverCertificateCheck = requireNonNull(serverCertificateCheck, "serverCertificateCheck is null");
        SecureRandom random = new SecureRandom();
        random.nextBytes(key);
        char[] password = new char[24];
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        this.unknownUser = ScramVerifier.create(password);
    }

    /**
     * The principal of an {@code Authorization} header's Basic credentials.
     *
     * @param certificate the client's TLS certificate, when it presented one (the handshake checked it against the client CA)
     * @param address the client's IP address, as the PostgreSQL door counts failed logins by it
     * @throws Refused 28P01 for a wrong user or password or a locked-out user or address (the same
     *         message for each, as PostgreSQL gives), 28000 for a header that is not Basic
     *         credentials or a missing client certificate
     */
    Principal authenticate(String authorization, Optional<X509Certificate> certificate, String address)
            throws Refused
    {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw refused(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION, "HTTP Basic authentication is required",
                    "Add authentication=BASIC;avatica_user=...;avatica_password=... to the JDBC URL.", null);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            throw refused(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION, "malformed HTTP Basic credentials", null, null);
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw refused(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION, "malformed HTTP Basic credentials", null, null);
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        Optional<UserRecord> record = users.lookup(user);
        ClientCertificateCheck required = serverCertificateCheck.strongest(record.map(UserRecord::clientCertificate).orElse(ClientCertificateCheck.NONE));
        if (required != ClientCertificateCheck.NONE) {
            checkClientCertificate(user, certificate, required, address);
            if (record.isPresent() && record.get().scram().isEmpty()) {
                // PostgreSQL's cert method, as on the PostgreSQL door: the certificate names the user
                return passed(user, record.get().principal(), address);
            }
        }
        // a locked-out user or address is refused whatever the password, remembered or not
        boolean lockedOut = throttle.isLockedOut(user, address);
        byte[] digest = digest(user, password);
        Remembered remembered = verified.get(user);
        long now = System.nanoTime();
        if (!lockedOut && remembered != null && now - remembered.verifiedNanos() < REMEMBER_NANOS && record.isPresent()
                && record.get().scram().equals(Optional.of(remembered.verifier())) && MessageDigest.isEqual(remembered.digest(), digest)) {
            // the record in force now: its groups and attributes, as a new login would get
            return record.get().principal();
        }
        // the same PBKDF2 work whether the user exists or not
        ScramVerifier verifier = record.flatMap(UserRecord::scram).orElse(unknownUser);
        boolean matches = verifier.matches(password.toCharArray());
        if (lockedOut || record.isEmpty() || record.get().scram().isEmpty() || !matches) {
            verified.remove(user);
            Duration delay = throttle.failed(user, address);
            LoginRefusal reason = lockedOut ? LoginRefusal.LOCKED_OUT : record.isEmpty() ? LoginRefusal.UNKNOWN_USER : LoginRefusal.WRONG_PASSWORD;
            throw new Refused(AvaticaErrors.error(SqlStates.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"", null),
                    Optional.of(user), delay, reason);
        }
        verified.put(user, new Remembered(digest, verifier, System.nanoTime()));
        return passed(user, record.get().principal(), address);
    }

    private Principal passed(String user, Principal principal, String address)
    {
        throttle.succeeded(user);
        log.debug("User {} authenticated over HTTP Basic from {}", user, address);
        return principal;
    }

    /** Refuses (28000) a request without the client certificate the user needs, as the PostgreSQL door does. */
    private static void checkClientCertificate(String user, Optional<X509Certificate> certificate, ClientCertificateCheck required, String address)
            throws Refused
    {
        if (certificate.isEmpty()) {
            log.info("Refused Avatica user \"{}\" from {}: no client certificate ({} required)", user, address, required.text());
            throw refused(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION, "connection requires a valid client certificate",
                    "Connect over https with a certificate signed by the gateway's client CA (keystore=... in the JDBC URL).", user, LoginRefusal.CLIENT_CERTIFICATE);
        }
        if (required == ClientCertificateCheck.VERIFY_FULL) {
            Optional<String> commonName = PgTls.commonName(certificate.get());
            if (!commonName.map(user::equals).orElse(false)) {
                log.info("Refused Avatica user \"{}\" from {}: the client certificate names \"{}\"", user, address, commonName.orElse(""));
                throw refused(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION, "certificate authentication failed for user \"" + user + "\"",
                        "The CN of the client certificate must be the user name.", user, LoginRefusal.CLIENT_CERTIFICATE);
            }
        }
    }

    private static Refused refused(String sqlState, String message, String hint, String user)
    {
        return refused(sqlState, message, hint, user, LoginRefusal.PROTOCOL_VIOLATION);
    }

    private static Refused refused(String sqlState, String message, String hint, String user, LoginRefusal reason)
    {
        return new Refused(AvaticaErrors.error(sqlState, message, hint), Optional.ofNullable(user), Duration.ZERO, reason);
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
