package dev.sekisho.connectors.mysql.wire;

import java.nio.ByteBuffer;

/**
 * A ColumnDefinition41 packet: what the server says of one result column. Only the parts that
 * decide how its binary values are read are kept.
 *
 * @param name the column's label
 * @param collationId the character set (collation id) its values are in; 63 is binary
 * @param length the column's display length
 * @param type the MySQL type code ({@code MYSQL_TYPE_*})
 * @param flags its flags ({@link #UNSIGNED}, ...)
 * @param decimals its decimals
 */
record ColumnDefinition(String name, int collationId, long length, int type, int flags, int decimals)
{
    static final int UNSIGNED = 0x20;
    static final int BINARY_COLLATION = 63;

    static final int TYPE_DECIMAL = 0;
    static final int TYPE_TINY = 1;
    static final int TYPE_SHORT = 2;
    static final int TYPE_LONG = 3;
    static final int TYPE_FLOAT = 4;
    static final int TYPE_DOUBLE = 5;
    static final int TYPE_NULL = 6;
    static final int TYPE_TIMESTAMP = 7;
    static final int TYPE_LONGLONG = 8;
    static final int TYPE_INT24 = 9;
    static final int TYPE_DATE = 10;
    static final int TYPE_TIME = 11;
    static final int TYPE_DATETIME = 12;
    static final int TYPE_YEAR = 13;
    static final int TYPE_VARCHAR = 15;
    static final int TYPE_NEWDECIMAL = 246;
    static final int TYPE_ENUM = 247;
    static final int TYPE_SET = 248;
    static final int TYPE_TINY_BLOB = 249;
    static final int TYPE_MEDIUM_BLOB = 250;
    static final int TYPE_LONG_BLOB = 251;
    static final int TYPE_BLOB = 252;
    static final int TYPE_VAR_STRING = 253;
    static final int TYPE_STRING = 254;

    static ColumnDefinition parse(ByteBuffer payload)
            throws WireProtocolException
    {
        // catalog, schema, table, original table
        for (int i = 0; i < 4; i++) {
            Packets.skipLengthEncodedString(payload);
        }
        String name = Packets.lengthEncodedString(payload);
        Packets.skipLengthEncodedString(payload);
        long fixed = Packets.lengthEncoded(payload);
        if (fixed < 12 || payload.remaining() < 10) {
            throw new WireProtocolException("a column definition is too short");
        }
        int collation = Packets.u16(payload);
        long length = Packets.u32(payload);
        int type = Packets.u8(payload);
        int flags = Packets.u16(payload);
        int decimals = Packets.u8(payload);
        return new ColumnDefinition(name, collation, length, type, flags, decimals);
    }

    boolean unsigned()
    {
        return (flags & UNSIGNED) != 0;
    }

    boolean isStringType()
    {
        return switch (type) {
            case TYPE_VARCHAR, TYPE_VAR_STRING, TYPE_STRING, TYPE_TINY_BLOB, TYPE_MEDIUM_BLOB, TYPE_LONG_BLOB, TYPE_BLOB, TYPE_ENUM, TYPE_SET -> true;
            default -> false;
        };
    }
}
