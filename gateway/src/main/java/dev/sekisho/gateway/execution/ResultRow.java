package dev.sekisho.gateway.execution;

/**
 * The row a {@link RowSink} is given: its values by column, valid only during
 * {@link RowSink#write(ResultRow)}.
 */
@FunctionalInterface
public interface ResultRow
{
    /** The value of column {@code column} (0-based) as a Java value of the column's type; null for SQL NULL. */
    Object value(int column);

    /**
     * Whether {@link #text(int)} may give the column's values as the source's bytes (see
     * {@link dev.sekisho.planner.spi.ResultStream#hasText(int)}); the same for every row.
     */
    default boolean hasText(int column)
    {
        return false;
    }

    /**
     * The value of column {@code column} as the UTF-8 bytes of {@code String.valueOf(value(column))},
     * or null: then read {@link #value(int)} (SQL NULL, or a value whose source bytes are in
     * another form).
     */
    default byte[] text(int column)
    {
        return null;
    }

    /** The length {@link #text(int)} would have, or -1 where it would be null, without building it. */
    default int textLength(int column)
    {
        byte[] text = text(column);
        return text == null ? -1 : text.length;
    }

    /** Copies {@link #text(int)}, whose {@link #textLength(int)} was just found to be n >= 0, to {@code target[offset, offset + n)}. */
    default void copyText(int column, byte[] target, int offset)
    {
        byte[] text = text(column);
        System.arraycopy(text, 0, target, offset, text.length);
    }

    /** The whole row as length-prefixed texts ({@link dev.sekisho.planner.spi.ResultStream#copyTextRow}); -1: ask column by column, -2: too little room. */
    default int copyTextRow(byte[] target, int offset)
    {
        return -1;
    }
}
