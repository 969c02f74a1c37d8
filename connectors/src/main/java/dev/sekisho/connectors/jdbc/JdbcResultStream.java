package dev.sekisho.connectors.jdbc;

import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlStates;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.DateTimeException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * A {@link ResultStream} over a streaming {@link ResultSet}: one row in memory at a time, each
 * value read by the column's {@link ColumnReader}.
 *
 * <p>Closing before the last row: a streaming MySQL result set would read every remaining row on
 * close. This stream reads at most {@link #DRAIN_LIMIT} more rows (cheap, keeps the connection); if
 * rows are still left it asks its {@link Owner} to abort the connection instead, which stops the
 * server at once.
 */
public final class JdbcResultStream
        implements ResultStream
{
    /** Rows read and thrown away on an early close before giving up the connection instead. */
    public static final int DRAIN_LIMIT = 1_000;

    /** What a stream needs from whoever opened it. */
    public interface Owner
    {
        /** The error to report for a failure while reading rows (cancellation included). */
        QueryException failure(SQLException e);

        /** The error to report if the statement was cancelled, checked before each row. */
        QueryException cancellationOrNull();

        /** Closes the physical connection without reading what is left; it must not return to a pool. */
        void abortConnection();

        /**
         * The error to raise for what the server reported as warnings on a statement whose rows were
         * all read (MySQL answers a division by zero or an invalid cast with NULL or 0 and a warning
         * where PostgreSQL raises an error), or null when the warnings are harmless.
         */
        default QueryException warningFailure(SQLWarning warnings)
        {
            return null;
        }

        /** Returns the connection (after the statement is closed) and drops cancel hooks. */
        void release();
    }

    private final List<ColumnMetadata> columns;
    private final Statement statement;
    private final ResultSet resultSet;
    private final ColumnReader[] readers;
    private final Object[] row;
    /** Per column, the text form its raw bytes are in, or null where values are read by the column's reader. */
    private final TextColumn[] textColumns;
    /** The current row's raw bytes of the text columns (null for SQL NULL), where the row is not read in place. */
    private final byte[][] texts;
    /** Where the current row's values lie in the driver's bytes, if it tells. */
    private final RowBytes rowBytes;
    private final boolean anyText;
    private final boolean allText;
    /** The current row's bytes as the driver received them, where {@link #rowBytes} located its values; else null. */
    private byte[] rowBuffer;
    private final int[] offsets;
    private final int[] lengths;
    /** Per column, whether the current row's value of a text column was read by its reader already. */
    private final boolean[] read;
    private final Owner owner;
    private final boolean closeStatement;
    private final RowArrival arrival;
    private boolean exhausted;
    private boolean failed;
    private boolean closed;

    public JdbcResultStream(List<ColumnMetadata> columns, Statement statement, ResultSet resultSet, Owner owner)
    {
        this(columns, statement, resultSet, owner, new TextColumn[columns.size()]);
    }

    /**
     * @param textColumns per column, the form {@link ResultSet#getBytes} gives its values in (the
     * caller knows the protocol puts them there), or null where the column's reader reads them
     */
    public JdbcResultStream(List<ColumnMetadata> columns, Statement statement, ResultSet resultSet, Owner owner, TextColumn[] textColumns)
    {
        this(columns, statement, resultSet, owner, textColumns, RowArrival.UNKNOWN, true);
    }

    /**
     * @param arrival whether the next row has arrived from the server (see {@link #nextRowArrived()})
     * @param closeStatement false when the statement outlives the run (its connection keeps it
     * prepared for the next one): closing the stream then closes only the result set
     */
    public JdbcResultStream(List<ColumnMetadata> columns, Statement statement, ResultSet resultSet, Owner owner, TextColumn[] textColumns,
            RowArrival arrival, boolean closeStatement)
    {
        this(columns, statement, resultSet, owner, textColumns, arrival, closeStatement, RowBytes.NONE);
    }

    /**
     * @param rowBytes where each row's values lie in the driver's bytes, so that the text columns'
     * bytes are read there instead of through {@link ResultSet#getBytes}
     */
    public JdbcResultStream(List<ColumnMetadata> columns, Statement statement, ResultSet resultSet, Owner owner, TextColumn[] textColumns,
            RowArrival arrival, boolean closeStatement, RowBytes rowBytes)
    {
        this.rowBytes = requireNonNull(rowBytes, "rowBytes is null");
        this.arrival = requireNonNull(arrival, "arrival is null");
        this.columns = List.copyOf(requireNonNull(columns, "columns is null"));
        this.statement = requireNonNull(statement, "statement is null");
        this.resultSet = requireNonNull(resultSet, "resultSet is null");
        this.owner = requireNonNull(owner, "owner is null");
        this.readers = new ColumnReader[this.columns.size()];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = ColumnReader.forType(this.columns.get(i).type());
        }
        this.row = new Object[readers.length];
        if (textColumns.length != readers.length) {
            throw new IllegalArgumentException("textColumns has " + textColumns.length + " entries for " + readers.length + " columns");
        }
        this.textColumns = textColumns.clone();
        this.texts = new byte[readers.length][];
        this.anyText = Arrays.stream(this.textColumns).anyMatch(Objects::nonNull);
        this.allText = Arrays.stream(this.textColumns).allMatch(Objects::nonNull);
        this.offsets = new int[readers.length];
        this.lengths = new int[readers.length];
        this.read = new boolean[readers.length];
        this.closeStatement = closeStatement;
    }

    @Override
    public List<ColumnMetadata> columns()
    {
        return columns;
    }

    @Override
    public boolean next()
    {
        if (closed) {
            throw new IllegalStateException("stream is closed");
        }
        if (exhausted) {
            return false;
        }
        QueryException cancellation = owner.cancellationOrNull();
        if (cancellation != null) {
            failed = true;
            throw cancellation;
        }
        try {
            arrival.reading();
            if (!resultSet.next()) {
                exhausted = true;
                // every row is read: the server's warnings on the statement can be asked for now
                SQLWarning warnings = statement.getWarnings();
                QueryException failure = warnings == null ? null : owner.warningFailure(warnings);
                if (failure != null) {
                    failed = true;
                    throw failure;
                }
                return false;
            }
            // the text columns' raw bytes only (in place where the driver tells where): a value is built when someone asks for it
            rowBuffer = anyText ? rowBytes.locate(offsets, lengths) : null;
            for (int i = 0; i < readers.length; i++) {
                if (textColumns[i] == null) {
                    row[i] = read(i);
                }
                else {
                    if (rowBuffer == null) {
                        texts[i] = resultSet.getBytes(i + 1);
                    }
                    read[i] = false;
                }
            }
            return true;
        }
        catch (SQLException e) {
            failed = true;
            throw owner.failure(e);
        }
        catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /** Whether {@link #next()} answers now: at the end, cancelled, or with a row the connection has received whole. */
    @Override
    public boolean nextRowArrived()
    {
        if (closed) {
            return false;
        }
        return exhausted || owner.cancellationOrNull() != null || arrival.nextRowArrived();
    }

    /**
     * One value of the current row. The row is already in memory, so a failure here is the driver
     * unable to convert what the server sent (a TIME beyond 24 hours or negative, a date with a zero
     * month or day), never the server's error: it gets a data-exception SQLSTATE and names the column.
     */
    private Object read(int column)
            throws SQLException
    {
        try {
            return readers[column].read(resultSet, column + 1);
        }
        catch (DateTimeException e) {
            throw unreadable(column, e);
        }
        catch (SQLException e) {
            if (e.getErrorCode() != 0) {
                throw e;
            }
            throw unreadable(column, e);
        }
    }

    private QueryException unreadable(int column, Exception cause)
    {
        ColumnMetadata metadata = columns.get(column);
        String sqlState = switch (metadata.type().kind()) {
            case DATE, TIME, TIMESTAMP, TIMESTAMP_WITH_TIME_ZONE -> SqlStates.DATETIME_FIELD_OVERFLOW;
            case SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL -> SqlStates.NUMERIC_VALUE_OUT_OF_RANGE;
            default -> SqlStates.DATA_EXCEPTION;
        };
        return new QueryException(sqlState, "column \"" + metadata.name() + "\" holds a value that cannot be read as " + metadata.type() + ": " + cause.getMessage(),
                "cast the column to text in the query (e.g. CAST(" + metadata.name() + " AS CHAR)) or leave such rows out", cause);
    }

    @Override
    public Object value(int column)
    {
        if (textColumns[column] != null && !read[column]) {
            read[column] = true;
            if (rowBuffer != null ? lengths[column] < 0 : texts[column] == null) {
                row[column] = null;
            }
            else {
                try {
                    // the current row is still the result set's: the reader builds the value as next() would have
                    row[column] = read(column);
                }
                catch (SQLException e) {
                    failed = true;
                    throw owner.failure(e);
                }
            }
        }
        return row[column];
    }

    @Override
    public boolean hasText(int column)
    {
        return textColumns[column] != null;
    }

    @Override
    public byte[] text(int column)
    {
        TextColumn form = textColumns[column];
        if (form == null) {
            return null;
        }
        if (rowBuffer != null) {
            int length = textLength(column);
            return length < 0 ? null : Arrays.copyOfRange(rowBuffer, offsets[column], offsets[column] + length);
        }
        byte[] bytes = texts[column];
        return bytes != null && form.isExact(bytes) ? bytes : null;
    }

    @Override
    public int textLength(int column)
    {
        if (rowBuffer == null) {
            byte[] text = text(column);
            return text == null ? -1 : text.length;
        }
        TextColumn form = textColumns[column];
        int length = lengths[column];
        int offset = offsets[column];
        return form != null && length >= 0 && form.isExact(rowBuffer, offset, offset + length) ? length : -1;
    }

    @Override
    public void copyText(int column, byte[] target, int offset)
    {
        if (rowBuffer == null) {
            byte[] text = text(column);
            System.arraycopy(text, 0, target, offset, text.length);
            return;
        }
        System.arraycopy(rowBuffer, offsets[column], target, offset, lengths[column]);
    }

    @Override
    public int copyTextRow(byte[] target, int offset)
    {
        byte[] bytes = rowBuffer;
        if (bytes == null || !allText) {
            return -1;
        }
        int position = offset;
        for (int i = 0; i < textColumns.length; i++) {
            int length = lengths[i];
            if (length < 0) {
                if (target.length - position < 4) {
                    return -2;
                }
                putInt(target, position, -1);
                position += 4;
                continue;
            }
            int from = offsets[i];
            if (!textColumns[i].isExact(bytes, from, from + length)) {
                return -1;
            }
            if (target.length - position < 4 + length) {
                return -2;
            }
            putInt(target, position, length);
            System.arraycopy(bytes, from, target, position + 4, length);
            position += 4 + length;
        }
        return position;
    }

    private static void putInt(byte[] target, int index, int value)
    {
        target[index] = (byte) (value >>> 24);
        target[index + 1] = (byte) (value >>> 16);
        target[index + 2] = (byte) (value >>> 8);
        target[index + 3] = (byte) value;
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!exhausted && !drain()) {
                owner.abortConnection();
            }
            closeQuietly(resultSet);
            if (closeStatement) {
                closeQuietly(statement);
            }
        }
        finally {
            owner.release();
        }
    }

    /** Reads up to {@link #DRAIN_LIMIT} rows; true if that reached the end cleanly. */
    private boolean drain()
    {
        if (failed) {
            // a failed read leaves nothing useful on the wire; do not trust the connection
            return false;
        }
        try {
            for (int i = 0; i < DRAIN_LIMIT; i++) {
                if (!resultSet.next()) {
                    return true;
                }
            }
        }
        catch (SQLException | RuntimeException e) {
            return false;
        }
        return false;
    }

    private static void closeQuietly(AutoCloseable closeable)
    {
        try {
            closeable.close();
        }
        catch (Exception ignored) {
            // closing after an abort or a failure; nothing left to report
        }
    }
}
