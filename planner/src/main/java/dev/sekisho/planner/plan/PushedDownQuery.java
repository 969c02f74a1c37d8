package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SourceStatement;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.RouteExplanation;
import dev.sekisho.planner.spi.SourceTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * A statement that one source answers whole: executing it binds the parameters to the generated
 * statement's placeholders, runs it on the connector and passes the rows through.
 */
final class PushedDownQuery
        implements PreparedQuery
{
    private final String sql;
    private final List<ResultColumn> columns;
    private final List<ColumnType> parameterTypes;
    private final Connector connector;
    private final String sourceSql;
    private final int[] placeholderParameters;
    private final Set<Integer> collationFreePlaceholders;
    private final List<ColumnType> placeholderTypes;
    private final List<ColumnMetadata> columnMetadata;
    private final int[] sourceColumns;
    private final UnaryOperator<Object>[] converters;
    private final int[] dynamicParameterNumbers;
    private final boolean identityColumns;
    /** The last projection, computed in the gateway over the source's rows; null when the source computes everything. */
    private final LocalProjection projection;
    /** Why the last projection runs in the gateway; null without one. */
    private final String projectionReason;
    private final List<SourceTable> tables;

    /**
     * @param placeholderParameters for each {@code ?} of {@code sourceSql}, the zero-based index of the client's parameter
     * @param collationFreePlaceholders the positions of the {@code ?}s whose collation cannot matter
     * @param sourceColumns for each result column, the column of the source's result it reads
     * @param converters for each result column, the value converter, or null
     * @param tables the source's tables the statement reads, which its route depends on
     */
    PushedDownQuery(String sql, List<ResultColumn> columns, List<ColumnType> parameterTypes, Connector connector, String sourceSql,
            int[] placeholderParameters, Set<Integer> collationFreePlaceholders, int[] sourceColumns, UnaryOperator<Object>[] converters,
            List<SourceTable> tables)
    {
        this(sql, columns, parameterTypes, connector, sourceSql, placeholderParameters, collationFreePlaceholders, sourceColumns, converters, tables, null,
                null, null);
    }

    /**
     * @param projection the last projection, computed in the gateway over the source's rows ({@code sourceColumns} then index its output)
     * @param dynamicParameterNumbers for each Calcite dynamic parameter index, the zero-based index of the parameter it binds (with a projection)
     * @param projectionReason why the projection is not computed by the source
     */
    PushedDownQuery(String sql, List<ResultColumn> columns, List<ColumnType> parameterTypes, Connector connector, String sourceSql,
            int[] placeholderParameters, Set<Integer> collationFreePlaceholders, int[] sourceColumns, UnaryOperator<Object>[] converters,
            List<SourceTable> tables, LocalProjection projection, int[] dynamicParameterNumbers, String projectionReason)
    {
        this.projection = projection;
        this.dynamicParameterNumbers = dynamicParameterNumbers == null ? new int[0] : dynamicParameterNumbers.clone();
        this.projectionReason = projectionReason;
        this.tables = List.copyOf(tables);
        this.sql = requireNonNull(sql, "sql is null");
        this.columns = List.copyOf(columns);
        this.parameterTypes = List.copyOf(parameterTypes);
        this.connector = requireNonNull(connector, "connector is null");
        this.sourceSql = requireNonNull(sourceSql, "sourceSql is null");
        this.placeholderParameters = placeholderParameters.clone();
        this.collationFreePlaceholders = Set.copyOf(collationFreePlaceholders);
        List<ColumnType> types = new ArrayList<>();
        for (int parameter : placeholderParameters) {
            types.add(parameterTypes.get(parameter));
        }
        this.placeholderTypes = List.copyOf(types);
        this.sourceColumns = sourceColumns.clone();
        this.converters = converters.clone();
        this.columnMetadata = columns.stream()
                .map(column -> new ColumnMetadata(column.name(), column.type(), true, column.type().toString()))
                .toList();
        boolean identity = projection == null;
        for (int i = 0; i < sourceColumns.length; i++) {
            identity &= sourceColumns[i] == i;
        }
        this.identityColumns = identity;
    }

    @Override
    public String sql()
    {
        return sql;
    }

    @Override
    public List<ResultColumn> columns()
    {
        return columns;
    }

    @Override
    public List<ColumnType> parameterTypes()
    {
        return parameterTypes;
    }

    /** The source that runs the statement. */
    Connector connector()
    {
        return connector;
    }

    /** The statement sent to the source. */
    String sourceSql()
    {
        return sourceSql;
    }

    @Override
    public ResultStream execute(List<Object> parameters, ExecutionContext context)
    {
        ResultStream stream = sent(checkedOr(parameters, context), context);
        if (projection != null) {
            List<Object> dynamic = new ArrayList<>();
            for (int number : dynamicParameterNumbers) {
                dynamic.add(parameters.get(number));
            }
            stream = projection.apply(stream, dynamic);
        }
        if (identityColumns) {
            return new ConvertingResultStream(stream, columnMetadata, converters);
        }
        return new ConvertingResultStream(new ReorderedResultStream(stream, sourceColumns), columnMetadata, converters);
    }

    /**
     * The rows of {@code query}: those that arrived already on a front door's I/O thread
     * ({@link ExecutionContext#arrivedRows}) when {@code query} is the statement they answer, else
     * the source's. Arrived rows of another statement fail the run rather than send this one: the
     * caller may be that I/O thread, which must never wait for a source.
     */
    private ResultStream sent(BackendQuery query, ExecutionContext context)
    {
        Optional<ResultStream> arrived = context.arrivedRows();
        if (arrived.isEmpty()) {
            return connector.execute(query, context);
        }
        if (context.checkedFragment().orElse(null) != query) {
            arrived.get().close();
            throw new IllegalStateException("rows arrived for another source statement than the one this plan sends");
        }
        return arrived.get();
    }

    /**
     * The statement the caller checked already ({@link ExecutionContext#checkedFragment}) when it is
     * exactly the one this plan sends with {@code parameters}, else the statement built anew.
     */
    private BackendQuery checkedOr(List<Object> parameters, ExecutionContext context)
    {
        Optional<BackendQuery> checked = context.checkedFragment();
        if (checked.isPresent() && isMine(checked.get(), parameters)) {
            return checked.get();
        }
        return backendQuery(parameters);
    }

    private boolean isMine(BackendQuery query, List<Object> parameters)
    {
        if (!query.sql().equals(sourceSql) || !query.source().equals(connector.name()) || !query.parameterTypes().equals(placeholderTypes)
                || !query.tables().equals(tables) || !query.collationFreeParameters().equals(collationFreePlaceholders)
                || parameters.size() != parameterTypes.size()) {
            return false;
        }
        List<Object> bound = query.parameters();
        for (int i = 0; i < placeholderParameters.length; i++) {
            if (!Objects.equals(bound.get(i), parameters.get(placeholderParameters[i]))) {
                return false;
            }
        }
        return true;
    }

    /** The statement for the source with the client's parameters bound. */
    BackendQuery backendQuery(List<Object> parameters)
    {
        Parameters.check(parameters, parameterTypes.size());
        Object[] values = new Object[placeholderParameters.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = parameters.get(placeholderParameters[i]);
        }
        return new BackendQuery(connector.name(), sourceSql, Arrays.asList(values), placeholderTypes, tables, collationFreePlaceholders);
    }

    @Override
    public List<BackendQuery> fragments(List<Object> parameters)
    {
        return List.of(backendQuery(parameters));
    }

    @Override
    public String explain()
    {
        if (projection != null) {
            return ExplainText.pushedDownWithLocalProjection(connector, sourceSql, projectionReason, projection.explain()) + "\n" + ExplainText.routes(routes());
        }
        return ExplainText.pushedDown(connector, sourceSql) + "\n" + ExplainText.routes(routes());
    }

    @Override
    public List<RouteExplanation> routes()
    {
        return connector.explainRoute(BackendQuery.of(connector.name(), sourceSql, tables)).stream().toList();
    }

    @Override
    public List<SourceStatement> sourceStatements()
    {
        return List.of(new SourceStatement(connector.name(), sourceSql));
    }

    @Override
    public List<String> tablesRead()
    {
        return tables.stream().map(table -> connector.name() + "." + table.qualifiedName()).distinct().toList();
    }

    @Override
    public boolean isFullyPushedDown()
    {
        return projection == null;
    }

    /** Reads result columns at other positions of the source's row (extra ORDER BY columns trail). */
    private record ReorderedResultStream(ResultStream delegate, int[] sourceColumns)
            implements ResultStream
    {
        @Override
        public List<ColumnMetadata> columns()
        {
            List<ColumnMetadata> all = delegate.columns();
            return Arrays.stream(sourceColumns).mapToObj(all::get).toList();
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
            return delegate.value(sourceColumns[column]);
        }

        @Override
        public boolean hasText(int column)
        {
            return delegate.hasText(sourceColumns[column]);
        }

        @Override
        public byte[] text(int column)
        {
            return delegate.text(sourceColumns[column]);
        }

        @Override
        public int textLength(int column)
        {
            return delegate.textLength(sourceColumns[column]);
        }

        @Override
        public void copyText(int column, byte[] target, int offset)
        {
            delegate.copyText(sourceColumns[column], target, offset);
        }

        @Override
        public void close()
        {
            delegate.close();
        }
    }
}
