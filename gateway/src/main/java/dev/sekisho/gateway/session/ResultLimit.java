package dev.sekisho.gateway.session;

import dev.sekisho.planner.spi.ForwardingResultStream;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlStates;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A statement's rows, counted against its role's {@code max_result_rows} and
 * {@code max_result_bytes}: the row past a limit fails the statement with 54000 (the client has
 * the rows before it), so that one query cannot pull a whole table through the gateway. Counted at
 * the source's stream, so a cursor read in many FETCHes is one statement. Bytes are the size of the
 * values as the gateway holds them (text in UTF-8, binary as is, anything else as its text), close
 * to what a client receives in text format.
 */
final class ResultLimit
        extends ForwardingResultStream
{
    private final ResultStream rows;
    private final int columnCount;
    private final String user;
    private final long maxRows;
    private final long maxBytes;
    private long rowCount;
    private long byteCount;

    private ResultLimit(ResultStream rows, int columnCount, String user, long maxRows, long maxBytes)
    {
        this.rows = requireNonNull(rows, "rows is null");
        this.columnCount = columnCount;
        this.user = requireNonNull(user, "user is null");
        this.maxRows = maxRows;
        this.maxBytes = maxBytes;
    }

    @Override
    protected ResultStream delegate()
    {
        return rows;
    }

    /**
     * {@code rows} limited as {@code limits} say; {@code rows} itself when nothing is limited.
     *
     * @param columnCount the columns of each row (as the statement was planned)
     */
    static ResultStream of(ResultStream rows, int columnCount, String user, SessionLimits limits)
    {
        if (limits.maxResultRows() == 0 && limits.maxResultBytes() == 0) {
            return rows;
        }
        return new ResultLimit(rows, columnCount, user, limits.maxResultRows(), limits.maxResultBytes());
    }

    @Override
    public boolean next()
    {
        if (!rows.next()) {
            return false;
        }
        rowCount++;
        if (maxRows > 0 && rowCount > maxRows) {
            throw exceeded(maxRows + " rows");
        }
        if (maxBytes > 0) {
            for (int i = 0; i < columnCount; i++) {
                // a value's source text is the text size counts, without building the value
                int textLength = rows.hasText(i) ? rows.textLength(i) : -1;
                byteCount += textLength >= 0 ? textLength : size(rows.value(i));
            }
            if (byteCount > maxBytes) {
                throw exceeded(PgUnits.formatBytes(maxBytes));
            }
        }
        return true;
    }

    private QueryException exceeded(String limit)
    {
        return new QueryException(SqlStates.PROGRAM_LIMIT_EXCEEDED, "the result of this statement is larger than " + limit
                + ", the most role \"" + user + "\" may read in one statement",
                "Add a WHERE clause or a LIMIT, or aggregate; the limit is max_result_rows / max_result_bytes under limits: in sekisho.yaml.", null);
    }

    static long size(Object value)
    {
        if (value == null) {
            return 0;
        }
        if (value instanceof String text) {
            return utf8Length(text);
        }
        if (value instanceof byte[] bytes) {
            return bytes.length;
        }
        if (value instanceof Collection<?> items) {
            long total = 0;
            for (Object item : items) {
                total += size(item);
            }
            return total;
        }
        if (value instanceof Object[] items) {
            long total = 0;
            for (Object item : items) {
                total += size(item);
            }
            return total;
        }
        return utf8Length(value.toString());
    }

    private static long utf8Length(String text)
    {
        long length = text.length();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                // rare enough to count exactly only when it matters
                return text.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return length;
    }
}
