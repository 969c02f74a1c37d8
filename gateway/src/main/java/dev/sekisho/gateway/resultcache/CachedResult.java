package dev.sekisho.gateway.resultcache;

import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ResultStream;

import java.time.Duration;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The rows of one source statement, complete, as the source returned them. Shared by every reader:
 * the rows are never changed after the result is built.
 *
 * @param columns the result's columns
 * @param rows the values of each row
 * @param bytes the estimated memory the rows hold (the cache's weight)
 * @param ttl how long it may be served
 */
record CachedResult(List<ColumnMetadata> columns, List<Object[]> rows, long bytes, Duration ttl)
{
    CachedResult
    {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        requireNonNull(ttl, "ttl is null");
    }

    /** A new reader over the rows. */
    ResultStream stream()
    {
        return new RowsStream(columns, rows);
    }

    /** Reads cached rows; a fresh cursor per reader. */
    static final class RowsStream
            implements ResultStream
    {
        private final List<ColumnMetadata> columns;
        private final List<Object[]> rows;
        private int next;
        private Object[] current;

        RowsStream(List<ColumnMetadata> columns, List<Object[]> rows)
        {
            this.columns = columns;
            this.rows = rows;
        }

        @Override
        public List<ColumnMetadata> columns()
        {
            return columns;
        }

        @Override
        public boolean next()
        {
            if (next >= rows.size()) {
                current = null;
                return false;
            }
            current = rows.get(next++);
            return true;
        }

        @Override
        public boolean nextRowArrived()
        {
            // the rows are in memory
            return true;
        }

        @Override
        public Object value(int column)
        {
            if (current == null) {
                throw new IllegalStateException("no current row");
            }
            return current[column];
        }

        @Override
        public void close()
        {
            current = null;
            next = rows.size();
        }
    }
}
