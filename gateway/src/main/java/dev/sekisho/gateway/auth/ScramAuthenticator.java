package dev.sekisho.gateway.auth;

import com.ongres.scram.common.ScramFunctions;
import dev.sekisho.policies.Principal;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL runs it. Over TLS,
 * {@code SCRAM-SHA-256-PLUS} is offered too, with channel binding {@code tls-server-end-point}
 * (RFC 5929: the hash of the server certificate), so that a client requiring channel binding
 * ({@code channel_binding=require}) knows no one in the middle relayed the exchange; a client that
 * says it supports channel binding but thinks the server does not ({@code y,,} over TLS) is refused,
 * as a downgrade. The user name inside client-first-message is ignored in favour of the startup
 * packet's. Unknown users go through a mock exchange with a stable fake salt, so that a
 * client cannot tell them from wrong passwords. Thread-safe; each connection uses its own
 * {@link Exchange}.
 */
public final class ScramAuthenticator
{
    public static final String MECHANISM = "SCRAM-SHA-256";
    public static final String MECHANISM_PLUS = "SCRAM-SHA-256-PLUS";
    public static final String CHANNEL_BINDING_TYPE = "tls-server-end-point";
    private static final int NONCE_BYTES = 18;

    private final UserStore users;
    private final SecureRandom random = new SecureRandom();
    private final byte[] mockSecret = new byte[32];

    public ScramAuthenticator(UserStore users)
    {
        this.users = requireNonNull(users, "users is null");
        random.nextBytes(mockSecret);
    }

    /** Starts an exchange for the user named in the startup packet, on a connection without TLS. */
    public Exchange start(String user)
    {
        return start(user, Optional.empty());
    }

    /**
     * Starts an exchange for the user named in the startup packet.
     *
     * @param channelBinding over TLS, the {@code tls-server-end-point} data of the server certificate
     *         (then {@code SCRAM-SHA-256-PLUS} is offered); empty otherwise
     */
    public Exchange start(String user, Optional<byte[]> channelBinding)
    {
        return start(user, channelBinding, false);
    }

    /**
     * Starts an exchange that may be bound to fail: a locked-out user or address goes through the
     * whole exchange like anyone else, and gets the answer of a wrong password at its end.
     *
     * @param refuse whether the exchange fails whatever the password
     */
    public Exchange start(String user, Optional<byte[]> channelBinding, boolean refuse)
    {
        requireNonNull(channelBinding, "channelBinding is null");
        requireNonNull(user, "user is null");
        Optional<UserRecord> record = users.lookup(user);
        // a user who logs in by certificate alone has no password: no proof can match the mock
        ScramVerifier verifier = record.flatMap(UserRecord::scram).orElseGet(() -> mockVerifier(user));
        Optional<Principal> principal = refuse || record.flatMap(UserRecord::scram).isEmpty() ? Optional.empty() : record.map(UserRecord::principal);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return new Exchange(user, principal, verifier, Base64.getEncoder().encodeToString(nonce), channelBinding);
    }

    /** The users this authenticator reads (their records and certificate requirements). */
    public UserStore users()
    {
        return users;
    }

