package dev.sekisho.planner.plan;

import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ResultStream;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * Passes a source's rows through, presenting the plan's result columns and converting the values of
 * columns whose Java class differs from the result type's (e.g. MySQL's decimal SUM of integers).
 */
final class ConvertingResultStream
        implements ResultStream
{
    private final ResultStream delegate;
    private final List<ColumnMetadata> columns;
    private final UnaryOperator<Object>[] converters;
    private final boolean convertsNothing;

    /**
     * @param converters one per column, null where the value passes unchanged
     */
    ConvertingResultStream(ResultStream delegate, List<ColumnMetadata> columns, UnaryOperator<Object>[] converters)
    {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.columns = requireNonNull(columns, "columns is null");
        this.converters = requireNonNull(converters, "converters is null");
        // the source's row whole is this stream's only where no value is converted and the columns are the same
        this.convertsNothing = Arrays.stream(converters).allMatch(Objects::isNull) && delegate.columns().size() == columns.size();
    }

    @Override
    public List<ColumnMetadata> columns()
    {
        return columns;
    }

    @Override
    public boolean next()
    {
        return delegate.next();
    }

    @Override
    public boolean nextRowArrived()
    {
        return delegate.nextRowArrived();
    }

    @Override
    public Object value(int column)
    {
        Object value = delegate.value(column);
        UnaryOperator<Object> converter = converters[column];
        return converter == null || value == null ? value : converter.apply(value);
    }

    @Override
    public boolean hasText(int column)
    {
        // a converted value's text is not the source's
        return converters[column] == null && delegate.hasText(column);
    }

    @Override
    public byte[] text(int column)
    {
        return delegate.text(column);
    }

    @Override
    public int textLength(int column)
    {
        return delegate.textLength(column);
    }

    @Override
    public void copyText(int column, byte[] target, int offset)
    {
        delegate.copyText(column, target, offset);
    }

    @Override
    public int copyTextRow(byte[] target, int offset)
    {
        // a converted value's text is not the source's
        return convertsNothing ? delegate.copyTextRow(target, offset) : -1;
    }

    @Override
    public void close()
    {
        delegate.close();
    }
}
