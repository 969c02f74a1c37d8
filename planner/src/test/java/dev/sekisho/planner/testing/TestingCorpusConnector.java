package dev.sekisho.planner.testing;

import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.IndexMetadata;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.spi.TableMetadata;
import dev.sekisho.planner.spi.TableMetadata.TableKind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The client corpus's fixture as source metadata: database {@code analytics} with
 * {@code public.orders} (with the index {@code orders_customer_id_idx} on {@code customer_id}), {@code sales.customers},
 * the view {@code public.v_orders}, the materialized view {@code public.mv_totals} and {@code public.people}
 * with the enum {@code mood}, the domain {@code posint} and a {@code mood[]} column. Answers every source
 * statement with no rows.
 */
public final class TestingCorpusConnector
        implements Connector
{
    private final Map<String, Map<String, TableMetadata>> schemas = new LinkedHashMap<>();

    public TestingCorpusConnector()
    {
        table("public", "orders", List.of("id"), List.of(new IndexMetadata("orders_customer_id_idx", List.of("customer_id"), false)), TableKind.TABLE,
                column("id", ColumnType.of(Kind.BIGINT), false),
                column("customer_id", ColumnType.of(Kind.INTEGER), false),
                column("amount", ColumnType.decimal(12, 2), true),
                column("created_at", ColumnType.of(Kind.TIMESTAMP_WITH_TIME_ZONE), true),
                column("note", ColumnType.of(Kind.TEXT), true),
                column("tags", ColumnType.array(ColumnType.of(Kind.TEXT)), true));
        table("sales", "customers", List.of("id"), TableKind.TABLE,
                column("id", ColumnType.of(Kind.INTEGER), false),
                column("name", ColumnType.varchar(100), true),
                column("email", ColumnType.varchar(255), true),
                column("ssn", ColumnType.character(11), true),
                column("active", ColumnType.of(Kind.BOOLEAN), true));
        table("public", "v_orders", List.of(), TableKind.VIEW,
                column("id", ColumnType.of(Kind.BIGINT), true),
                column("amount", ColumnType.decimal(12, 2), true));
        table("public", "mv_totals", List.of(), TableKind.MATERIALIZED_VIEW,
                column("customer_id", ColumnType.of(Kind.INTEGER), true),
                column("total", ColumnType.of(Kind.DECIMAL), true));
        ColumnType mood = ColumnType.enumeration("public", "mood", List.of("sad", "ok", "happy"));
        table("public", "people", List.of("id"), TableKind.TABLE,
                column("id", ColumnType.of(Kind.INTEGER), false),
                column("m", mood, true),
                column("p", ColumnType.domain("public", "posint", ColumnType.of(Kind.INTEGER)), true),
                column("ms", ColumnType.array(mood), true));
    }

    private static ColumnMetadata column(String name, ColumnType type, boolean nullable)
    {
        return new ColumnMetadata(name, type, nullable, type.toString());
    }

    private void table(String schema, String name, List<String> primaryKey, TableKind kind, ColumnMetadata... columns)
    {
        table(schema, name, primaryKey, List.of(), kind, columns);
    }

    private void table(String schema, String name, List<String> primaryKey, List<IndexMetadata> indexes, TableKind kind, ColumnMetadata... columns)
    {
        schemas.computeIfAbsent(schema, key -> new LinkedHashMap<>())
                .put(name, new TableMetadata(schema, name, List.of(columns), primaryKey, kind, OptionalLong.of(2), indexes));
    }

    @Override
    public String name()
    {
        return "analytics";
    }

    @Override
    public SqlDialectKind dialect()
    {
        return SqlDialectKind.MYSQL;
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
                return Optional.ofNullable(schemas.getOrDefault(schema, Map.of()).get(table));
            }
        };
    }

    @Override
    public ResultStream execute(BackendQuery query, ExecutionContext context)
    {
        return new ResultStream()
        {
            @Override
            public List<ColumnMetadata> columns()
            {
                return List.of();
            }

            @Override
            public boolean next()
            {
                return false;
            }

            @Override
            public Object value(int column)
            {
                throw new IllegalStateException("no row");
            }

            @Override
            public void close() {}
        };
    }
}
