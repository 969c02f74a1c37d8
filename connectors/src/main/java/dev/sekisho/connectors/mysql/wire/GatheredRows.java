package dev.sekisho.connectors.mysql.wire;

import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ResultStream;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** The rows of a statement that arrived whole before the stream was handed on: nothing in it waits. */
public final class GatheredRows
        implements ResultStream
{
    private final List<ColumnMetadata> columns;
    private final List<Object[]> rows;
    private int current = -1;

    public GatheredRows(List<ColumnMetadata> columns, List<Object[]> rows)
    {
        this.columns = List.copyOf(columns);
        this.rows = requireNonNull(rows, "rows is null");
    }

    @Override
    public List<ColumnMetadata> columns()
    {
        return columns;
    }

    @Override
    public boolean next()
    {
        if (current < rows.size()) {
            current++;
        }
        return current < rows.size();
    }

    @Override
    public boolean nextRowArrived()
    {
        return true;
    }

    @Override
    public Object value(int column)
    {
        if (current < 0 || current >= rows.size()) {
            throw new IllegalStateException("no current row");
        }
        return rows.get(current)[column];
    }

    @Override
    public void close()
    {
        current = rows.size();
    }
}