    private ScramVerifier mockVerifier(String user)
    {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(mockSecret);
            byte[] salt = Arrays.copyOf(digest.digest(user.getBytes(StandardCharsets.UTF_8)), 16);
            byte[] keys = new byte[64];
            random.nextBytes(keys);
            return new ScramVerifier(ScramVerifier.DEFAULT_ITERATIONS, salt, Arrays.copyOf(keys, 32), Arrays.copyOfRange(keys, 32, 64));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One SCRAM exchange: client-first, then client-final. Not thread-safe. */
    public static final class Exchange
    {
        private final String user;
        private final Optional<Principal> principal;
        private final ScramVerifier verifier;
        private final String serverNonce;
        private final Optional<byte[]> channelBinding;
        private boolean bound;
        private String gs2Header;
        private String clientFirstBare;
        private String serverFirst;
        private String nonce;
        private boolean done;

        private Exchange(String user, Optional<Principal> principal, ScramVerifier verifier, String serverNonce, Optional<byte[]> channelBinding)
        {
            this.user = user;
            this.principal = principal;
            this.verifier = verifier;
            this.serverNonce = serverNonce;
            this.channelBinding = channelBinding.map(byte[]::clone);
        }

        /** The mechanisms to offer in AuthenticationSASL, in the order PostgreSQL lists them. */
        public java.util.List<String> mechanisms()
        {
            return channelBinding.isPresent() ? java.util.List.of(MECHANISM_PLUS, MECHANISM) : java.util.List.of(MECHANISM);
        }

        /**
         * Handles SASLInitialResponse.
         *
         * @return server-first-message
         * @throws QueryException 08P01 for a malformed message or a mechanism other than SCRAM-SHA-256
         */
        public String clientFirst(String mechanism, String message)
        {
            if (serverFirst != null) {
                throw protocolError("unexpected SASLInitialResponse");
            }
            boolean plus = MECHANISM_PLUS.equals(mechanism) && channelBinding.isPresent();
            if (!MECHANISM.equals(mechanism) && !plus) {
                throw protocolError("client selected an invalid SASL authentication mechanism");
            }
            int firstComma = message.indexOf(',');
            if (firstComma < 0) {
                throw protocolError("malformed SCRAM message: incomplete gs2 header");
            }
            String flag = message.substring(0, firstComma);
            if (plus) {
                if (!flag.startsWith("p=")) {
                    throw protocolError("malformed SCRAM message: the client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include channel binding data");
                }
                if (!flag.equals("p=" + CHANNEL_BINDING_TYPE)) {
                    throw protocolError("unsupported SCRAM channel-binding type \"" + flag.substring(2) + "\": Sekisho supports " + CHANNEL_BINDING_TYPE);
                }
                bound = true;
            }
            else if (flag.startsWith("p=")) {
                throw protocolError("malformed SCRAM message: the client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data");
            }
            else if (flag.equals("y") && channelBinding.isPresent()) {
                // the client could bind but believes the server cannot: someone may have stripped -PLUS from the offer
                throw protocolError("SCRAM channel binding negotiation error: the client supports SCRAM channel binding but thinks the server does not; "
                        + "this server does support channel binding");
            }
            else if (!flag.equals("n") && !flag.equals("y")) {
                throw protocolError("malformed SCRAM message: unexpected channel-binding flag");
            }
            int secondComma = message.indexOf(',', firstComma + 1);
            if (secondComma < 0) {
                throw protocolError("malformed SCRAM message: incomplete gs2 header");
            }
            if (secondComma != firstComma + 1) {
                throw protocolError("client uses authorization identity, but it is not supported");
            }
            gs2Header = message.substring(0, secondComma + 1);
            clientFirstBare = message.substring(secondComma + 1);
            String[] attributes = clientFirstBare.split(",", -1);
            if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
                throw protocolError("malformed SCRAM message: expected n=<user>,r=<nonce>");
            }
            String clientNonce = attributes[1].substring(2);
            if (clientNonce.isEmpty() || !isPrintable(clientNonce)) {
                throw protocolError("malformed SCRAM message: invalid client nonce");
            }
            nonce = clientNonce + serverNonce;
            serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(verifier.salt()) + ",i=" + verifier.iterations();
            return serverFirst;
        }

        /**
         * Handles SASLResponse.
         *
         * @return server-final-message ({@code v=<ServerSignature>}) when the proof is right
         * @throws QueryException 28P01 for a wrong proof or an unknown user; 08P01 for a malformed message
         */
        public String clientFinal(String message)
        {
            if (serverFirst == null || done) {
                throw protocolError("unexpected SASLResponse");
            }
            done = true;
            int proofAt = message.lastIndexOf(",p=");
            if (!message.startsWith("c=") || proofAt < 0) {
                throw protocolError("malformed SCRAM message: expected c=...,r=...,p=...");
            }
            String withoutProof = message.substring(0, proofAt);
            String[] attributes = withoutProof.split(",", -1);
            if (attributes.length < 2 || !attributes[1].startsWith("r=")) {
                throw protocolError("malformed SCRAM message: expected c=...,r=...,p=...");
            }
            byte[] channelBinding;
            byte[] proof;
            try {
                channelBinding = Base64.getDecoder().decode(attributes[0].substring(2));
                proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
            }
            catch (IllegalArgumentException e) {
                throw protocolError("malformed SCRAM message: invalid base64");
            }
            byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
            byte[] expected = header;
            if (bound) {
                byte[] data = this.channelBinding.orElseThrow();
                expected = Arrays.copyOf(header, header.length + data.length);
                System.arraycopy(data, 0, expected, header.length, data.length);
            }
            if (!MessageDigest.isEqual(channelBinding, expected)) {
                throw protocolError("SCRAM channel binding check failed");
            }
            if (!attributes[1].substring(2).equals(nonce)) {
                throw protocolError("malformed SCRAM message: nonce does not match");
            }
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] authBytes = authMessage.getBytes(StandardCharsets.UTF_8);
            byte[] storedKey = verifier.storedKey();
            byte[] clientSignature = ScramFunctions.hmac(ScramVerifier.MECHANISM, storedKey, authBytes);
            boolean valid = proof.length == clientSignature.length;
            if (valid) {
                byte[] clientKey = new byte[proof.length];
                for (int i = 0; i < proof.length; i++) {
                    clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
                }
                valid = MessageDigest.isEqual(ScramFunctions.hash(ScramVerifier.MECHANISM, clientKey), storedKey);
            }
            if (!valid || principal.isEmpty()) {
                throw authenticationFailed(user);
            }
            byte[] serverSignature = ScramFunctions.hmac(ScramVerifier.MECHANISM, verifier.serverKey(), authBytes);
            return "v=" + Base64.getEncoder().encodeToString(serverSignature);
        }

        /** The authenticated user; present only after {@link #clientFinal} succeeded. */
        public Principal principal()
        {
            if (!done || principal.isEmpty()) {
                throw new IllegalStateException("not authenticated");
            }
            return principal.get();
        }

        private static boolean isPrintable(String value)
        {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x21 || c > 0x7E || c == ',') {
                    return false;
                }
            }
            return true;
        }
    }

    /** The error for a wrong password or an unknown user; both read the same. */
    public static QueryException authenticationFailed(String user)
    {
        return new QueryException(SqlStates.INVALID_PASSWORD, "password authentication failed for user \"" + user + "\"");
    }

    private static QueryException protocolError(String message)
    {
        return new QueryException(SqlStates.PROTOCOL_VIOLATION, message);
    }
}
