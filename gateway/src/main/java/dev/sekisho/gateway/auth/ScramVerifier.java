package dev.sekisho.gateway.auth;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A SCRAM-SHA-256 verifier in PostgreSQL's format
 * {@code SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>}: what the
 * server keeps instead of the password (RFC 5802, RFC 7677). {@link #toString()} never shows keys.
 */
public final class ScramVerifier
{
    public static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_256;
    public static final int DEFAULT_ITERATIONS = 4096;
    private static final int SALT_BYTES = 16;
    private static final int KEY_BYTES = 32;
    private static final Pattern FORMAT = Pattern.compile("SCRAM-SHA-256\\$(\\d{1,9}):([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final byte[] salt;
    private final byte[] storedKey;
    private final byte[] serverKey;

    public ScramVerifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey)
    {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        requireNonNull(salt, "salt is null");
        requireNonNull(storedKey, "storedKey is null");
        requireNonNull(serverKey, "serverKey is null");
        if (salt.length == 0) {
            throw new IllegalArgumentException("salt is empty");
        }
        if (storedKey.length != KEY_BYTES || serverKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("StoredKey and ServerKey must be " + KEY_BYTES + " bytes for SCRAM-SHA-256");
        }
        this.iterations = iterations;
        this.salt = salt.clone();
        this.storedKey = storedKey.clone();
        this.serverKey = serverKey.clone();
    }

    /** A verifier for {@code password} with a random 16-byte salt and 4096 iterations, as PostgreSQL makes them. */
    public static ScramVerifier create(char[] password)
    {
        return create(password, ScramFunctions.salt(SALT_BYTES, RANDOM), DEFAULT_ITERATIONS);
    }

    /** A verifier for {@code password} with the given salt and iteration count. */
    public static ScramVerifier create(char[] password, byte[] salt, int iterations)
    {
        byte[] saltedPassword = ScramFunctions.saltedPassword(MECHANISM, StringPreparation.POSTGRESQL_PREPARATION, password, salt, iterations);
        byte[] clientKey = ScramFunctions.clientKey(MECHANISM, saltedPassword);
        return new ScramVerifier(iterations, salt, ScramFunctions.storedKey(MECHANISM, clientKey), ScramFunctions.serverKey(MECHANISM, saltedPassword));
    }

    /**
     * Parses PostgreSQL's verifier text.
     *
     * @throws IllegalArgumentException when the text is not a SCRAM-SHA-256 verifier (the message
     *         never repeats the text, which may be a plain password)
     */
    public static ScramVerifier parse(String text)
    {
        requireNonNull(text, "text is null");
        Matcher matcher = FORMAT.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a SCRAM-SHA-256 verifier; expected SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>"
                    + " (run 'sekisho hash-password' to make one)");
        }
        try {
            Base64.Decoder base64 = Base64.getDecoder();
            return new ScramVerifier(Integer.parseInt(matcher.group(1)), base64.decode(matcher.group(2)),
                    base64.decode(matcher.group(3)), base64.decode(matcher.group(4)));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed SCRAM-SHA-256 verifier: " + e.getMessage()
                    + " (run 'sekisho hash-password' to make one)");
        }
    }

    /** Whether {@code text} looks like a verifier rather than a password. */
    public static boolean isVerifier(String text)
    {
        return text != null && text.startsWith("SCRAM-SHA-256$");
    }

    /** PostgreSQL's text form, for the users file. */
    public String encoded()
    {
        Base64.Encoder base64 = Base64.getEncoder();
        return "SCRAM-SHA-256$" + iterations + ":" + base64.encodeToString(salt) + "$"
                + base64.encodeToString(storedKey) + ":" + base64.encodeToString(serverKey);
    }

    public int iterations()
    {
        return iterations;
    }

    public byte[] salt()
    {
        return salt.clone();
    }

    /** Whether {@code password} is the password this verifier was made from (constant-time comparison). */
    public boolean matches(char[] password)
    {
        ScramVerifier other = create(password, salt, iterations);
        return MessageDigest.isEqual(storedKey, other.storedKey) & MessageDigest.isEqual(serverKey, other.serverKey);
    }

    byte[] storedKey()
    {
        return storedKey.clone();
    }

    byte[] serverKey()
    {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object o)
    {
        return o instanceof ScramVerifier other && iterations == other.iterations && MessageDigest.isEqual(salt, other.salt)
                && MessageDigest.isEqual(storedKey, other.storedKey) && MessageDigest.isEqual(serverKey, other.serverKey);
    }

    @Override
    public int hashCode()
    {
        return java.util.Arrays.hashCode(salt) * 31 + iterations;
    }

    @Override
    public String toString()
    {
        return "ScramVerifier{SCRAM-SHA-256, iterations=" + iterations + "}";
    }
}
