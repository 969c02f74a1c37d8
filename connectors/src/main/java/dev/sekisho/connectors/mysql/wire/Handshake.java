package dev.sekisho.connectors.mysql.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The connection phase: the server's HandshakeV10, this client's HandshakeResponse41, and the two
 * password scrambles it answers with ({@code mysql_native_password}, and the fast path of
 * {@code caching_sha2_password}). No TLS: a server that requires it refuses the login, and the
 * source is then read through Connector/J only.
 */
final class Handshake
{
    static final int CLIENT_LONG_PASSWORD = 1;
    static final int CLIENT_LONG_FLAG = 4;
    static final int CLIENT_CONNECT_WITH_DB = 8;
    static final int CLIENT_PROTOCOL_41 = 0x200;
    static final int CLIENT_SSL = 0x800;
    static final int CLIENT_TRANSACTIONS = 0x2000;
    static final int CLIENT_SECURE_CONNECTION = 0x8000;
    static final int CLIENT_PLUGIN_AUTH = 0x8_0000;
    static final int CLIENT_PLUGIN_AUTH_LENENC_DATA = 0x20_0000;

    static final String NATIVE_PASSWORD = "mysql_native_password";
    static final String CACHING_SHA2_PASSWORD = "caching_sha2_password";

    private Handshake() {}

    /**
     * What the server's greeting says.
     *
     * @param connectionId the server's id of the connection (what {@code KILL QUERY} names)
     * @param capabilities the server's capability flags
     * @param scramble the 20 bytes the password is scrambled with
     * @param plugin the authentication plugin the server proposes
     */
    record Greeting(String serverVersion, long connectionId, int capabilities, byte[] scramble, String plugin) {}

    static Greeting parseGreeting(ByteBuffer payload)
            throws WireProtocolException
    {
        int protocol = Packets.u8(payload);
        if (protocol == 0xFF) {
            throw new WireProtocolException("the server refused the connection: " + ServerError.parse(payload, true).describe());
        }
        if (protocol != 10) {
            throw new WireProtocolException("handshake protocol " + protocol + " is not HandshakeV10");
        }
        String version = new String(Packets.nulTerminated(payload), StandardCharsets.UTF_8);
        long connectionId = Packets.u32(payload);
        byte[] first = new byte[8];
        payload.get(first);
        payload.get();
        int capabilities = Packets.u16(payload);
        Packets.u8(payload);
        Packets.u16(payload);
        capabilities |= Packets.u16(payload) << 16;
        int dataLength = Packets.u8(payload);
        payload.position(payload.position() + 10);
        if ((capabilities & CLIENT_SECURE_CONNECTION) == 0 || (capabilities & CLIENT_PLUGIN_AUTH) == 0 || (capabilities & CLIENT_PROTOCOL_41) == 0) {
            throw new WireProtocolException("the server lacks protocol 4.1, secure connection or plugin authentication");
        }
        int secondLength = Math.max(13, dataLength - 8);
        byte[] second = new byte[secondLength];
        payload.get(second);
        String plugin = new String(Packets.nulTerminated(payload), StandardCharsets.UTF_8);
        byte[] scramble = new byte[20];
        System.arraycopy(first, 0, scramble, 0, 8);
        System.arraycopy(second, 0, scramble, 8, 12);
        return new Greeting(version, connectionId, capabilities, scramble, plugin);
    }

    /** Whether this client can answer {@code plugin} without TLS and without the server's public key. */
    static boolean supports(String plugin)
    {
        return NATIVE_PASSWORD.equals(plugin) || CACHING_SHA2_PASSWORD.equals(plugin);
    }

    /** HandshakeResponse41: 4.1 protocol, plugin authentication, the database when there is one; no TLS, no attributes. */
    static byte[] response(Greeting greeting, String user, String password, String database, int collationId)
    {
        int capabilities = CLIENT_LONG_PASSWORD | CLIENT_LONG_FLAG | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION
                | CLIENT_PLUGIN_AUTH | CLIENT_PLUGIN_AUTH_LENENC_DATA;
        boolean withDatabase = database != null && !database.isEmpty();
        if (withDatabase) {
            capabilities |= CLIENT_CONNECT_WITH_DB;
        }
        capabilities &= greeting.capabilities();
        Packets.Writer writer = new Packets.Writer()
                .u32(capabilities)
                .u32(Packets.MAX_PAYLOAD)
                .u8(collationId & 0xFF)
                .zeros(23)
                .nulTerminated(user);
        byte[] scrambled = scramble(greeting.plugin(), password, greeting.scramble());
        if ((capabilities & CLIENT_PLUGIN_AUTH_LENENC_DATA) != 0) {
            writer.lengthEncodedBytes(scrambled);
        }
        else {
            writer.u8(scrambled.length).bytes(scrambled);
        }
        if (withDatabase) {
            writer.nulTerminated(database);
        }
        return writer.nulTerminated(greeting.plugin()).toByteArray();
    }

    /** The password scrambled for {@code plugin} ({@link #supports} it) with the server's {@code scramble}; empty for no password. */
    static byte[] scramble(String plugin, String password, byte[] scramble)
    {
        if (password == null || password.isEmpty()) {
            return new byte[0];
        }
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        if (NATIVE_PASSWORD.equals(plugin)) {
            // SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password)))
            byte[] once = digest("SHA-1", secret);
            byte[] twice = digest("SHA-1", once);
            return xor(once, digest("SHA-1", scramble, twice));
        }
        // caching_sha2_password: SHA256(password) XOR SHA256(SHA256(SHA256(password)) + scramble)
        byte[] once = digest("SHA-256", secret);
        byte[] twice = digest("SHA-256", once);
        return xor(once, digest("SHA-256", twice, scramble));
    }

    private static byte[] digest(String algorithm, byte[]... parts)
    {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    private static byte[] xor(byte[] left, byte[] right)
    {
        byte[] result = Arrays.copyOf(left, left.length);
        for (int i = 0; i < result.length; i++) {
            result[i] ^= right[i % right.length];
        }
        return result;
    }
}
