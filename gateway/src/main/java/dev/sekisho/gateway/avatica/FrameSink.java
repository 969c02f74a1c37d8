package dev.sekisho.gateway.avatica;

import dev.sekisho.gateway.execution.ResultRow;
import dev.sekisho.gateway.execution.RowSink;
import dev.sekisho.gateway.session.Portal;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.spi.ColumnType;

import java.util.ArrayList;
import java.util.List;

/**
 * One Avatica frame being filled: the rows of one run of a portal, limited to the frame's size by
 * the run's row limit (the portal is then suspended until the client fetches the next frame, as
 * pgjdbc's fetch size does over the PostgreSQL door). Only one frame is held in memory at a time.
 */
final class FrameSink
        implements RowSink
{
    private final List<Object> rows = new ArrayList<>();
    private ColumnType[] types;
    private boolean completed;

    @Override
    public void start(Portal portal)
    {
        List<ResultColumn> columns = portal.columns().orElse(List.of());
        types = columns.stream().map(ResultColumn::type).toArray(ColumnType[]::new);
    }

    @Override
    public boolean isReady()
    {
        return true;
    }

    @Override
    public void write(ResultRow row)
    {
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = AvaticaTypes.frameValue(types[i], row.value(i));
        }
        rows.add(values);
    }

    @Override
    public void suspended()
    {
        // the portal keeps its place; the next fetch continues it
    }

    @Override
    public void completed(String commandTag)
    {
        completed = true;
    }

    /** The rows of this frame. */
    List<Object> rows()
    {
        return rows;
    }

    /** Whether the statement is done (no more frames). */
    boolean isCompleted()
    {
        return completed;
    }
}
