package dev.sekisho.connectors.mysql;

import com.mysql.cj.protocol.ReadAheadInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Counting whole packets in Connector/J's read-ahead buffer, looked at in place. */
class TestMySqlRowArrival
{
    @Test
    void countsOnlyWholePacketsFromTheBuffersPositionAndReadsNothing()
            throws IOException
    {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        packet(wire, 3);
        packet(wire, 0);
        packet(wire, 250);
        packet(wire, 5);
        // a packet of 100 bytes of which 10 have come
        wire.write(new byte[] {100, 0, 0, 4});
        wire.write(new byte[10]);
        byte[] bytes = wire.toByteArray();
        ReadAheadInputStream input = new ReadAheadInputStream(new ByteArrayInputStream(bytes), 4096, false, null);

        assertThat(MySqlRowArrival.wholeBufferedPackets(input)).as("nothing buffered yet").isZero();
        // reading the first packet fills the buffer with everything
        byte[] first = new byte[4 + 3];
        assertThat(input.read(first, 0, first.length)).isEqualTo(first.length);
        assertThat(MySqlRowArrival.wholeBufferedPackets(input)).as("the empty, 250- and 5-byte packets, not the partial one").isEqualTo(3);
        assertThat(MySqlRowArrival.wholeBufferedPackets(input)).as("looking reads nothing").isEqualTo(3);
        byte[] second = new byte[4];
        assertThat(input.read(second, 0, second.length)).isEqualTo(4);
        assertThat(MySqlRowArrival.wholeBufferedPackets(input)).isEqualTo(2);
        input.read(new byte[4 + 250 + 4 + 5], 0, 4 + 250 + 4 + 5);
        assertThat(MySqlRowArrival.wholeBufferedPackets(input)).as("only the partial packet is left").isZero();

        // a packet of 16 MiB - 1 (a row spread over several packets) is left to the probe
        ReadAheadInputStream large = new ReadAheadInputStream(new ByteArrayInputStream(new byte[] {1, 0, 0, 0, 7, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1}), 4096, false, null);
        large.read(new byte[5], 0, 5);
        assertThat(MySqlRowArrival.wholeBufferedPackets(large)).isZero();
    }

    private static void packet(ByteArrayOutputStream wire, int length)
    {
        wire.write(length & 0xFF);
        wire.write(length >>> 8 & 0xFF);
        wire.write(length >>> 16 & 0xFF);
        wire.write(1);
        wire.writeBytes(new byte[length]);
    }
}
