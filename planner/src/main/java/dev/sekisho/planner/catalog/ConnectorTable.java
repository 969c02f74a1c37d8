package dev.sekisho.planner.catalog;

import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SourceTable;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.spi.TableMetadata;
import dev.sekisho.planner.sql.Dialects;
import dev.sekisho.planner.types.TypeMapping;
import dev.sekisho.planner.types.ValueConverters;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rel.rel2sql.SqlImplementor;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.ProjectableFilterableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeFamily;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static java.util.Objects.requireNonNull;

/**
 * A source table as a Calcite table. Pushed-down plans only read its row type; the local fallback
 * engine also scans it, asking the source for the needed columns and simple filters, and, as the
 * probe side of a local join, for the join keys its build side read ({@link LocalJoins}).
 */
public final class ConnectorTable
        extends AbstractTable
        implements ProjectableFilterableTable
{
    /** The key under which the fallback engine's {@link DataContext} holds the {@link ExecutionContext}. */
    public static final String EXECUTION_CONTEXT = "sekisho.executionContext";

    /**
     * The key under which the fallback engine's {@link DataContext} holds every table the statement
     * reads ({@code List<ConnectorTable>}): each scan tells its source all of that source's tables,
     * so that the source routes every scan of the statement by the same freshness limit.
     */
    public static final String STATEMENT_TABLES = "sekisho.statementTables";

    private final Connector connector;
    private final String exposedSchema;
    private final TableMetadata metadata;
    private volatile RelDataType rowType;

    ConnectorTable(Connector connector, String exposedSchema, TableMetadata metadata)
    {
        this.connector = requireNonNull(connector, "connector is null");
        this.exposedSchema = requireNonNull(exposedSchema, "exposedSchema is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
    }

    /**
     * This table (a warehouse copy) read as {@code original}: the original's columns, names, types
     * and order, taken from this table's columns of the same names, so that a plan over the original
     * runs unchanged on the copy; empty when the copy lacks one of the original's columns.
     */
    public Optional<ConnectorTable> readAs(ConnectorTable original)
    {
        List<ColumnMetadata> columns = new ArrayList<>();
        for (ColumnMetadata column : original.metadata().columns()) {
            Optional<ColumnMetadata> copy = metadata.columns().stream().filter(candidate -> candidate.name().equalsIgnoreCase(column.name())).findFirst();
            if (copy.isEmpty()) {
                return Optional.empty();
            }
            columns.add(new ColumnMetadata(copy.get().name(), column.type(), column.nullable(), copy.get().sourceType(), column.comment()));
        }
        return Optional.of(new ConnectorTable(connector, exposedSchema, new TableMetadata(metadata.schema(), metadata.name(), columns, List.of(),
                metadata.kind(), metadata.rowCountEstimate())));
    }

    /** The source that holds the table. */
    public Connector connector()
    {
        return connector;
    }

    /** The table as the source names it, for routing. */
    public SourceTable sourceTable()
    {
        return new SourceTable(metadata.schema(), metadata.name());
    }

    /** The exposed (lower-case) name of the table's schema. */
    public String exposedSchema()
    {
        return exposedSchema;
    }

    /** The table as the source describes it, with the source's spelling of its schema and name. */
    public TableMetadata metadata()
    {
        return metadata;
    }

    /** Also unwraps to its {@link TableMetadata}: how the SQL generator learns the source's names without knowing this class. */
    @Override
    public <C> C unwrap(Class<C> aClass)
    {
        if (aClass == TableMetadata.class) {
            return aClass.cast(metadata);
        }
        return super.unwrap(aClass);
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory)
    {
        RelDataType type = rowType;
        if (type == null || type.getFieldCount() == 0) {
            RelDataTypeFactory.Builder builder = typeFactory.builder();
            for (ColumnMetadata column : metadata.columns()) {
                builder.add(column.name(), TypeMapping.toRelDataType(typeFactory, column.type(), column.nullable()));
            }
            type = builder.build();
            rowType = type;
        }
        return type;
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters, int[] projects)
    {
        ExecutionContext context = (ExecutionContext) requireNonNull(root.get(EXECUTION_CONTEXT), "execution context is missing");
        int[] columns = projects == null ? IntStream.range(0, metadata.columns().size()).toArray() : projects.clone();
        String sql = scanSql(filters, columns);
        List<RelDataTypeField> fields = getRowType(root.getTypeFactory()).getFieldList();
        List<UnaryOperator<Object>> converters = new ArrayList<>();
        for (int column : columns) {
            converters.add(ValueConverters.toInternal(fields.get(column).getType()));
        }
        // filters stay in the list: the engine applies them again, so a source that compares
        // differently (collations) can only return more rows, never lose any
        String signature = LocalJoins.signature(columns, filters);
        LocalJoins.Runtime joins = (LocalJoins.Runtime) root.get(LocalJoins.RUNTIME);
        return new AbstractEnumerable<>()
        {
            @Override
            public Enumerator<Object[]> enumerator()
            {
                // opened when the rows are needed: a join's probe side after its build side was read whole
                List<LocalJoins.Collector> collectors = joins == null ? List.of() : joins.collectorsFor(ConnectorTable.this, signature);
                Optional<LocalJoins.Filter> dynamic = joins == null ? Optional.empty() : joins.filterFor(ConnectorTable.this, signature);
                List<SourceTable> tables = statementTables(root);
                BackendQuery query = dynamic.flatMap(filter -> withDynamicFilter(sql, filter, tables)).orElse(BackendQuery.of(connector.name(), sql, tables));
                return new StreamEnumerator(connector.execute(query, context), converters, collectors);
            }
        };
    }

    /**
     * The scan's statement with the dynamic filter: the column among the build side's keys, bound as
     * parameters ({@code IN (?, ...)}; BigQuery: one array, {@code IN UNNEST(?)}); empty when the
     * keys cannot be bound as the column's type.
     */
    private Optional<BackendQuery> withDynamicFilter(String sql, LocalJoins.Filter filter, List<SourceTable> tables)
    {
        ColumnMetadata column = metadata.columns().get(filter.column());
        ColumnType type = column.type();
        List<Object> values = new ArrayList<>();
        for (Object key : filter.values()) {
            Object value = switch (type.kind()) {
                case SMALLINT -> key instanceof Number number && number.longValue() == number.shortValue() ? (Object) number.shortValue() : null;
                case INTEGER -> key instanceof Number number && number.longValue() == number.intValue() ? (Object) number.intValue() : null;
                case BIGINT -> key instanceof Integer || key instanceof Long || key instanceof Short ? (Object) ((Number) key).longValue() : null;
                case CHAR, VARCHAR, TEXT -> key instanceof String ? key : null;
                default -> null;
            };
            if (value == null) {
                return Optional.empty();
            }
            values.add(value);
        }
        SqlDialect dialect = Dialects.of(connector.dialect());
        String name = dialect.quoteIdentifier(column.name());
        String where = sql.contains(" WHERE ") ? " AND " : " WHERE ";
        if (values.isEmpty()) {
            return Optional.of(BackendQuery.of(connector.name(), sql + where + "1 = 0", tables));
        }
        if (connector.dialect() == SqlDialectKind.BIGQUERY) {
            return Optional.of(new BackendQuery(connector.name(), sql + where + name + " IN UNNEST(?)", List.of(values), List.of(ColumnType.array(type)), tables));
        }
        String placeholders = String.join(", ", Collections.nCopies(values.size(), "?"));
        return Optional.of(new BackendQuery(connector.name(), sql + where + name + " IN (" + placeholders + ")", values,
                Collections.nCopies(values.size(), type), tables));
    }

    /** How EXPLAIN shows a probe scan's dynamic filter. */
    public String dynamicFilterText(int column, String from)
    {
        SqlDialect dialect = Dialects.of(connector.dialect());
        String name = dialect.quoteIdentifier(metadata.columns().get(column).name());
        return name + (connector.dialect() == SqlDialectKind.BIGQUERY ? " IN UNNEST(?)" : " IN (?, ...)") + " -- dynamic filter: the join keys read from " + from;
    }

    /** This source's tables among those the statement reads; at least this one. */
    private List<SourceTable> statementTables(DataContext root)
    {
        List<SourceTable> tables = new ArrayList<>();
        tables.add(sourceTable());
        if (root.get(STATEMENT_TABLES) instanceof List<?> all) {
            for (Object table : all) {
                if (table instanceof ConnectorTable other && other.connector == connector && !tables.contains(other.sourceTable())) {
                    tables.add(other.sourceTable());
                }
            }
        }
        return tables;
    }

    /** The statement the fallback engine sends to the source for a scan. */
    public String scanSql(List<RexNode> filters, int[] columns)
    {
        SqlDialect dialect = Dialects.of(connector.dialect());
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) {
                sql.append(", ");
            }
            sql.append(dialect.quoteIdentifier(metadata.columns().get(columns[i]).name()));
        }
        sql.append(" FROM ").append(dialect.quoteIdentifier(metadata.schema())).append('.').append(dialect.quoteIdentifier(metadata.name()));
        SqlImplementor.SimpleContext context = new SqlImplementor.SimpleContext(dialect,
                index -> new SqlIdentifier(metadata.columns().get(index).name(), SqlParserPos.ZERO));
        String separator = " WHERE ";
        for (RexNode filter : filters) {
            Optional<String> condition = simpleCondition(context, dialect, filter);
            if (condition.isPresent()) {
                sql.append(separator).append(condition.get());
                separator = " AND ";
            }
        }
        return sql.toString();
    }

    private static Optional<String> simpleCondition(SqlImplementor.SimpleContext context, SqlDialect dialect, RexNode filter)
    {
        if (!(filter instanceof RexCall call)) {
            return Optional.empty();
        }
        boolean simple = switch (call.getKind()) {
            case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL ->
                    call.getOperands().size() == 2
                            && (isColumnAndLiteral(call.getOperands().get(0), call.getOperands().get(1))
                            || isColumnAndLiteral(call.getOperands().get(1), call.getOperands().get(0)));
            case IS_NULL, IS_NOT_NULL -> call.getOperands().get(0) instanceof RexInputRef;
            default -> false;
        };
        if (!simple) {
            return Optional.empty();
        }
        try {
            return Optional.of(context.toSql(null, filter).toSqlString(dialect).getSql());
        }
        catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean isColumnAndLiteral(RexNode column, RexNode literal)
    {
        if (!(column instanceof RexInputRef) || !(literal instanceof RexLiteral value) || value.isNull()) {
            return false;
        }
        SqlTypeFamily family = value.getType().getSqlTypeName().getFamily();
        return family == SqlTypeFamily.NUMERIC || family == SqlTypeFamily.CHARACTER || family == SqlTypeFamily.BOOLEAN;
    }

    /** Reads a source's rows as Calcite's internal values. */
    private static final class StreamEnumerator
            implements Enumerator<Object[]>
    {
        private final ResultStream stream;
        private final List<UnaryOperator<Object>> converters;
        private final List<LocalJoins.Collector> collectors;
        private Object[] current;

        StreamEnumerator(ResultStream stream, List<UnaryOperator<Object>> converters, List<LocalJoins.Collector> collectors)
        {
            this.stream = stream;
            this.converters = converters;
            this.collectors = collectors;
        }

        @Override
        public Object[] current()
        {
            return current;
        }

        @Override
        public boolean moveNext()
        {
            if (!stream.next()) {
                collectors.forEach(LocalJoins.Collector::end);
                return false;
            }
            Object[] row = new Object[converters.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = converters.get(i).apply(stream.value(i));
            }
            for (LocalJoins.Collector collector : collectors) {
                collector.row(row);
            }
            current = row;
            return true;
        }

        @Override
        public void reset()
        {
            throw new UnsupportedOperationException("a source scan cannot be restarted");
        }

        @Override
        public void close()
        {
            stream.close();
        }
    }
}
