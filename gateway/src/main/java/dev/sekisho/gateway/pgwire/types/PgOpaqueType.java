package dev.sekisho.gateway.pgwire.types;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

import static java.util.Objects.requireNonNull;

/**
 * A PostgreSQL type Sekisho passes through as text without knowing its structure
 * ({@code pg_node_tree}, {@code aclitem}, {@code inet}, {@code void}, ...): the value's text is sent
 * as it is. Its binary form is the UTF-8 text for the types whose {@code typsend} does that, nothing
 * for {@code void}, and absent for the rest.
 *
 * @param oid the type's OID
 * @param typlen {@code pg_type.typlen}
 * @param displayName the name PostgreSQL uses in messages
 * @param binary the type's binary form
 */
public record PgOpaqueType(int oid, int typlen, String displayName, Binary binary)
        implements PgWireType
{
    /** How a type's binary form looks. */
    public enum Binary
    {
        /** The UTF-8 bytes of the text, like {@code textsend}. */
        TEXT,
        /** No bytes ({@code void_send}). */
        EMPTY,
        /** No binary form that Sekisho can produce. */
        NONE
    }

    public PgOpaqueType
    {
        requireNonNull(displayName, "displayName is null");
        requireNonNull(binary, "binary is null");
    }

    @Override
    public boolean hasBinary()
    {
        return binary != Binary.NONE;
    }

    @Override
    public String encodeText(Object value)
    {
        return value.toString();
    }

    @Override
    public void writeBinary(ByteBuf out, Object value)
    {
        switch (binary) {
            case TEXT -> ByteBufUtil.writeUtf8(out, value.toString());
            case EMPTY -> { }
            case NONE -> throw noBinary("output");
        }
    }

    @Override
    public Object decodeText(String text, ZoneId zone)
    {
        return text;
    }

    @Override
    public Object decodeBinary(ByteBuf in, int length)
    {
        return switch (binary) {
            case TEXT -> in.readCharSequence(length, StandardCharsets.UTF_8).toString();
            case EMPTY -> {
                in.skipBytes(length);
                yield "";
            }
            case NONE -> throw noBinary("input");
        };
    }

    private QueryException noBinary(String direction)
    {
        return new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "no binary " + direction + " function available for type " + displayName
                + "; use text format for it");
    }
}
