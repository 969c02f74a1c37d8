package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.catalog.ConnectorTable;
import dev.sekisho.planner.catalog.LocalJoins;
import dev.sekisho.planner.pg.catalog.PgCatalog;
import dev.sekisho.planner.pg.catalog.PgExecution;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.RouteExplanation;
import dev.sekisho.planner.spi.SourceTable;
import dev.sekisho.planner.types.ValueConverters;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.interpreter.Interpreter;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.schema.SchemaPlus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * A statement that no single source can answer: Calcite's interpreter runs the plan locally and
 * reads each table through its connector ({@link ConnectorTable#scan}). Rows of the sources are
 * read as the plan needs them, but joins and sorts hold their inputs in memory.
 */
final class FederatedQuery
        implements PreparedQuery
{
    private final String sql;
    private final List<ResultColumn> columns;
    private final List<ColumnType> parameterTypes;
    private final RelNode plan;
    private final SchemaPlus rootSchema;
    private final PgCatalog pgCatalog;
    private final JavaTypeFactory typeFactory;
    private final int[] dynamicParameterNumbers;
    private final List<UnaryOperator<Object>> parameterConverters;
    private final List<ColumnMetadata> columnMetadata;
    private final UnaryOperator<Object>[] converters;
    private final String explain;
    private final CompiledPlan compiled;
    /** Every source table the plan reads: each scan routes by all of its source's tables. */
    private final List<ConnectorTable> tables;

    /**
     * @param dynamicParameterNumbers for each Calcite dynamic parameter index, the zero-based index of the client's parameter
     * @param dynamicParameterTypes for each Calcite dynamic parameter index, its type
     */
    FederatedQuery(String sql, List<ResultColumn> columns, List<ColumnType> parameterTypes, RelNode plan, SchemaPlus rootSchema, PgCatalog pgCatalog,
            JavaTypeFactory typeFactory, int[] dynamicParameterNumbers, List<RelDataType> dynamicParameterTypes, String explain)
    {
        this(sql, columns, parameterTypes, plan, rootSchema, pgCatalog, typeFactory, dynamicParameterNumbers, dynamicParameterTypes, explain, null);
    }

    /**
     * @param compiled the plan compiled to Java, run instead of interpreting {@code plan}; null to interpret
     */
    FederatedQuery(String sql, List<ResultColumn> columns, List<ColumnType> parameterTypes, RelNode plan, SchemaPlus rootSchema, PgCatalog pgCatalog,
            JavaTypeFactory typeFactory, int[] dynamicParameterNumbers, List<RelDataType> dynamicParameterTypes, String explain, CompiledPlan compiled)
    {
        this.compiled = compiled;
        this.sql = requireNonNull(sql, "sql is null");
        this.columns = List.copyOf(columns);
        this.parameterTypes = List.copyOf(parameterTypes);
        this.plan = requireNonNull(plan, "plan is null");
        this.rootSchema = requireNonNull(rootSchema, "rootSchema is null");
        this.pgCatalog = requireNonNull(pgCatalog, "pgCatalog is null");
        this.typeFactory = requireNonNull(typeFactory, "typeFactory is null");
        this.dynamicParameterNumbers = dynamicParameterNumbers.clone();
        this.parameterConverters = dynamicParameterTypes.stream().map(ValueConverters::toInternal).toList();
        this.columnMetadata = columns.stream()
                .map(column -> new ColumnMetadata(column.name(), column.type(), true, column.type().toString()))
                .toList();
        @SuppressWarnings("unchecked")
        UnaryOperator<Object>[] array = columns.stream().map(column -> ValueConverters.toKind(column.type().kind())).toArray(UnaryOperator[]::new);
        this.converters = array;
        this.explain = requireNonNull(explain, "explain is null");
        this.tables = PlanStrategy.scans(plan);
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

    @Override
    public ResultStream execute(List<Object> parameters, ExecutionContext context)
    {
        Parameters.check(parameters, parameterTypes.size());
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < dynamicParameterNumbers.length; i++) {
            values.put("?" + i, parameterConverters.get(i).apply(parameters.get(dynamicParameterNumbers[i])));
        }
        long now = System.currentTimeMillis();
        TimeZone timeZone = TimeZone.getDefault();
        values.put(DataContext.Variable.UTC_TIMESTAMP.camelName, now);
        values.put(DataContext.Variable.CURRENT_TIMESTAMP.camelName, now);
        values.put(DataContext.Variable.LOCAL_TIMESTAMP.camelName, now + timeZone.getOffset(now));
        values.put(DataContext.Variable.TIME_ZONE.camelName, timeZone);
        // to_char's month and day names, as PostgreSQL's default lc_time (C) spells them
        values.put(DataContext.Variable.LOCALE.camelName, java.util.Locale.ENGLISH);
        values.put(DataContext.Variable.CANCEL_FLAG.camelName, new AtomicBoolean());
        values.put(ConnectorTable.EXECUTION_CONTEXT, context);
        values.put(ConnectorTable.STATEMENT_TABLES, tables);
        if (compiled != null) {
            values.put(LocalJoins.RUNTIME, new LocalJoins.Runtime(compiled.joins()));
        }
        // current_user, session_user and user (catalog emulation)
        values.put(DataContext.Variable.USER.camelName, context.user());
        values.put(DataContext.Variable.SYSTEM_USER.camelName, context.user());
        if (compiled != null) {
            values.putAll(compiled.internalParameters());
        }
        DataContext dataContext = new LocalDataContext(compiled != null && compiled.spools() ? withWorkTables(rootSchema, compiled) : rootSchema, typeFactory,
                values);
        Interpreter interpreter = null;
        Enumerator<Object[]> enumerator = null;
        // the OID functions resolve through this statement's view of the catalog
        try (PgCatalog.Binding binding = pgCatalog.bind(dataContext)) {
            PgExecution.checkCancelled(context);
            // the interpreter rewrites the plan with a planner that is not thread-safe
            if (compiled != null) {
                enumerator = compiled.open(dataContext);
            }
            else {
                synchronized (this) {
                    interpreter = new Interpreter(dataContext, plan);
                }
                // the interpreter runs its whole plan here, reading every source it scans
                enumerator = interpreter.enumerator();
            }
        }
        catch (RuntimeException | Error e) {
            // what the engine opened before it failed (source scans) is closed now; the caller translates the failure
            closeQuietly(enumerator, interpreter, e);
            throw e;
        }
        return new InterpreterResultStream(interpreter, enumerator, columnMetadata, converters, () -> pgCatalog.bind(dataContext), context);
    }

    /** The catalog's schemas and the plan's work tables, which its generated code looks up by name in the root schema. */
    private static SchemaPlus withWorkTables(SchemaPlus rootSchema, CompiledPlan compiled)
    {
        SchemaPlus root = org.apache.calcite.jdbc.CalciteSchema.createRootSchema(false, false).plus();
        for (String name : rootSchema.subSchemas().getNames(org.apache.calcite.schema.lookup.LikePattern.any())) {
            root.add(name, rootSchema.subSchemas().get(name));
        }
        compiled.workTables().forEach(root::add);
        return root;
    }

    private static void closeQuietly(Enumerator<Object[]> enumerator, Interpreter interpreter, Throwable failure)
    {
        try {
            if (enumerator != null) {
                enumerator.close();
            }
        }
        catch (RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
        try {
            if (interpreter != null) {
                interpreter.close();
            }
        }
        catch (RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public String explain()
    {
        String routes = ExplainText.routes(routes());
        return routes.isEmpty() ? explain : explain + (explain.endsWith("\n") ? "" : "\n") + routes;
    }

    @Override
    public List<String> tablesRead()
    {
        return tables.stream().map(table -> table.connector().name() + "." + table.sourceTable().qualifiedName()).distinct().toList();
    }

    @Override
    public List<RouteExplanation> routes()
    {
        // one route per source: each of its scans routes by all of its tables
        Map<Connector, List<SourceTable>> bySource = new LinkedHashMap<>();
        for (ConnectorTable table : tables) {
            bySource.computeIfAbsent(table.connector(), ignored -> new ArrayList<>()).add(table.sourceTable());
        }
        List<RouteExplanation> routes = new ArrayList<>();
        bySource.forEach((connector, sourceTables) -> connector.explainRoute(BackendQuery.of(connector.name(), "", sourceTables)).ifPresent(routes::add));
        return routes;
    }

    @Override
    public boolean isFullyPushedDown()
    {
        return false;
    }

    private record LocalDataContext(SchemaPlus rootSchema, JavaTypeFactory typeFactory, Map<String, Object> values)
            implements DataContext
    {
        @Override
        public SchemaPlus getRootSchema()
        {
            return rootSchema;
        }

        @Override
        public JavaTypeFactory getTypeFactory()
        {
            return typeFactory;
        }

        @Override
        public QueryProvider getQueryProvider()
        {
            return null;
        }

        @Override
        public Object get(String name)
        {
            return values.get(name);
        }
    }

    /** The interpreter's rows as a {@link ResultStream}, converted to the result columns' Java classes. */
    private static final class InterpreterResultStream
            implements ResultStream
    {
        private final Interpreter interpreter;
        private final Enumerator<Object[]> enumerator;
        private final List<ColumnMetadata> columns;
        private final UnaryOperator<Object>[] converters;
        private final java.util.function.Supplier<PgCatalog.Binding> binding;
        private final ExecutionContext context;
        private Object[] row;

        InterpreterResultStream(Interpreter interpreter, Enumerator<Object[]> enumerator, List<ColumnMetadata> columns, UnaryOperator<Object>[] converters,
                java.util.function.Supplier<PgCatalog.Binding> binding, ExecutionContext context)
        {
            this.context = context;
            this.binding = binding;
            this.interpreter = interpreter;
            this.enumerator = enumerator;
            this.columns = columns;
            this.converters = converters;
        }

        @Override
        public List<ColumnMetadata> columns()
        {
            return columns;
        }

        @Override
        public boolean next()
        {
            try (PgCatalog.Binding bound = binding.get()) {
                // a cancel stops the local engine between rows; pg_sleep notices it while it sleeps
                PgExecution.checkCancelled(context);
                if (!enumerator.moveNext()) {
                    row = null;
                    return false;
                }
                // compiled plans compute a row's values when it is read
                row = enumerator.current();
                return true;
            }
        }

        @Override
        public Object value(int column)
        {
            Object value = row[column];
            return value == null ? null : converters[column].apply(value);
        }

        @Override
        public void close()
        {
            try (PgCatalog.Binding bound = binding.get()) {
                enumerator.close();
            }
            finally {
                if (interpreter != null) {
                    // closes every node's source, also those the enumerator never reached
                    interpreter.close();
                }
            }
        }
    }
}
