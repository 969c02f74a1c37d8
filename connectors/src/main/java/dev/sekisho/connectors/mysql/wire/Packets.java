package dev.sekisho.connectors.mysql.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The MySQL client/server protocol's basic encodings: little-endian integers, length-encoded
 * integers and strings, NUL-terminated strings, and a packet's 4-byte header (3-byte length and a
 * sequence id). Readers take a little-endian {@link ByteBuffer} positioned at the value and move it
 * past it.
 */
public final class Packets
{
    /** A payload of this length continues in the next packet: this client refuses such packets. */
    public static final int MAX_PAYLOAD = 0xFF_FFFF;

    private Packets() {}

    public static int u8(ByteBuffer buffer)
    {
        return buffer.get() & 0xFF;
    }

    public static int u16(ByteBuffer buffer)
    {
        return buffer.getShort() & 0xFFFF;
    }

    public static int u24(ByteBuffer buffer)
    {
        return u8(buffer) | u8(buffer) << 8 | u8(buffer) << 16;
    }

    public static long u32(ByteBuffer buffer)
    {
        return buffer.getInt() & 0xFFFF_FFFFL;
    }

    /** A length-encoded integer; -1 for the NULL marker (0xFB). */
    public static long lengthEncoded(ByteBuffer buffer)
            throws WireProtocolException
    {
        int first = u8(buffer);
        if (first < 0xFB) {
            return first;
        }
        return switch (first) {
            case 0xFB -> -1;
            case 0xFC -> u16(buffer);
            case 0xFD -> u24(buffer);
            case 0xFE -> buffer.getLong();
            default -> throw new WireProtocolException("invalid length-encoded integer 0x" + Integer.toHexString(first));
        };
    }

    /** The bytes of a length-encoded string; null for the NULL marker. */
    public static byte[] lengthEncodedBytes(ByteBuffer buffer)
            throws WireProtocolException
    {
        long length = lengthEncoded(buffer);
        if (length < 0) {
            return null;
        }
        if (length > buffer.remaining()) {
            throw new WireProtocolException("a length-encoded string runs past its packet");
        }
        byte[] bytes = new byte[(int) length];
        buffer.get(bytes);
        return bytes;
    }

    public static String lengthEncodedString(ByteBuffer buffer)
            throws WireProtocolException
    {
        byte[] bytes = lengthEncodedBytes(buffer);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    public static void skipLengthEncodedString(ByteBuffer buffer)
            throws WireProtocolException
    {
        long length = lengthEncoded(buffer);
        if (length > buffer.remaining()) {
            throw new WireProtocolException("a length-encoded string runs past its packet");
        }
        if (length > 0) {
            buffer.position(buffer.position() + (int) length);
        }
    }

    /** The bytes up to the next NUL (or the end of the payload), moving past the NUL. */
    public static byte[] nulTerminated(ByteBuffer buffer)
    {
        int start = buffer.position();
        int end = start;
        while (end < buffer.limit() && buffer.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        buffer.get(bytes);
        if (buffer.hasRemaining()) {
            buffer.get();
        }
        return bytes;
    }

    /** One packet: header and payload, ready to write. */
    public static ByteBuffer packet(int sequence, byte[] payload)
            throws WireProtocolException
    {
        if (payload.length >= MAX_PAYLOAD) {
            throw new WireProtocolException("a packet of " + payload.length + " bytes would need splitting");
        }
        ByteBuffer packet = ByteBuffer.allocate(4 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        packet.put((byte) payload.length).put((byte) (payload.length >>> 8)).put((byte) (payload.length >>> 16)).put((byte) sequence);
        packet.put(payload);
        return packet.flip();
    }

    /** A growing payload with the protocol's encodings. */
    public static final class Writer
    {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);

        public Writer u8(int value)
        {
            bytes.write(value);
            return this;
        }

        public Writer u16(int value)
        {
            return u8(value).u8(value >>> 8);
        }

        public Writer u32(long value)
        {
            return u16((int) value).u16((int) (value >>> 16));
        }

        public Writer u64(long value)
        {
            return u32(value).u32(value >>> 32);
        }

        public Writer bytes(byte[] value)
        {
            bytes.writeBytes(value);
            return this;
        }

        public Writer zeros(int count)
        {
            return bytes(new byte[count]);
        }

        public Writer nulTerminated(String value)
        {
            return bytes(value.getBytes(StandardCharsets.UTF_8)).u8(0);
        }

        public Writer lengthEncoded(long value)
        {
            if (value < 0xFB) {
                return u8((int) value);
            }
            if (value <= 0xFFFF) {
                return u8(0xFC).u16((int) value);
            }
            if (value <= 0xFF_FFFF) {
                return u8(0xFD).u16((int) value).u8((int) (value >>> 16));
            }
            return u8(0xFE).u64(value);
        }

        public Writer lengthEncodedBytes(byte[] value)
        {
            return lengthEncoded(value.length).bytes(value);
        }

        public byte[] toByteArray()
        {
            return bytes.toByteArray();
        }
    }
}
