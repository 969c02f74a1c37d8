package dev.sekisho.gateway.execution;

import dev.sekisho.planner.spi.ResultStream;

/** The current row of a stream, as a sink sees it. */
record StreamRow(ResultStream rows)
        implements ResultRow
{
    @Override
    public Object value(int column)
    {
        return rows.value(column);
    }

    @Override
    public boolean hasText(int column)
    {
        return rows.hasText(column);
    }

    @Override
    public byte[] text(int column)
    {
        return rows.text(column);
    }

    @Override
    public int textLength(int column)
    {
        return rows.textLength(column);
    }

    @Override
    public void copyText(int column, byte[] target, int offset)
    {
        rows.copyText(column, target, offset);
    }

    @Override
    public int copyTextRow(byte[] target, int offset)
    {
        return rows.copyTextRow(target, offset);
    }
}
