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
}
