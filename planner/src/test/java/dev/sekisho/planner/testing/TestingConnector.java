package dev.sekisho.planner.testing;

import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.IndexMetadata;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.spi.TableMetadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * An in-memory connector for planner tests: holds tables and their rows, records every statement
 * it is given, answers plain {@code SELECT columns FROM schema.table} scans from its rows (ignoring
 * any WHERE: the planner re-applies pushed filters) and any other statement with canned rows.
 */
public final class TestingConnector
        implements Connector
{
    private static final Pattern SCAN = Pattern.compile("SELECT ((?:`[^`]+`(?:, )?)+) FROM `([^`]+)`\\.`([^`]+)`(?: WHERE .*)?");

    private final String name;
    private final SqlDialectKind dialect;
    private final Map<String, Map<String, TableMetadata>> schemas = new LinkedHashMap<>();
    private final Map<String, List<List<Object>>> rows = new LinkedHashMap<>();
    private final List<BackendQuery> queries = new CopyOnWriteArrayList<>();
    private final AtomicInteger tableLookups = new AtomicInteger();
    private final AtomicInteger refreshes = new AtomicInteger();
    private volatile List<List<Object>> cannedRows = List.of();

    public TestingConnector(String name, SqlDialectKind dialect)
    {
        this.name = requireNonNull(name, "name is null");
        this.dialect = requireNonNull(dialect, "dialect is null");
    }

    public static ColumnMetadata column(String name, ColumnType type)
    {
        return new ColumnMetadata(name, type, true, type.toString());
    }

    public static ColumnMetadata notNullColumn(String name, ColumnType type)
    {
        return new ColumnMetadata(name, type, false, type.toString());
    }

    public TestingConnector addSchema(String schema)
    {
        schemas.computeIfAbsent(schema, key -> new LinkedHashMap<>());
        return this;
    }

    public TestingConnector addTable(String schema, String table, List<ColumnMetadata> columns, List<List<Object>> tableRows)
    {
        schemas.computeIfAbsent(schema, key -> new LinkedHashMap<>())
                .put(table, new TableMetadata(schema, table, columns, List.of(columns.get(0).name()), TableMetadata.TableKind.TABLE, OptionalLong.of(tableRows.size())));
        rows.put(schema + "." + table, List.copyOf(tableRows));
        return this;
    }

    /** Adds a view (a table of kind VIEW, without a primary key). */
    public TestingConnector addView(String schema, String view, List<ColumnMetadata> columns, List<List<Object>> viewRows)
    {
        schemas.computeIfAbsent(schema, key -> new LinkedHashMap<>())
                .put(view, new TableMetadata(schema, view, columns, List.of(), TableMetadata.TableKind.VIEW, OptionalLong.of(viewRows.size())));
        rows.put(schema + "." + view, List.copyOf(viewRows));
        return this;
    }

    /** Adds a secondary index to a table added before. */
    public TestingConnector addIndex(String schema, String table, IndexMetadata index)
    {
        TableMetadata existing = requireNonNull(schemas.getOrDefault(schema, Map.of()).get(table), "no such table");
        List<IndexMetadata> indexes = new ArrayList<>(existing.indexes());
        indexes.add(index);
        schemas.get(schema).put(table, new TableMetadata(schema, table, existing.columns(), existing.primaryKey(), existing.kind(),
                existing.rowCountEstimate(), indexes));
        return this;
    }

    /** Rows returned for every statement that is not a plain table scan. */
    public void answer(List<List<Object>> canned)
    {
        cannedRows = List.copyOf(canned);
    }

    public List<BackendQuery> queries()
    {
        return List.copyOf(queries);
    }

    public BackendQuery lastQuery()
    {
        return queries.get(queries.size() - 1);
    }

    public int tableLookups()
    {
        return tableLookups.get();
    }

    public int refreshes()
    {
        return refreshes.get();
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public SqlDialectKind dialect()
    {
        return dialect;
    }

    @Override
    public ConnectorMetadata metadata()
    {
        return new ConnectorMetadata()
        {
            @Override
            public List<String> listSchemas()
            {
                return List.copyOf(schemas.keySet());
            }

            @Override
            public List<String> listTables(String schema)
            {
                return List.copyOf(schemas.getOrDefault(schema, Map.of()).keySet());
            }

            @Override
            public Optional<TableMetadata> getTable(String schema, String table)
            {
                tableLookups.incrementAndGet();
                return Optional.ofNullable(schemas.getOrDefault(schema, Map.of()).get(table));
            }

            @Override
            public void refresh()
            {
                refreshes.incrementAndGet();
            }
        };
    }

    @Override
    public ResultStream execute(BackendQuery query, ExecutionContext context)
    {
        queries.add(query);
        Matcher scan = SCAN.matcher(query.sql());
        if (scan.matches()) {
            TableMetadata table = schemas.get(scan.group(2)).get(scan.group(3));
            List<String> names = table.columns().stream().map(ColumnMetadata::name).toList();
            List<Integer> projection = new ArrayList<>();
            List<ColumnMetadata> columns = new ArrayList<>();
            for (String quoted : scan.group(1).split(", ")) {
                int index = names.indexOf(quoted.replace("`", ""));
                projection.add(index);
                columns.add(table.columns().get(index));
            }
            List<List<Object>> projected = new ArrayList<>();
            for (List<Object> row : rows.get(scan.group(2) + "." + scan.group(3))) {
                List<Object> values = new ArrayList<>();
                projection.forEach(index -> values.add(row.get(index)));
                projected.add(values);
            }
            return new TestingResultStream(columns, projected);
        }
        return new TestingResultStream(List.of(), cannedRows);
    }

    /** Rows from memory. */
    public static final class TestingResultStream
            implements ResultStream
    {
        private final List<ColumnMetadata> columns;
        private final List<List<Object>> rows;
        private int position = -1;
        private boolean closed;

        public TestingResultStream(List<ColumnMetadata> columns, List<List<Object>> rows)
        {
            this.columns = List.copyOf(columns);
            this.rows = List.copyOf(rows);
        }

        @Override
        public List<ColumnMetadata> columns()
        {
            return columns;
        }

        @Override
        public boolean next()
        {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            position++;
            return position < rows.size();
        }

        @Override
        public Object value(int column)
        {
            return rows.get(position).get(column);
        }

        @Override
        public void close()
        {
            closed = true;
        }
    }
}
