package dev.sekisho.connectors.mysql;

import com.mysql.cj.NativeSession;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.protocol.FullReadInputStream;
import com.mysql.cj.protocol.ReadAheadInputStream;
import com.mysql.cj.protocol.a.CompressedInputStream;
import com.mysql.cj.protocol.a.NativeConstants;
import com.mysql.cj.protocol.a.NativeProtocol;
import dev.sekisho.connectors.jdbc.RowArrival;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Whether the next row of a result Connector/J streams (one MySQL packet per row, or the packet
 * that ends the rows) is received whole, looked at without blocking: the bytes readable at once
 * are what Connector/J's input has buffered plus what the socket has received
 * ({@code InputStream.available()}, which never blocks), and the next packet's length is in its
 * 4-byte header, which Connector/J's own {@code probeHeader()} reads once those 4 bytes are there
 * and hands back to the next read. A row is "arrived" only when its whole packet is readable: the
 * server may have sent the start of a row and keep its end in its network buffer until its next
 * rows are produced.
 *
 * <p>Whole packets already in Connector/J's read-ahead buffer are counted in one pass over their
 * headers, looked at in place (the buffer and its bounds are Connector/J's protected fields, read
 * through {@link VarHandle}s found once), and each is then known arrived without a look per row;
 * where that buffer cannot be looked at, or holds no whole packet, the next header is probed as
 * below. The bytes known readable are remembered and counted down row by row, so the socket is asked
 * only when they run out (not once per row). Nothing is known arrived over a compressed protocol
 * (its input's available bytes are compressed ones), for a row spread over several packets
 * (16 MiB or more), or when anything about the connection is not as expected: those results are
 * then not read ahead. Over TLS only the bytes already decrypted count, which is never more than
 * is there.
 */
final class MySqlRowArrival
        implements RowArrival
{
    /** Counting whole packets in the buffer stops here (the count is made again when they are read). */
    private static final int MAX_COUNTED_PACKETS = 4096;
    private static final VarHandle BUFFER;
    private static final VarHandle POSITION;
    private static final VarHandle END;

    static {
        VarHandle buffer = null;
        VarHandle position = null;
        VarHandle end = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(ReadAheadInputStream.class, MethodHandles.lookup());
            buffer = lookup.findVarHandle(ReadAheadInputStream.class, "buf", byte[].class);
            position = lookup.findVarHandle(ReadAheadInputStream.class, "currentPosition", int.class);
            end = lookup.findVarHandle(ReadAheadInputStream.class, "endOfCurrentData", int.class);
        }
        catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // another Connector/J: every row's header is probed
            buffer = null;
        }
        BUFFER = buffer;
        POSITION = position;
        END = end;
    }

    private final NativeProtocol protocol;
    /** Whole packets known to lie in Connector/J's buffer from its position on, not read since. */
    private int bufferedPackets;
    /** Bytes readable from the input without blocking, learnt earlier and not read since; counted down per row. */
    private long readable;
    /** The length of the next packet, whose header was taken from the input by {@code probeHeader()}; -1: not probed. */
    private int probedLength = -1;

    private MySqlRowArrival(NativeProtocol protocol)
    {
        this.protocol = protocol;
    }

    /** For the rows the connection streams next; {@link RowArrival#UNKNOWN} where the connection is not Connector/J's. */
    static RowArrival of(Connection connection)
    {
        try {
            if (connection.isWrapperFor(JdbcConnection.class)
                    && connection.unwrap(JdbcConnection.class).getSession() instanceof NativeSession session
                    && session.getProtocol() != null) {
                return new MySqlRowArrival(session.getProtocol());
            }
        }
        catch (SQLException | RuntimeException e) {
            // not a connection whose bytes can be looked at: nothing is read ahead of it
        }
        return RowArrival.UNKNOWN;
    }

    @Override
    public boolean nextRowArrived()
    {
        try {
            if (bufferedPackets > 0) {
                return true;
            }
            FullReadInputStream input = protocol.getSocketConnection().getMysqlInput();
            if (input == null || input.getUnderlyingStream() instanceof CompressedInputStream) {
                return false;
            }
            if (probedLength < 0 && input.getUnderlyingStream() instanceof ReadAheadInputStream buffered && (bufferedPackets = wholeBufferedPackets(buffered)) > 0) {
                return true;
            }
            if (probedLength < 0) {
                if (readable < NativeConstants.HEADER_LENGTH) {
                    readable = input.available();
                    if (readable < NativeConstants.HEADER_LENGTH) {
                        return false;
                    }
                }
                // the 4 bytes are there: this read does not block, and the next read of a packet gets the header back
                probedLength = protocol.getPacketReader().probeHeader().getMessageSize();
                readable -= NativeConstants.HEADER_LENGTH;
            }
            if (probedLength >= NativeConstants.MAX_PACKET_SIZE) {
                return false;
            }
            if (readable < probedLength) {
                readable = input.available();
            }
            return readable >= probedLength;
        }
        catch (IOException | RuntimeException e) {
            // a connection closed or aborted meanwhile: the row is read (and fails) when it is asked for
            readable = 0;
            return false;
        }
    }

    /** Whether this Connector/J's read-ahead buffer can be looked at (its fields are where this class looks). */
    static boolean countsBufferedPackets()
    {
        return BUFFER != null;
    }

    /**
     * Counts the whole packets in {@code input}'s buffer from its position on (each a 3-byte
     * little-endian length and a sequence byte, then that many bytes), up to a packet of 16 MiB or
     * more (a row spread over several), which is left to the probe. Reads nothing.
     */
    static int wholeBufferedPackets(ReadAheadInputStream input)
    {
        if (BUFFER == null) {
            return 0;
        }
        byte[] bytes = (byte[]) BUFFER.get(input);
        int position = (int) POSITION.get(input);
        int end = bytes == null ? 0 : Math.min((int) END.get(input), bytes.length);
        int packets = 0;
        while (packets < MAX_COUNTED_PACKETS && position >= 0 && end - position >= NativeConstants.HEADER_LENGTH) {
            int length = (bytes[position] & 0xFF) | (bytes[position + 1] & 0xFF) << 8 | (bytes[position + 2] & 0xFF) << 16;
            if (length >= NativeConstants.MAX_PACKET_SIZE || end - position - NativeConstants.HEADER_LENGTH < length) {
                break;
            }
            position += NativeConstants.HEADER_LENGTH + length;
            packets++;
        }
        return packets;
    }

    @Override
    public void reading()
    {
        if (bufferedPackets > 0) {
            // the next packet is one counted in the buffer: read from there, it leaves what the socket has unknown
            bufferedPackets--;
            readable = 0;
            return;
        }
        // a probed packet is read whole from what was readable; anything else reads an unknown amount
        readable = probedLength >= 0 && probedLength < NativeConstants.MAX_PACKET_SIZE && readable >= probedLength ? readable - probedLength : 0;
        probedLength = -1;
    }
}
