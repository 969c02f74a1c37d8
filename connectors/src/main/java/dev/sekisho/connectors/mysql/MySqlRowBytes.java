package dev.sekisho.connectors.mysql;

import com.mysql.cj.protocol.a.NativePacketPayload;
import com.mysql.cj.protocol.a.result.AbstractBufferRow;
import com.mysql.cj.protocol.a.result.NativeResultset;
import com.mysql.cj.protocol.a.result.TextBufferRow;
import dev.sekisho.connectors.jdbc.RowBytes;
import dev.sekisho.connectors.jdbc.TextColumn;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where the values of the row Connector/J streams now lie in the packet it received: a text
 * protocol row ({@code TextBufferRow}) is the packet's payload, each value a length-encoded string
 * or {@code 0xFB} for NULL, read from the row's first byte on. {@code ResultSet.getBytes} would
 * find the same bytes (walking the packet per column) and copy them out; here the walk is done
 * once per row and nothing is copied. The row, its packet and its first byte's position are
 * Connector/J's protected fields, read through {@link VarHandle}s found once; where they are not
 * there (another version of the driver) or a row is not a text row, or its bytes do not parse
 * whole, nothing is located and the values are asked of the result set as before.
 */
final class MySqlRowBytes
        implements RowBytes
{
    private static final int NULL_VALUE = 0xFB;
    private static final VarHandle THIS_ROW;
    private static final VarHandle ROW_FROM_SERVER;
    private static final VarHandle HOME_POSITION;

    static {
        VarHandle thisRow = null;
        VarHandle rowFromServer = null;
        VarHandle homePosition = null;
        try {
            thisRow = MethodHandles.privateLookupIn(NativeResultset.class, MethodHandles.lookup())
                    .findVarHandle(NativeResultset.class, "thisRow", com.mysql.cj.result.Row.class);
            MethodHandles.Lookup rows = MethodHandles.privateLookupIn(AbstractBufferRow.class, MethodHandles.lookup());
            rowFromServer = rows.findVarHandle(AbstractBufferRow.class, "rowFromServer", NativePacketPayload.class);
            homePosition = rows.findVarHandle(AbstractBufferRow.class, "homePosition", int.class);
        }
        catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // another Connector/J: rows are read through the result set
            thisRow = null;
        }
        THIS_ROW = thisRow;
        ROW_FROM_SERVER = rowFromServer;
        HOME_POSITION = homePosition;
    }

    private final NativeResultset resultSet;

    private MySqlRowBytes(NativeResultset resultSet)
    {
        this.resultSet = resultSet;
    }

    /** For a result with a text column ({@link MySqlTextColumns}) that is Connector/J's; else {@link RowBytes#NONE}. */
    static RowBytes of(ResultSet resultSet, TextColumn[] textColumns)
    {
        if (THIS_ROW == null || Arrays.stream(textColumns).noneMatch(Objects::nonNull)) {
            return NONE;
        }
        try {
            if (resultSet.isWrapperFor(com.mysql.cj.jdbc.result.ResultSetImpl.class)) {
                return new MySqlRowBytes(resultSet.unwrap(com.mysql.cj.jdbc.result.ResultSetImpl.class));
            }
        }
        catch (SQLException e) {
            // not Connector/J's result set after all
        }
        return NONE;
    }

    /** Whether this Connector/J's rows can be located (its fields are where this class looks). */
    static boolean available()
    {
        return THIS_ROW != null;
    }

    @Override
    public byte[] locate(int[] offsets, int[] lengths)
    {
        if (!(THIS_ROW.get(resultSet) instanceof TextBufferRow row)) {
            return null;
        }
        NativePacketPayload payload = (NativePacketPayload) ROW_FROM_SERVER.get(row);
        if (payload == null) {
            return null;
        }
        byte[] bytes = payload.getByteBuffer();
        int end = Math.min(payload.getPayloadLength(), bytes.length);
        int position = (int) HOME_POSITION.get(row);
        for (int i = 0; i < offsets.length; i++) {
            if (position < 0 || position >= end) {
                return null;
            }
            int first = bytes[position++] & 0xFF;
            long length;
            if (first < NULL_VALUE) {
                length = first;
            }
            else if (first == NULL_VALUE) {
                offsets[i] = position;
                lengths[i] = -1;
                continue;
            }
            else {
                // 0xFC, 0xFD, 0xFE: a 2-, 3- or 8-byte little-endian length follows
                int size = first == 0xFC ? 2 : first == 0xFD ? 3 : first == 0xFE ? 8 : -1;
                if (size < 0 || end - position < size) {
                    return null;
                }
                length = 0;
                for (int b = size - 1; b >= 0; b--) {
                    length = (length << 8) | (bytes[position + b] & 0xFF);
                }
                position += size;
            }
            if (length < 0 || length > end - position) {
                return null;
            }
            offsets[i] = position;
            lengths[i] = (int) length;
            position += (int) length;
        }
        return bytes;
    }
}
