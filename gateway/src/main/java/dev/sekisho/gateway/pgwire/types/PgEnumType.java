package dev.sekisho.gateway.pgwire.types;

import io.netty.buffer.ByteBuf;

import java.time.ZoneId;

import static java.util.Objects.requireNonNull;

/**
 * An enum type a source defines, such as {@code mood}: its values are its labels, and both forms
 * are the label's text ({@code enum_out} and {@code enum_send}), as in PostgreSQL.
 *
 * @param oid the type's OID (the catalog emulation's, derived from its name)
 * @param displayName the type's name
 */
public record PgEnumType(int oid, String displayName)
        implements PgWireType
{
    public PgEnumType
    {
        requireNonNull(displayName, "displayName is null");
    }

    @Override
    public int typlen()
    {
        return 4;
    }

    @Override
    public String encodeText(Object value)
    {
        return PgType.TEXT.encodeText(value);
    }

    @Override
    public void writeBinary(ByteBuf out, Object value)
    {
        PgType.TEXT.writeBinary(out, value);
    }

    @Override
    public Object decodeText(String text, ZoneId zone)
    {
        return text;
    }

    @Override
    public Object decodeBinary(ByteBuf in, int length)
    {
        return PgType.TEXT.decodeBinary(in, length);
    }
}
