package dev.sekisho.planner.spi;

import java.util.List;

/**
 * A {@link ResultStream} that passes every call to {@link #delegate()}, for a wrapper that changes
 * some calls (how rows are read, closed or counted) but presents the same columns: a method added
 * to {@link ResultStream} is forwarded here once, not in every such wrapper
 * ({@code TestForwardingResultStream} checks that every method is). A wrapper that presents other
 * columns than its delegate's (fewer, reordered, converted) must not extend it: it would pass on
 * column-indexed calls and {@link #copyTextRow} unchanged.
 */
public abstract class ForwardingResultStream
        implements ResultStream
{
    /** The stream calls go to; may change between rows (a retry elsewhere before the first). */
    protected abstract ResultStream delegate();

    @Override
    public List<ColumnMetadata> columns()
    {
        return delegate().columns();
    }

    @Override
    public boolean next()
    {
        return delegate().next();
    }

    @Override
    public boolean nextRowArrived()
    {
        return delegate().nextRowArrived();
    }

    @Override
    public Object value(int column)
    {
        return delegate().value(column);
    }

    @Override
    public boolean hasText(int column)
    {
        return delegate().hasText(column);
    }

    @Override
    public byte[] text(int column)
    {
        return delegate().text(column);
    }

    @Override
    public int textLength(int column)
    {
        return delegate().textLength(column);
    }

    @Override
    public void copyText(int column, byte[] target, int offset)
    {
        delegate().copyText(column, target, offset);
    }

    @Override
    public int copyTextRow(byte[] target, int offset)
    {
        return delegate().copyTextRow(target, offset);
    }

    @Override
    public void close()
    {
        delegate().close();
    }
}
