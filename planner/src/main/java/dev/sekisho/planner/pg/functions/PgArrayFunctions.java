package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's array functions and operators as Calcite user-defined functions: each public static
 * method is one SQL function of the same name. Arrays are held as their text form ({@code {a,b}},
 * see {@link PgArrayText}), {@code int2vector}/{@code oidvector} as space-separated numbers with
 * subscripts from 0, as the catalog emulation produces them.
 */
@SuppressWarnings({"MethodName", "unused"})
public final class PgArrayFunctions
{
    private PgArrayFunctions() {}

    public static Integer array_upper(String array, Integer dimension)
    {
        if (array == null || dimension == null || dimension != 1) {
            return null;
        }
        List<String> elements = elements(array);
        if (elements.isEmpty()) {
            return null;
        }
        return isVector(array) ? elements.size() - 1 : elements.size();
    }

    public static Integer array_lower(String array, Integer dimension)
    {
        if (array == null || dimension == null || dimension != 1 || elements(array).isEmpty()) {
            return null;
        }
        return isVector(array) ? 0 : 1;
    }

    public static Integer array_length(String array, Integer dimension)
    {
        if (array == null || dimension == null || dimension != 1 || elements(array).isEmpty()) {
            return null;
        }
        return elements(array).size();
    }

    /**
     * {@code array || array} ({@code array_cat}): either side an array's text form (catalog
     * columns) or a list ({@code ARRAY(SELECT ...)}); a NULL side yields the other, as in PostgreSQL.
     */
    public static String pg_array_cat(Object left, Object right)
    {
        if (left == null && right == null) {
            return null;
        }
        List<String> elements = new ArrayList<>();
        for (Object side : new Object[] {left, right}) {
            if (side instanceof String text) {
                elements.addAll(elements(text));
            }
            else if (side instanceof List<?> list) {
                elements.addAll(elements(PgArrayText.formatValues(list)));
            }
            else if (side != null) {
                throw new QueryException(SqlStates.DATATYPE_MISMATCH, "operator does not exist: array || " + side.getClass().getSimpleName(),
                        "Concatenate arrays with arrays.", null);
            }
        }
        return toArray(elements);
    }

    public static String array_to_string(String array, String separator)
    {
        if (array == null || separator == null) {
            return null;
        }
        List<String> present = new ArrayList<>();
        for (String element : elements(array)) {
            if (element != null) {
                present.add(element);
            }
        }
        return String.join(separator, present);
    }

    /** An {@code int2[]} literal's text (typed by {@link PgResultTypes}). */
    public static String pg_int2_array(String text)
    {
        return text;
    }

    /** An {@code int4[]} literal's text. */
    public static String pg_int4_array(String text)
    {
        return text;
    }

    /** A {@code text[]} literal's text. */
    public static String pg_text_array(String text)
    {
        return text;
    }

    /** A {@code boolean[]} literal's text. */
    public static String pg_bool_array(String text)
    {
        return text;
    }

    /** {@code array[i]}: from 1 for arrays, from 0 for {@code int2vector}/{@code oidvector}. */
    public static String pg_subscript(String array, Integer index)
    {
        if (array == null || index == null) {
            return null;
        }
        List<String> elements = elements(array);
        long at = index;
        long position = isVector(array) ? at : at - 1;
        return position < 0 || position >= elements.size() ? null : elements.get((int) position);
    }

    /** {@code array[lower:upper]}, as an array's text form. */
    public static String pg_slice(String array, Integer lower, Integer upper)
    {
        if (array == null) {
            return null;
        }
        List<String> elements = elements(array);
        long base = isVector(array) ? 0 : 1;
        long from = lower == null ? base : lower;
        long to = upper == null ? elements.size() - 1 + base : upper;
        List<String> slice = new ArrayList<>();
        for (long i = Math.max(from, base); i <= to && i - base < elements.size(); i++) {
            slice.add(elements.get((int) (i - base)));
        }
        return toArray(slice);
    }

    /** {@code value = ANY(array)}. */
    public static Boolean pg_any_eq(String value, String array)
    {
        if (value == null || array == null) {
            return null;
        }
        boolean sawNull = false;
        for (String element : elements(array)) {
            if (element == null) {
                sawNull = true;
            }
            else if (same(value, element)) {
                return true;
            }
        }
        return sawNull ? null : false;
    }

    /** {@code value <> ALL(array)}. */
    public static Boolean pg_all_ne(String value, String array)
    {
        Boolean any = pg_any_eq(value, array);
        return any == null ? null : !any;
    }

    private static boolean same(String value, String element)
    {
        if (value.equals(element)) {
            return true;
        }
        try {
            return Long.parseLong(value.strip()) == Long.parseLong(element.strip());
        }
        catch (NumberFormatException e) {
            return false;
        }
    }

    static boolean isVector(String array)
    {
        return !array.startsWith("{");
    }

    /** The elements of an array's or vector's text form; NULL elements as null. */
    static List<String> elements(String array)
    {
        List<String> elements = new ArrayList<>();
        if (isVector(array)) {
            for (String part : array.strip().split("\\s+")) {
                if (!part.isEmpty()) {
                    elements.add(part);
                }
            }
            return elements;
        }
        return PgArrayText.parse(array, "array").elements();
    }

    static String toArray(List<String> elements)
    {
        return PgArrayText.format(elements);
    }
}
