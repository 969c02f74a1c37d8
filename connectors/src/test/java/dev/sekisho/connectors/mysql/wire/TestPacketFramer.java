package dev.sekisho.connectors.mysql.wire;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Packets come out whole and in order however the socket cuts the bytes; a 16 MiB packet (one to be continued) is refused. */
public class TestPacketFramer
{
    @Test
    public void testPacketsSurviveAnyCut()
            throws Exception
    {
        ByteBuffer stream = ByteBuffer.allocate(1 << 20);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] payload = new byte[i * i * 37 % 70_000];
            for (int j = 0; j < payload.length; j++) {
                payload[j] = (byte) (i + j);
            }
            sent.add(payload);
            stream.put(Packets.packet(i % 256, payload));
        }
        stream.flip();
        for (int cut : new int[] {1, 3, 4, 5, 1000, 65_536, stream.remaining()}) {
            PacketFramer framer = new PacketFramer();
            List<PacketFramer.Packet> received = new ArrayList<>();
            ByteBuffer bytes = stream.duplicate();
            while (bytes.hasRemaining()) {
                ByteBuffer piece = bytes.slice();
                piece.limit(Math.min(cut, piece.remaining()));
                bytes.position(bytes.position() + piece.remaining());
                framer.feed(piece, received::add);
            }
            assertThat(received).as("cut %d", cut).hasSize(sent.size());
            for (int i = 0; i < sent.size(); i++) {
                assertThat(received.get(i).sequence()).isEqualTo(i % 256);
                byte[] payload = new byte[received.get(i).payload().remaining()];
                received.get(i).payload().get(payload);
                assertThat(payload).as("packet %d, cut %d", i, cut).isEqualTo(sent.get(i));
            }
        }
    }

    @Test
    public void testContinuedPacketIsRefused()
    {
        ByteBuffer header = ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 1, 2});
        assertThatThrownBy(() -> new PacketFramer().feed(header, packet -> {})).isInstanceOf(WireProtocolException.class);
        assertThatThrownBy(() -> Packets.packet(0, new byte[Packets.MAX_PAYLOAD])).isInstanceOf(WireProtocolException.class);
    }

    @Test
    public void testLengthEncodedIntegers()
            throws Exception
    {
        for (long value : new long[] {0, 250, 251, 65_535, 65_536, 16_777_215, 16_777_216, Long.MAX_VALUE}) {
            byte[] bytes = new Packets.Writer().lengthEncoded(value).toByteArray();
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            assertThat(Packets.lengthEncoded(buffer)).isEqualTo(value);
            assertThat(buffer.hasRemaining()).isFalse();
        }
    }
}
