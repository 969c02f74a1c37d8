package dev.sekisho.policies.model;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * A table as policies name it: {@code schema.table}, in lower case (names are matched without
 * regard to case, as PostgreSQL clients fold unquoted identifiers).
 *
 * @param schema the schema, lower case
 * @param table the table, lower case
 */
public record TableName(String schema, String table)
{
    public TableName
    {
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
        if (schema.isEmpty() || table.isEmpty()) {
            throw new IllegalArgumentException("schema and table must not be empty");
        }
        schema = schema.toLowerCase(Locale.ROOT);
        table = table.toLowerCase(Locale.ROOT);
    }

    /** {@code shop.customers} -> (shop, customers). */
    public static TableName parse(String qualified)
    {
        int dot = qualified.indexOf('.');
        if (dot <= 0 || dot == qualified.length() - 1 || qualified.indexOf('.', dot + 1) >= 0) {
            throw new IllegalArgumentException("not a schema.table name: " + qualified);
        }
        return new TableName(qualified.substring(0, dot), qualified.substring(dot + 1));
    }

    @Override
    public String toString()
    {
        return schema + "." + table;
    }
}
