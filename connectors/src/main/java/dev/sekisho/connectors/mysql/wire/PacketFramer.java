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

    private ByteBuffer pending = ByteBuffer.allocate(0);

    /** Hands each packet completed by {@code bytes} to {@code sink}, in order; keeps the rest. */
    void feed(ByteBuffer bytes, Sink sink)
            throws WireProtocolException
    {
        ByteBuffer input;
        if (pending.hasRemaining()) {
            ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + bytes.remaining());
            joined.put(pending).put(bytes).flip();
            input = joined;
        }
        else {
            input = bytes;
        }
        input.order(ByteOrder.LITTLE_ENDIAN);
        while (input.remaining() >= 4) {
            int start = input.position();
            int length = (input.get(start) & 0xFF) | (input.get(start + 1) & 0xFF) << 8 | (input.get(start + 2) & 0xFF) << 16;
            if (length == Packets.MAX_PAYLOAD) {
                throw new WireProtocolException("the server sent a packet of 16 MiB or more");
            }
            if (input.remaining() < 4 + length) {
                break;
            }
            int sequence = input.get(start + 3) & 0xFF;
            byte[] payload = new byte[length];
            input.position(start + 4);
            input.get(payload);
            sink.packet(new Packet(sequence, ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN)));
        }
        if (input.hasRemaining()) {
            ByteBuffer rest = ByteBuffer.allocate(input.remaining());
            rest.put(input).flip();
            pending = rest;
        }
        else {
            pending = ByteBuffer.allocate(0);
        }
    }
}
