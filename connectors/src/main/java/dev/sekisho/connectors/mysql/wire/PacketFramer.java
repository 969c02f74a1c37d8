package dev.sekisho.connectors.mysql.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Cuts the bytes a socket delivers, in whatever pieces, into the protocol's packets. A packet of
 * 16 MiB - 1 bytes (continued in the next) is refused: nothing this client runs returns one.
 */
final class PacketFramer
{
    /** A whole packet: its sequence id and its payload (little-endian, position 0). */
    record Packet(int sequence, ByteBuffer payload) {}

    interface Sink
    {
        void packet(Packet packet)
                throws WireProtocolException;
    }

    /** Bytes of a packet not complete yet, readable from its position to its limit; room to grow after the limit. */
    private ByteBuffer pending = ByteBuffer.allocate(0);

    /** Hands each packet completed by {@code bytes} to {@code sink}, in order; keeps the rest. */
    void feed(ByteBuffer bytes, Sink sink)
            throws WireProtocolException
    {
        ByteBuffer input = bytes;
        if (pending.hasRemaining()) {
            append(bytes);
            input = pending;
        }
        input.order(ByteOrder.LITTLE_ENDIAN);
        int needed = 0;
        while (input.remaining() >= 4) {
            int start = input.position();
            int length = (input.get(start) & 0xFF) | (input.get(start + 1) & 0xFF) << 8 | (input.get(start + 2) & 0xFF) << 16;
            if (length == Packets.MAX_PAYLOAD) {
                throw new WireProtocolException("the server sent a packet of 16 MiB or more");
            }
            if (input.remaining() < 4 + length) {
                needed = 4 + length;
                break;
            }
            int sequence = input.get(start + 3) & 0xFF;
            byte[] payload = new byte[length];
            input.position(start + 4);
            input.get(payload);
            sink.packet(new Packet(sequence, ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN)));
        }
        if (input == pending) {
            if (!pending.hasRemaining()) {
                pending = ByteBuffer.allocate(0);
            }
            return;
        }
        if (input.hasRemaining()) {
            // room for the whole packet at once when its header has arrived: a large one then costs no copies while it arrives
            pending = ByteBuffer.allocate(Math.max(needed, input.remaining()));
            pending.put(input).flip();
        }
    }

    /** Appends {@code bytes} after the pending ones, growing (at least doubling) the buffer when needed. */
    private void append(ByteBuffer bytes)
    {
        if (pending.capacity() - pending.limit() < bytes.remaining()) {
            int size = pending.remaining() + bytes.remaining();
            ByteBuffer grown = ByteBuffer.allocate(Math.max(size, 2 * pending.remaining()));
            grown.put(pending).flip();
            pending = grown;
        }
        int position = pending.position();
        int limit = pending.limit();
        pending.limit(pending.capacity()).position(limit);
        pending.put(bytes);
        pending.limit(pending.position()).position(position);
    }
}
