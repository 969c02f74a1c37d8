package dev.sekisho.planner.pg.functions;

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

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/** PostgreSQL's set-returning functions usable in a FROM list (as {@code TABLE(f(...))}). */
@SuppressWarnings({"MethodName", "unused"})
public final class PgTableFunctions
{
    private PgTableFunctions() {}

    public static ScannableTable generate_series(Integer start, Integer stop)
    {
        return generate_series(start, stop, 1);
    }

    /** {@code generate_series(start, stop, step)}: computed as it is read, so a long series takes no memory. */
    public static ScannableTable generate_series(Integer start, Integer stop, Integer step)
    {
        if (step != null && step == 0) {
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "step size cannot equal zero", null, null);
        }
        return new Rows(List.of("generate_series"), List.of(SqlTypeName.INTEGER), () -> series(start, stop, step));
    }

    private static Iterable<Object[]> series(Integer start, Integer stop, Integer step)
    {
        if (start == null || stop == null || step == null) {
            return List.of();
        }
        return () -> new Iterator<>()
        {
            private long next = start;

            @Override
            public boolean hasNext()
            {
                return step > 0 ? next <= stop : next >= stop;
            }

            @Override
            public Object[] next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Object[] row = {(int) next};
                next += step;
                return row;
            }
        };
    }

    /**
     * {@code generate_series(timestamp, timestamp, interval)}: the bounds as text (a date or a
     * timestamp), the interval as {@code "<months> <milliseconds>"} (the planner splits it). Each
     * value is the previous plus the interval, as PostgreSQL adds it (month steps from the 31st land
     * on the 29th after February).
     */
    public static ScannableTable pg_generate_series_ts(String start, String stop, String step)
    {
        long months = 0;
        long millis = 0;
        if (step != null) {
            String[] parts = step.split(" ");
            months = Long.parseLong(parts[0]);
            millis = Long.parseLong(parts[1]);
        }
        if (step != null && months == 0 && millis == 0) {
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "step size cannot equal zero", null, null);
        }
        long stepMonths = months;
        long stepMillis = millis;
        return new Rows(List.of("generate_series"), List.of(SqlTypeName.TIMESTAMP), () -> timestamps(start, stop, stepMonths, stepMillis));
    }

    private static Iterable<Object[]> timestamps(String start, String stop, long months, long millis)
    {
        if (start == null || stop == null) {
            return List.of();
        }
        LocalDateTime first = timestamp(start);
        LocalDateTime last = timestamp(stop);
        // the direction of the step: months decide, as they dominate an interval's comparison in PostgreSQL
        boolean forward = months > 0 || (months == 0 && millis > 0);
        return () -> new Iterator<>()
        {
            private LocalDateTime next = first;

            @Override
            public boolean hasNext()
            {
                return forward ? !next.isAfter(last) : !next.isBefore(last);
            }

            @Override
            public Object[] next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                // Calcite's internal form of a TIMESTAMP: milliseconds of the wall-clock time as if in UTC
                Object[] row = {next.toInstant(ZoneOffset.UTC).toEpochMilli()};
                next = next.plusMonths(months).plus(millis, ChronoUnit.MILLIS);
                return row;
            }
        };
    }

    private static LocalDateTime timestamp(String text)
    {
        String value = text.strip();
        try {
            return value.length() <= 10 ? LocalDate.parse(value).atStartOfDay() : LocalDateTime.parse(value.replace(' ', 'T'));
        }
        catch (DateTimeParseException e) {
            throw new QueryException(SqlStates.INVALID_DATETIME_FORMAT, "invalid input syntax for type timestamp: \"" + text + "\"",
                    "Write the bounds as dates or timestamps, such as '2024-01-31' or '2024-01-31 08:00:00'.", e);
        }
    }

    public static ScannableTable generate_subscripts(String array, Integer dimension)
    {
        List<Object[]> rows = new ArrayList<>();
        Integer lower = PgArrayFunctions.array_lower(array, dimension);
        Integer upper = PgArrayFunctions.array_upper(array, dimension);
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
            for (String element : PgArrayFunctions.elements(array)) {
                rows.add(new Object[] {element});
            }
        }
        return new Rows(List.of("unnest"), List.of(SqlTypeName.VARCHAR), rows);
    }

    public static ScannableTable regexp_matches(String text, String pattern)
    {
        return regexp_matches(text, pattern, "");
    }

    /** {@code regexp_matches(text, pattern, flags)}: a row per match (one at most without {@code g}), each a {@code text[]}. */
    public static ScannableTable regexp_matches(String text, String pattern, String flags)
    {
        return new Rows(List.of("regexp_matches"), List.of(SqlTypeName.VARCHAR), () -> rows(PgRegexFunctions.matches(text, pattern, flags)));
    }

    public static ScannableTable regexp_split_to_table(String text, String pattern)
    {
        return regexp_split_to_table(text, pattern, "");
    }

    /** {@code regexp_split_to_table(text, pattern, flags)}: a row per piece between the matches. */
    public static ScannableTable regexp_split_to_table(String text, String pattern, String flags)
    {
        return new Rows(List.of("regexp_split_to_table"), List.of(SqlTypeName.VARCHAR),
                () -> rows(PgRegexFunctions.split(text, pattern, flags, "regexp_split_to_table")));
    }

    private static List<Object[]> rows(List<String> values)
    {
        List<Object[]> rows = new ArrayList<>();
        if (values != null) {
            values.forEach(value -> rows.add(new Object[] {value}));
        }
        return rows;
    }

    // The set-returning functions of a select list, which PgSetReturningFunctions joins laterally:
    // each row carries its ordinality, on which several such functions of one select list are zipped.

    public static ScannableTable pg_srf_generate_series(Integer start, Integer stop)
    {
        return withOrdinality(generate_series(start, stop), SqlTypeName.INTEGER);
    }

    public static ScannableTable pg_srf_generate_series(Integer start, Integer stop, Integer step)
    {
        return withOrdinality(generate_series(start, stop, step), SqlTypeName.INTEGER);
    }

    public static ScannableTable pg_srf_pg_generate_series_ts(String start, String stop, String step)
    {
        return withOrdinality(pg_generate_series_ts(start, stop, step), SqlTypeName.TIMESTAMP);
    }

    public static ScannableTable pg_srf_generate_subscripts(String array, Integer dimension)
    {
        return withOrdinality(generate_subscripts(array, dimension), SqlTypeName.INTEGER);
    }

    public static ScannableTable pg_srf_unnest(String array)
    {
        return withOrdinality(pg_unnest(array), SqlTypeName.VARCHAR);
    }

    public static ScannableTable pg_srf_regexp_matches(String text, String pattern)
    {
        return withOrdinality(regexp_matches(text, pattern), SqlTypeName.VARCHAR);
    }

    public static ScannableTable pg_srf_regexp_matches(String text, String pattern, String flags)
    {
        return withOrdinality(regexp_matches(text, pattern, flags), SqlTypeName.VARCHAR);
    }

    public static ScannableTable pg_srf_regexp_split_to_table(String text, String pattern)
    {
        return withOrdinality(regexp_split_to_table(text, pattern), SqlTypeName.VARCHAR);
    }

    public static ScannableTable pg_srf_regexp_split_to_table(String text, String pattern, String flags)
    {
        return withOrdinality(regexp_split_to_table(text, pattern, flags), SqlTypeName.VARCHAR);
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
                List<String> elements = PgArrayFunctions.elements(array);
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
        return new Rows(List.of("value", "ordinality"), List.of(type, SqlTypeName.INTEGER), () -> () -> new Iterator<>()
        {
            private final Iterator<Object[]> rows = ((Rows) table).rows.get().iterator();
            private int ordinality;

            @Override
            public boolean hasNext()
            {
                return rows.hasNext();
            }

            @Override
            public Object[] next()
            {
                return new Object[] {rows.next()[0], ++ordinality};
            }
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
        private final Supplier<? extends Iterable<Object[]>> rows;

        Rows(List<String> names, List<SqlTypeName> types, List<Object[]> rows)
        {
            this(names, types, () -> rows);
        }

        /** Rows produced when scanned (Calcite also calls the function at planning, with literal arguments, to learn the row type). */
        Rows(List<String> names, List<SqlTypeName> types, Supplier<? extends Iterable<Object[]>> rows)
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
            Iterable<Object[]> produced = rows.get();
            return Linq4j.asEnumerable(produced);
        }
    }
}
