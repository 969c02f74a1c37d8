package dev.sekisho.planner;

import dev.sekisho.planner.spi.ColumnType;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One column of a statement's result, as the client sees it.
 *
 * @param name the label (unquoted aliases folded to lower case, as PostgreSQL does)
 * @param type the type the client sees
 * @param origin the table column the value comes from unchanged, if any (for RowDescription's table
 *         OID and attribute number once the catalog emulation exists)
 * @param typeOid the PostgreSQL type OID to describe the column with where {@code type} does not
 *         say it (catalog types such as {@code name}, {@code oid}, {@code "char"}), else 0: use
 *         {@link dev.sekisho.planner.pg.catalog.PgTypeInfo#oidOf(ColumnType)}
 */
public record ResultColumn(String name, ColumnType type, Optional<ColumnOrigin> origin, int typeOid)
{
    public ResultColumn
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(origin, "origin is null");
    }

    public ResultColumn(String name, ColumnType type, Optional<ColumnOrigin> origin)
    {
        this(name, type, origin, 0);
    }

    /** The PostgreSQL type OID this column is described with. */
    public int pgTypeOid()
    {
        return typeOid != 0 ? typeOid : dev.sekisho.planner.pg.catalog.PgTypeInfo.oidOf(type);
    }

    public static ResultColumn of(String name, ColumnType type)
    {
        return new ResultColumn(name, type, Optional.empty());
    }

    /**
     * Where a column's values come from.
     *
     * @param schema the exposed schema name
     * @param table the table name
     * @param column the column name
     * @param ordinal one-based position of the column in its table
     */
    public record ColumnOrigin(String schema, String table, String column, int ordinal) {}
}
