package dev.sekisho.planner.pg.catalog;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * One relation of {@code pg_catalog} or {@code information_schema}: its rows are computed from a
 * {@link PgCatalogData} snapshot each time a statement scans it.
 */
public final class PgRelation
        extends AbstractTable
        implements ScannableTable
{
    private final String schema;
    private final String name;
    private final long oid;
    private final char kind;
    private final List<PgColumn> columns;
    private final Function<PgCatalogData, List<Object[]>> rows;
    private final PgCatalog catalog;

    PgRelation(PgCatalog catalog, String schema, String name, long oid, char kind, List<PgColumn> columns, Function<PgCatalogData, List<Object[]>> rows)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.schema = requireNonNull(schema, "schema is null");
        this.name = requireNonNull(name, "name is null");
        this.oid = oid;
        this.kind = kind;
        this.columns = List.copyOf(columns);
        this.rows = requireNonNull(rows, "rows is null");
    }

    public String schema()
    {
        return schema;
    }

    public String name()
    {
        return name;
    }

    long oid()
    {
        return oid;
    }

    char kind()
    {
        return kind;
    }

    List<PgColumn> columns()
    {
        return columns;
    }

    /** The PostgreSQL type OID of a column. */
    public int columnType(int ordinal)
    {
        return columns.get(ordinal).pgType();
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory)
    {
        RelDataTypeFactory.Builder builder = typeFactory.builder();
        for (PgColumn column : columns) {
            builder.add(column.name(), column.relType(typeFactory));
        }
        return builder.build();
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root)
    {
        PgCatalogData data = catalog.data(root);
        List<Object[]> result = new ArrayList<>();
        for (Object[] row : rows.apply(data)) {
            if (row.length != columns.size()) {
                throw new IllegalStateException("%s.%s: row of %d values for %d columns".formatted(schema, name, row.length, columns.size()));
            }
            Object[] converted = new Object[row.length];
            for (int i = 0; i < row.length; i++) {
                converted[i] = convert(row[i], columns.get(i).pgType());
            }
            result.add(converted);
        }
        return Linq4j.asEnumerable(result);
    }

    private static Object convert(Object value, int pgType)
    {
        if (value == null) {
            return null;
        }
        return switch (pgType) {
            case PgTypeInfo.OID, PgTypeInfo.REGCLASS, PgTypeInfo.XID, PgTypeInfo.INT8 -> ((Number) value).longValue();
            case PgTypeInfo.INT2 -> ((Number) value).shortValue();
            case PgTypeInfo.INT4 -> ((Number) value).intValue();
            case PgTypeInfo.FLOAT4 -> ((Number) value).floatValue();
            case PgTypeInfo.BOOL -> (Boolean) value;
            case PgTypeInfo.TIMESTAMPTZ -> ((Number) value).longValue();
            default -> value.toString();
        };
    }
}
