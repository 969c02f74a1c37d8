package dev.sekisho.gateway.session;

import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ResultStream;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A small result held in memory (SHOW and other answers the gateway gives itself).
 */
final class ListResultStream
        implements ResultStream
{
    private final List<ColumnMetadata> columns;
    private final List<List<Object>> rows;
    private int position = -1;

    ListResultStream(List<ColumnMetadata> columns, List<List<Object>> rows)
    {
        this.columns = List.copyOf(requireNonNull(columns, "columns is null"));
        this.rows = List.copyOf(requireNonNull(rows, "rows is null"));
    }

    @Override
    public List<ColumnMetadata> columns()
    {
        return columns;
    }

    @Override
    public boolean next()
    {
        if (position + 1 >= rows.size()) {
            position = rows.size();
            return false;
        }
        position++;
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
        return rows.get(position).get(column);
    }

    @Override
    public void close()
    {
        position = rows.size();
    }
}
