package dev.sekisho.planner.spi;

import java.util.List;

/**
 * A forward-only cursor over a statement's rows, pulled by the consumer so that memory stays
 * bounded whatever the result's size. Not thread-safe; {@link #close()} may be called at any time
 * and releases the source's resources (connection, statement).
 */
public interface ResultStream
        extends AutoCloseable
{
    /** The columns of every row. */
    List<ColumnMetadata> columns();

    /**
     * Moves to the next row. Blocks while the source sends it.
     *
     * @return false when there are no more rows
     * @throws QueryException when the source fails or the statement was cancelled
     */
    boolean next();

    /**
     * The value of one column of the current row, as the Java type listed in
     * {@link ColumnType.Kind}, or null for SQL NULL.
     *
     * @param column zero-based column index
     */
    Object value(int column);

    @Override
    void close();
}
