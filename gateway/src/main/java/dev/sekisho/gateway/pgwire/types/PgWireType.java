package dev.sekisho.gateway.pgwire.types;

import io.netty.buffer.ByteBuf;

import java.time.ZoneId;

/**
 * A PostgreSQL type as it travels on the wire: its OID, {@code typlen}, and codecs between Java
 * values and PostgreSQL's text and binary forms. {@link PgType} covers the types of Sekisho's
 * {@link dev.sekisho.planner.spi.ColumnType}s; {@link PgTypes#forOid(int)} adds the catalog types
 * ({@code name}, {@code oid}, arrays, ...).
 */
public interface PgWireType
{
    /** The type's OID in {@code pg_type}. */
    int oid();

    /** {@code pg_type.typlen}: the fixed width in bytes, or -1 for variable width. */
    int typlen();

    /** The name PostgreSQL uses in messages, e.g. {@code integer}. */
    String displayName();

    /** The value as PostgreSQL prints it. */
    String encodeText(Object value);

    /** Writes the value's binary form (without the length prefix). */
    void writeBinary(ByteBuf out, Object value);

    /**
     * Reads a value in text form.
     *
     * @param zone the session's time zone, for timestamps with time zone written without an offset
     * @throws dev.sekisho.planner.spi.QueryException 22P02 when the text is not a value of this type
     */
    Object decodeText(String text, ZoneId zone);

    /**
     * Reads a value in binary form: {@code length} bytes from {@code in}.
     *
     * @throws dev.sekisho.planner.spi.QueryException 22P03 when the bytes are not a value of this type
     */
    Object decodeBinary(ByteBuf in, int length);

    /** Whether the type has a binary form (PostgreSQL's {@code typsend}/{@code typreceive}). */
    default boolean hasBinary()
    {
        return true;
    }
}
