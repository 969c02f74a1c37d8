package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

/**
 * PostgreSQL's JSON constructors that clients' catalog queries use ({@code json_build_object} in
 * SQLAlchemy's column reflection), as Calcite user-defined functions returning the JSON text.
 * Calcite's reflective functions have no variadic form: one overload per even argument count up to 16.
 */
@SuppressWarnings({"MethodName", "unused"})
public final class PgJsonFunctions
{
    private PgJsonFunctions() {}

    public static String json_build_object()
    {
        return build();
    }

    public static String json_build_object(Object k1, Object v1)
    {
        return build(k1, v1);
    }

    public static String json_build_object(Object k1, Object v1, Object k2, Object v2)
    {
        return build(k1, v1, k2, v2);
    }

    public static String json_build_object(Object k1, Object v1, Object k2, Object v2, Object k3, Object v3)
    {
        return build(k1, v1, k2, v2, k3, v3);
    }

    public static String json_build_object(Object k1, Object v1, Object k2, Object v2, Object k3, Object v3, Object k4, Object v4)
    {
        return build(k1, v1, k2, v2, k3, v3, k4, v4);
    }

    public static String json_build_object(Object k1, Object v1, Object k2, Object v2, Object k3, Object v3, Object k4, Object v4, Object k5, Object v5)
    {
        return build(k1, v1, k2, v2, k3, v3, k4, v4, k5, v5);
    }

    public static String json_build_object(Object k1, Object v1, Object k2, Object v2, Object k3, Object v3, Object k4, Object v4, Object k5, Object v5,
            Object k6, Object v6)
    {
        return build(k1, v1, k2, v2, k3, v3, k4, v4, k5, v5, k6, v6);
    }

    public static String json_build_object(Object k1, Object v1, Object k2, Object v2, Object k3, Object v3, Object k4, Object v4, Object k5, Object v5,
            Object k6, Object v6, Object k7, Object v7)
    {
        return build(k1, v1, k2, v2, k3, v3, k4, v4, k5, v5, k6, v6, k7, v7);
    }

    public static String json_build_object(Object k1, Object v1, Object k2, Object v2, Object k3, Object v3, Object k4, Object v4, Object k5, Object v5,
            Object k6, Object v6, Object k7, Object v7, Object k8, Object v8)
    {
        return build(k1, v1, k2, v2, k3, v3, k4, v4, k5, v5, k6, v6, k7, v7, k8, v8);
    }

    /** PostgreSQL's text form: {@code {"a" : 1, "b" : "x"}}. */
    static String build(Object... keysAndValues)
    {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i] == null) {
                throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE,
                        "null value not allowed for object key", "Give every key of json_build_object a value.", null);
            }
            if (i > 0) {
                json.append(", ");
            }
            json.append(string(keysAndValues[i].toString())).append(" : ").append(value(keysAndValues[i + 1]));
        }
        return json.append('}').toString();
    }

    private static String value(Object value)
    {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean || value instanceof Number) {
            return value.toString();
        }
        return string(value.toString());
    }

    private static String string(String text)
    {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
