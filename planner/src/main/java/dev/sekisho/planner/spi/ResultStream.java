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
     * Whether {@link #next()} would return now without waiting for the source: the next row (or the
     * end of the rows, or the source's error) has arrived already, whole. A front door that reads
     * rows ahead of the client's request reads only while this holds, so that a message arriving
     * meanwhile never waits for a source that is slow to produce its next row. False when that cannot
     * be known without blocking (the default): such a stream is never read ahead. Must not block.
     */
    default boolean nextRowArrived()
    {
        return false;
    }

    /**
     * The value of one column of the current row, as the Java type listed in
     * {@link ColumnType.Kind}, or null for SQL NULL.
     *
     * @param column zero-based column index
     */
    Object value(int column);

    /**
     * Whether {@link #text(int)} can give this column's values without building them: true only
     * where the source already holds a value as the UTF-8 bytes of {@code String.valueOf(value)}
     * (MySQL's text protocol does for integers and UTF-8 strings), so a front door that writes
     * that text can copy the bytes instead of decoding, boxing and encoding again. The same for
     * every row.
     *
     * @param column zero-based column index
     */
    default boolean hasText(int column)
    {
        return false;
    }

    /**
     * The current row's value of a column for which {@link #hasText(int)} is true, as the UTF-8
     * bytes of {@code String.valueOf(value(column))}; null when the value is SQL NULL or when this
     * row's bytes are not in that form (e.g. a zero-filled integer): then read {@link #value(int)}.
     * The array is the caller's until the next call of {@link #next()}; it must not be changed.
     *
     * @param column zero-based column index
     */
    default byte[] text(int column)
    {
        return null;
    }

    /**
     * The length {@link #text(int)} would have for the current row, or -1 where it would be null,
     * without building the array: with {@link #copyText}, a front door copies the source's bytes
     * straight to where it encodes the row. A stream that holds its rows' bytes overrides both.
     *
     * @param column zero-based column index
     */
    default int textLength(int column)
    {
        byte[] text = text(column);
        return text == null ? -1 : text.length;
    }

    /**
     * Copies the current row's {@link #text(int)} of a column, whose {@link #textLength(int)} was
     * just found to be {@code n >= 0}, to {@code target[offset, offset + n)}.
     *
     * @param column zero-based column index
     */
    default void copyText(int column, byte[] target, int offset)
    {
        byte[] text = text(column);
        System.arraycopy(text, 0, target, offset, text.length);
    }

    /**
     * Copies the current row whole, where every column {@link #hasText(int)} and every value is
     * its {@link #text(int)} or NULL: per column, the text's length as a 4-byte big-endian int
     * followed by its bytes, or -1 and no bytes for NULL (the layout of PostgreSQL's DataRow
     * values), from {@code target[offset]} on. One call per row where a front door would otherwise
     * ask two per column. Returns the index after the last byte written; -1 when some value has no
     * such text (ask column by column); -2 when {@code target} has too little room (ask again with
     * a larger one). The row stays current either way. By default -1; a stream that presents other
     * columns than the one it reads from (fewer, reordered, converted) must not pass the call on.
     */
    default int copyTextRow(byte[] target, int offset)
    {
        return -1;
    }

    @Override
    void close();
}
