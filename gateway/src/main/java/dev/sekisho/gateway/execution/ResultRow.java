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
}
