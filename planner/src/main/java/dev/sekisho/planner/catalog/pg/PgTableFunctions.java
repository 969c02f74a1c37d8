package dev.sekisho.planner.catalog.pg;

import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;

/** PostgreSQL's set-returning functions usable in a FROM list (as {@code TABLE(f(...))}). */
@SuppressWarnings({"MethodName", "unused"})
public final class PgTableFunctions
{
    private PgTableFunctions() {}

    public static ScannableTable generate_series(Integer start, Integer stop)
    {
        List<Object[]> rows = new ArrayList<>();
        if (start != null && stop != null) {
            for (int i = start; i <= stop; i++) {
                rows.add(new Object[] {i});
            }
        }
        return new Rows(List.of("generate_series"), List.of(SqlTypeName.INTEGER), rows);
    }

    public static ScannableTable generate_subscripts(String array, Integer dimension)
    {
        List<Object[]> rows = new ArrayList<>();
        Integer lower = PgFunctions.array_lower(array, dimension);
        Integer upper = PgFunctions.array_upper(array, dimension);
        if (lower != null && upper != null) {
            for (int i = lower; i <= upper; i++) {
                rows.add(new Object[] {i});
            }
        }
        return new Rows(List.of("generate_subscripts"), List.of(SqlTypeName.INTEGER), rows);
    }

    /** The keywords; empty: clients use it only to list non-standard keywords. */
    public static ScannableTable pg_get_keywords()
    {
        return new Rows(List.of("word", "catcode", "barelabel", "catdesc", "baredesc"),
                List.of(SqlTypeName.VARCHAR, SqlTypeName.VARCHAR, SqlTypeName.BOOLEAN, SqlTypeName.VARCHAR, SqlTypeName.VARCHAR), List.of());
    }

    private static final class Rows
            extends AbstractTable
            implements ScannableTable
    {
        private final List<String> names;
        private final List<SqlTypeName> types;
        private final List<Object[]> rows;

        Rows(List<String> names, List<SqlTypeName> types, List<Object[]> rows)
        {
            this.names = names;
            this.types = types;
            this.rows = rows;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory typeFactory)
        {
            RelDataTypeFactory.Builder builder = typeFactory.builder();
            for (int i = 0; i < names.size(); i++) {
                builder.add(names.get(i), typeFactory.createTypeWithNullability(typeFactory.createSqlType(types.get(i)), true));
            }
            return builder.build();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root)
        {
            return Linq4j.asEnumerable(rows);
        }
    }
}
