package dev.sekisho.planner.catalog.pg;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
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
import java.util.function.Supplier;

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

    /** {@code unnest(array)} in a FROM list, over an array's or vector's text form. */
    public static ScannableTable pg_unnest(String array)
    {
        List<Object[]> rows = new ArrayList<>();
        if (array != null) {
            for (String element : PgFunctions.elements(array)) {
                rows.add(new Object[] {element});
            }
        }
        return new Rows(List.of("unnest"), List.of(SqlTypeName.VARCHAR), rows);
    }

    // The set-returning functions of a select list, which PgSetReturningFunctions joins laterally:
    // each row carries its ordinality, on which several such functions of one select list are zipped.

    public static ScannableTable pg_srf_generate_series(Integer start, Integer stop)
    {
        return withOrdinality(generate_series(start, stop), SqlTypeName.INTEGER);
    }

    public static ScannableTable pg_srf_generate_subscripts(String array, Integer dimension)
    {
        return withOrdinality(generate_subscripts(array, dimension), SqlTypeName.INTEGER);
    }

    public static ScannableTable pg_srf_unnest(String array)
    {
        return withOrdinality(pg_unnest(array), SqlTypeName.VARCHAR);
    }

    /**
     * {@code information_schema._pg_expandarray(array)}: a row (x, n) per element, x the element and
     * n its position from 1 (for vectors too, as PostgreSQL's definition over {@code generate_series(1, ...)}).
     */
    public static ScannableTable pg_srf_expandarray(String array)
    {
        // computed when scanned: Calcite calls this with the literal arguments to learn the row type
        return new Rows(List.of("x", "n", "ordinality"), List.of(SqlTypeName.INTEGER, SqlTypeName.INTEGER, SqlTypeName.INTEGER), () -> {
            List<Object[]> rows = new ArrayList<>();
            if (array != null) {
                List<String> elements = PgFunctions.elements(array);
                for (int i = 0; i < elements.size(); i++) {
                    String element = elements.get(i);
                    rows.add(new Object[] {element == null ? null : integer(element), i + 1, i + 1});
                }
            }
            return rows;
        });
    }

    private static Integer integer(String element)
    {
        try {
            return Integer.valueOf(element.strip());
        }
        catch (NumberFormatException e) {
            throw new QueryException(SqlStates.INVALID_TEXT_REPRESENTATION, "_pg_expandarray supports arrays of integers only, not \"" + element + "\"",
                    "Pass an int2vector or an integer array such as pg_index.indkey or pg_constraint.conkey.", e);
        }
    }

    private static ScannableTable withOrdinality(ScannableTable table, SqlTypeName type)
    {
        return new Rows(List.of("value", "ordinality"), List.of(type, SqlTypeName.INTEGER), () -> {
            List<Object[]> rows = new ArrayList<>();
            for (Object[] row : ((Rows) table).rows.get()) {
                rows.add(new Object[] {row[0], rows.size() + 1});
            }
            return rows;
        });
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
        private final Supplier<List<Object[]>> rows;

        Rows(List<String> names, List<SqlTypeName> types, List<Object[]> rows)
        {
            this(names, types, () -> rows);
        }

        Rows(List<String> names, List<SqlTypeName> types, Supplier<List<Object[]>> rows)
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
            return Linq4j.asEnumerable(rows.get());
        }
    }
}
