package dev.sekisho.connectors.mysql.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An ERR packet: the server's error code, SQLSTATE and message. This client never reports one to
 * a client: the statement then runs through Connector/J, whose error is the authoritative one.
 */
record ServerError(int code, String sqlState, String message)
{
    /** Reads an ERR packet's body; {@code headerRead}: its 0xFF was read already. */
    static ServerError parse(ByteBuffer payload, boolean headerRead)
    {
        if (!headerRead) {
            payload.get();
        }
        int code = Packets.u16(payload);
        String state = "HY000";
        if (payload.hasRemaining() && payload.get(payload.position()) == '#' && payload.remaining() >= 6) {
            payload.get();
            byte[] bytes = new byte[5];
            payload.get(bytes);
            state = new String(bytes, StandardCharsets.US_ASCII);
        }
        byte[] message = new byte[payload.remaining()];
        payload.get(message);
        return new ServerError(code, state, new String(message, StandardCharsets.UTF_8));
    }

    String describe()
    {
        return "error " + code + " (" + sqlState + "): " + message;
    }
}
