package dev.sekisho.gateway.pgwire.types;

import dev.sekisho.planner.pg.functions.PgArrayText;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import io.netty.buffer.ByteBuf;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A one-dimensional PostgreSQL array type such as {@code text[]} or {@code int2[]}. Values are
 * held as their text form ({@code {a,b}}, as the catalog emulation produces them) or as a
 * {@link List}. The binary form is {@code array_send}'s: {@code int32 ndim | int32 hasNulls |
 * int32 element OID | (int32 size | int32 lower bound)[ndim] | (int32 length | bytes)[n]}, with
 * length -1 for NULL.
 *
 * @param oid the array type's OID
 * @param element the element type
 * @param displayName the name PostgreSQL uses in messages, e.g. {@code text[]}
 */
public record PgArrayType(int oid, PgWireType element, String displayName)
        implements PgWireType
{
    public PgArrayType
    {
        requireNonNull(element, "element is null");
        requireNonNull(displayName, "displayName is null");
    }

    @Override
    public int typlen()
    {
        return -1;
    }

    @Override
    public boolean hasBinary()
    {
        return element.hasBinary();
    }

    @Override
    public String encodeText(Object value)
    {
        if (value instanceof String text) {
            return text;
        }
        List<String> texts = new ArrayList<>();
        for (Object item : elements(value)) {
            texts.add(item == null ? null : item instanceof String text ? text : element.encodeText(item));
        }
        return PgArrayText.format(texts);
    }

    @Override
    public void writeBinary(ByteBuf out, Object value)
    {
        int lowerBound = 1;
        List<?> items;
        if (value instanceof String text) {
            PgArrayText.Parsed parsed = PgArrayText.parse(text, displayName);
            lowerBound = parsed.lowerBound();
            items = parsed.elements();
        }
        else {
            items = elements(value);
        }
        write(out, element, lowerBound, items, false);
    }

    @Override
    public Object decodeText(String text, ZoneId zone)
    {
        PgArrayText.Parsed parsed = PgArrayText.parse(text, displayName);
        List<String> texts = new ArrayList<>(parsed.elements().size());
        for (String item : parsed.elements()) {
            texts.add(item == null ? null : element.encodeText(element.decodeText(item, zone)));
        }
        return withBounds(parsed.lowerBound(), texts.size()) + PgArrayText.format(texts);
    }

    @Override
    public Object decodeBinary(ByteBuf in, int length)
    {
        Read read = read(in, length, element, displayName);
        List<String> texts = new ArrayList<>(read.values().size());
        for (Object item : read.values()) {
            texts.add(item == null ? null : element.encodeText(item));
        }
        return withBounds(read.lowerBound(), texts.size()) + PgArrayText.format(texts);
    }

    private static String withBounds(int lowerBound, int size)
    {
        return lowerBound == 1 || size == 0 ? "" : "[" + lowerBound + ":" + (lowerBound + size - 1) + "]=";
    }

    private static List<?> elements(Object value)
    {
        if (value instanceof List<?> list) {
            return list;
        }
        if (value instanceof Object[] array) {
            return Arrays.asList(array);
        }
        throw new IllegalArgumentException("not an array value: " + value.getClass().getName());
    }

    /** Values read from a binary array. */
    record Read(int lowerBound, List<Object> values) {}

    /**
     * Writes a one-dimensional array in binary form. Items that are strings are read as the
     * element's text form first (for text-like elements that is the value itself).
     *
     * @param alwaysOneDimension write {@code ndim = 1} even when empty ({@code int2vector} and
     *         {@code oidvector} do); arrays write {@code ndim = 0} for an empty array
     */
    static void write(ByteBuf out, PgWireType element, int lowerBound, List<?> items, boolean alwaysOneDimension)
    {
        boolean empty = items.isEmpty();
        boolean hasNulls = false;
        for (Object item : items) {
            hasNulls |= item == null;
        }
        out.writeInt(empty && !alwaysOneDimension ? 0 : 1);
        out.writeInt(hasNulls ? 1 : 0);
        out.writeInt(element.oid());
        if (!empty || alwaysOneDimension) {
            out.writeInt(items.size());
            out.writeInt(lowerBound);
        }
        for (Object item : items) {
            if (item == null) {
                out.writeInt(-1);
                continue;
            }
            Object value = item instanceof String text ? element.decodeText(text, ZoneOffset.UTC) : item;
            int lengthIndex = out.writerIndex();
            out.writeInt(0);
            element.writeBinary(out, value);
            out.setInt(lengthIndex, out.writerIndex() - lengthIndex - 4);
        }
    }

    /** Reads a binary array of at most one dimension whose elements are of type {@code element}. */
    static Read read(ByteBuf in, int length, PgWireType element, String typeName)
    {
        ByteBuf data = in.readSlice(length);
        try {
            int dimensions = data.readInt();
            int flags = data.readInt();
            int elementOid = data.readInt();
            if (dimensions > 1) {
                throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "multidimensional " + typeName + " values are not supported by Sekisho; "
                        + "use a one-dimensional array");
            }
            if (dimensions < 0 || (flags != 0 && flags != 1)) {
                throw incorrect(typeName);
            }
            if (elementOid != element.oid()) {
                throw new QueryException(SqlStates.DATATYPE_MISMATCH, "binary data has array element type " + elementOid + " instead of expected "
                        + element.oid() + " (" + element.displayName() + ")");
            }
            if (dimensions == 0) {
                if (data.isReadable()) {
                    throw incorrect(typeName);
                }
                return new Read(1, List.of());
            }
            int size = data.readInt();
            int lowerBound = data.readInt();
            if (size < 0) {
                throw incorrect(typeName);
            }
            List<Object> values = new ArrayList<>(Math.min(size, 1024));
            for (int i = 0; i < size; i++) {
                int itemLength = data.readInt();
                if (itemLength == -1) {
                    values.add(null);
                    continue;
                }
                ByteBuf item = data.readSlice(itemLength);
                values.add(element.decodeBinary(item, itemLength));
                if (item.isReadable()) {
                    throw incorrect(typeName);
                }
            }
            if (data.isReadable()) {
                throw incorrect(typeName);
            }
            return new Read(lowerBound, values);
        }
        catch (IndexOutOfBoundsException e) {
            throw incorrect(typeName);
        }
    }

    private static QueryException incorrect(String typeName)
    {
        return new QueryException("22P03", "incorrect binary data format in value of type " + typeName);
    }
}
