package dev.sekisho.gateway.pgwire.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the body of one frontend message into a {@link FrontendMessage}. The caller has framed
 * the message and checked its length; a body that does not match its type's layout raises
 * {@link PgProtocolException}.
 */
public final class FrontendMessages
{
    public static final int PROTOCOL_3_0 = 196608;
    public static final int SSL_REQUEST_CODE = 80877103;
    public static final int GSSENC_REQUEST_CODE = 80877104;
    public static final int CANCEL_REQUEST_CODE = 80877102;

    /** The messages without fields, made once: a client sends a Sync with every statement. */
    private static final FrontendMessage.Sync SYNC = new FrontendMessage.Sync();
    private static final FrontendMessage.Flush FLUSH = new FrontendMessage.Flush();

    private FrontendMessages() {}

    /**
     * Decodes a startup-phase packet; {@code body} is everything after the length word.
     */
    public static FrontendMessage decodeStartup(ByteBuf body)
    {
        if (body.readableBytes() < 4) {
            throw new PgProtocolException("invalid length of startup packet");
        }
        int code = body.readInt();
        switch (code) {
            case SSL_REQUEST_CODE:
                expectEnd(body, "SSLRequest");
                return new FrontendMessage.SslRequest();
            case GSSENC_REQUEST_CODE:
                expectEnd(body, "GSSENCRequest");
                return new FrontendMessage.GssEncRequest();
            case CANCEL_REQUEST_CODE:
                if (body.readableBytes() != 8) {
                    throw new PgProtocolException("invalid length of cancel request packet");
                }
                return new FrontendMessage.CancelRequest(body.readInt(), body.readInt());
            default:
                return new FrontendMessage.StartupMessage(code, code >>> 16 == 3 ? readParameters(body) : Map.of());
        }
    }

    private static Map<String, String> readParameters(ByteBuf body)
    {
        Map<String, String> parameters = new LinkedHashMap<>();
        while (true) {
            String name = readString(body, "StartupMessage");
            if (name.isEmpty()) {
                break;
            }
            parameters.put(name, readString(body, "StartupMessage"));
        }
        expectEnd(body, "StartupMessage");
        return parameters;
    }

    /** Decodes a regular message; {@code body} is everything after the type byte and length word. */
    public static FrontendMessage decode(char type, ByteBuf body)
    {
        FrontendMessage message = switch (type) {
            case 'Q' -> new FrontendMessage.Query(readString(body, "Query"));
            case 'P' -> decodeParse(body);
            case 'B' -> decodeBind(body);
            case 'D' -> new FrontendMessage.Describe(readTarget(body, "Describe"), readString(body, "Describe"));
            case 'E' -> new FrontendMessage.Execute(readString(body, "Execute"), readInt(body, "Execute"));
            case 'C' -> new FrontendMessage.Close(readTarget(body, "Close"), readString(body, "Close"));
            case 'S' -> SYNC;
            case 'H' -> FLUSH;
            case 'X' -> new FrontendMessage.Terminate();
            case 'p' -> {
                byte[] bytes = new byte[body.readableBytes()];
                body.readBytes(bytes);
                yield new FrontendMessage.PasswordMessage(bytes);
            }
            case 'F', 'd', 'c', 'f' -> {
                body.skipBytes(body.readableBytes());
                yield new FrontendMessage.Unsupported(type);
            }
            default -> throw new PgProtocolException("invalid frontend message type " + (int) type);
        };
        expectEnd(body, message.getClass().getSimpleName());
        return message;
    }

    private static FrontendMessage decodeParse(ByteBuf body)
    {
        String name = readString(body, "Parse");
        String sql = readString(body, "Parse");
        int count = readShort(body, "Parse");
        List<Integer> oids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            oids.add(readInt(body, "Parse"));
        }
        return new FrontendMessage.Parse(name, sql, oids);
    }

    private static FrontendMessage decodeBind(ByteBuf body)
    {
        String portal = readString(body, "Bind");
        String statement = readString(body, "Bind");
        List<Integer> formats = readFormats(body);
        int parameterCount = readShort(body, "Bind");
        List<byte[]> parameters = new ArrayList<>(parameterCount);
        for (int i = 0; i < parameterCount; i++) {
            int length = readInt(body, "Bind");
            if (length == -1) {
                parameters.add(null);
                continue;
            }
            if (length < 0 || length > body.readableBytes()) {
                throw new PgProtocolException("invalid parameter length " + length + " in Bind message");
            }
            byte[] value = new byte[length];
            body.readBytes(value);
            parameters.add(value);
        }
        List<Integer> resultFormats = readFormats(body);
        return new FrontendMessage.Bind(portal, statement, formats, parameters, resultFormats);
    }

    /**
     * A Bind's count of format codes and the codes. Clients send none, or one for all columns
     * (pgjdbc): those are lists the Bind keeps as they are ({@link List#copyOf} copies no
     * {@link List#of} list), where a list built up would be copied again.
     */
    private static List<Integer> readFormats(ByteBuf body)
    {
        int count = readShort(body, "Bind");
        if (count == 0) {
            return List.of();
        }
        if (count == 1) {
            return List.of(readShort(body, "Bind"));
        }
        List<Integer> formats = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            formats.add(readShort(body, "Bind"));
        }
        return formats;
    }

    private static char readTarget(ByteBuf body, String message)
    {
        if (!body.isReadable()) {
            throw malformed(message);
        }
        char target = (char) body.readByte();
        if (target != 'S' && target != 'P') {
            throw new PgProtocolException("invalid " + message + " message subtype " + (int) target);
        }
        return target;
    }

    private static int readShort(ByteBuf body, String message)
    {
        if (body.readableBytes() < 2) {
            throw malformed(message);
        }
        return body.readUnsignedShort();
    }

    private static int readInt(ByteBuf body, String message)
    {
        if (body.readableBytes() < 4) {
            throw malformed(message);
        }
        return body.readInt();
    }

    /** Reads a NUL-terminated UTF-8 string. */
    public static String readString(ByteBuf body, String message)
    {
        int end = body.indexOf(body.readerIndex(), body.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new PgProtocolException("invalid string in " + message + " message: no terminating zero byte");
        }
        String value = body.toString(body.readerIndex(), end - body.readerIndex(), StandardCharsets.UTF_8);
        body.readerIndex(end + 1);
        return value;
    }

    private static void expectEnd(ByteBuf body, String message)
    {
        if (body.isReadable()) {
            throw new PgProtocolException("invalid message format: " + body.readableBytes() + " unexpected trailing byte(s) in " + message
                    + " (" + ByteBufUtil.hexDump(body, body.readerIndex(), Math.min(8, body.readableBytes())) + "...)");
        }
    }

    private static PgProtocolException malformed(String message)
    {
        return new PgProtocolException("invalid message format: " + message + " message is truncated");
    }
}
