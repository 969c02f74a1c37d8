package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;

import static dev.sekisho.planner.spi.ColumnType.UNSPECIFIED;

/**
 * MySQL and MariaDB column types onto Sekisho's {@link ColumnType}s. The table with the reasons is
 * in {@code docs/mysql-types.md}; keep both in step.
 *
 * <p>Two entry points: {@link #fromColumn} for {@code information_schema.COLUMNS} rows (catalog
 * metadata) and {@link #fromResultSet} for the columns of a running statement (Connector/J's view,
 * configured with {@code tinyInt1isBit}, {@code transformedBitIsBoolean}, {@code yearIsDateType=false}).
 */
public final class MySqlTypeMapping
{
    /** Longest DECIMAL MySQL allows; used when the driver reports nothing better. */
    private static final int MAX_DECIMAL_PRECISION = 65;

    private MySqlTypeMapping() {}

    /**
     * Maps one row of {@code information_schema.COLUMNS}.
     *
     * @param dataType {@code DATA_TYPE}, e.g. {@code int}
     * @param columnType {@code COLUMN_TYPE}, e.g. {@code int(10) unsigned} or {@code tinyint(1)}
     * @param characterLength {@code CHARACTER_MAXIMUM_LENGTH}, or null
     * @param precision {@code NUMERIC_PRECISION}, or null
     * @param scale {@code NUMERIC_SCALE}, or null
     * @param datetimePrecision {@code DATETIME_PRECISION}, or null
     * @param jsonChecked whether MariaDB guards the column with {@code CHECK (json_valid(col))}, the
     *         form MariaDB's {@code JSON} alias takes
     */
    public static ColumnType fromColumn(
            String dataType,
            String columnType,
            Long characterLength,
            Long precision,
            Long scale,
            Long datetimePrecision,
            boolean jsonChecked)
    {
        String type = dataType.toLowerCase(Locale.ROOT);
        String full = columnType.toLowerCase(Locale.ROOT);
        boolean unsigned = full.contains("unsigned");
        switch (type) {
            case "bool":
            case "boolean":
                return ColumnType.of(Kind.BOOLEAN);
            case "tinyint":
                return full.startsWith("tinyint(1)") && !unsigned ? ColumnType.of(Kind.BOOLEAN) : integer(type, unsigned);
            case "smallint":
            case "mediumint":
            case "int":
            case "integer":
            case "bigint":
                return integer(type, unsigned);
            case "decimal":
            case "numeric":
                return ColumnType.decimal(toInt(precision, MAX_DECIMAL_PRECISION), toInt(scale, 0));
            case "float":
                return ColumnType.of(Kind.REAL);
            case "double":
            case "double precision":
            case "real":
                return ColumnType.of(Kind.DOUBLE);
            case "bit":
                return toInt(precision, 1) == 1 ? ColumnType.of(Kind.BOOLEAN) : ColumnType.of(Kind.BIGINT);
            case "char":
                return ColumnType.character(toInt(characterLength, UNSPECIFIED));
            case "varchar":
                return ColumnType.varchar(toInt(characterLength, UNSPECIFIED));
            case "enum":
            case "set":
                // CHARACTER_MAXIMUM_LENGTH is the longest member (ENUM) or all members joined by commas (SET)
                return ColumnType.varchar(toInt(characterLength, UNSPECIFIED));
            case "tinytext":
            case "text":
            case "mediumtext":
                return ColumnType.of(Kind.TEXT);
            case "longtext":
                return ColumnType.of(jsonChecked ? Kind.JSON : Kind.TEXT);
            case "json":
                return ColumnType.of(Kind.JSON);
            case "date":
                return ColumnType.of(Kind.DATE);
            case "time":
                return new ColumnType(Kind.TIME, toInt(datetimePrecision, 0), UNSPECIFIED);
            case "datetime":
                return ColumnType.timestamp(toInt(datetimePrecision, 0));
            case "timestamp":
                return new ColumnType(Kind.TIMESTAMP_WITH_TIME_ZONE, toInt(datetimePrecision, 0), UNSPECIFIED);
            case "year":
                return ColumnType.of(Kind.SMALLINT);
            case "binary":
            case "varbinary":
            case "tinyblob":
            case "blob":
            case "mediumblob":
            case "longblob":
                return ColumnType.of(Kind.BINARY);
            case "uuid":
                return ColumnType.of(Kind.UUID);
            default:
                return ColumnType.of(Kind.UNKNOWN);
        }
    }

    /**
     * The integer types, alike from the catalog and from a result set: an unsigned type widens to
     * the next one that holds all its values ({@code bigint unsigned} to {@code numeric(20,0)}).
     */
    private static ColumnType integer(String name, boolean unsigned)
    {
        return switch (name) {
            case "tinyint" -> ColumnType.of(Kind.SMALLINT);
            case "smallint" -> ColumnType.of(unsigned ? Kind.INTEGER : Kind.SMALLINT);
            case "mediumint" -> ColumnType.of(Kind.INTEGER);
            case "int", "integer" -> ColumnType.of(unsigned ? Kind.BIGINT : Kind.INTEGER);
            case "bigint" -> unsigned ? ColumnType.decimal(20, 0) : ColumnType.of(Kind.BIGINT);
            default -> throw new IllegalArgumentException("not an integer type: " + name);
        };
    }

    /**
     * Maps one column of a result set as Connector/J describes it. MariaDB's {@code UUID} and
     * {@code JSON} alias arrive as {@code CHAR}/{@code LONGTEXT} here; {@link MySqlConnector} upgrades
     * them from the catalog when the column is a plain table column.
     */
    public static ColumnType fromResultSet(ResultSetMetaData metadata, int column)
            throws SQLException
    {
        String typeName = metadata.getColumnTypeName(column).toUpperCase(Locale.ROOT);
        boolean unsigned = typeName.contains("UNSIGNED");
        int precision = metadata.getPrecision(column);
        int scale = metadata.getScale(column);
        switch (typeName.replace(" UNSIGNED", "")) {
            case "BOOLEAN":
                return ColumnType.of(Kind.BOOLEAN);
            case "BIT":
                return precision <= 1 ? ColumnType.of(Kind.BOOLEAN) : ColumnType.of(Kind.BIGINT);
            case "TINYINT":
            case "SMALLINT":
            case "MEDIUMINT":
            case "INT":
            case "INTEGER":
            case "BIGINT":
                return integer(typeName.replace(" UNSIGNED", "").toLowerCase(Locale.ROOT), unsigned);
            case "DECIMAL":
            case "NUMERIC":
                return ColumnType.decimal(precision > 0 ? Math.min(precision, MAX_DECIMAL_PRECISION) : MAX_DECIMAL_PRECISION, Math.max(scale, 0));
            case "FLOAT":
                return ColumnType.of(Kind.REAL);
            case "DOUBLE":
                return ColumnType.of(Kind.DOUBLE);
            case "CHAR":
                if (isEnumOrSet(metadata, column)) {
                    // ENUM and SET arrive as CHAR; their values must not be blank-padded
                    return ColumnType.varchar(precision > 0 ? precision : UNSPECIFIED);
                }
                return ColumnType.character(precision > 0 ? precision : UNSPECIFIED);
            case "VARCHAR":
            case "ENUM":
            case "SET":
                return ColumnType.varchar(precision > 0 ? precision : UNSPECIFIED);
            case "TINYTEXT":
            case "TEXT":
            case "MEDIUMTEXT":
            case "LONGTEXT":
                return ColumnType.of(Kind.TEXT);
            case "JSON":
                return ColumnType.of(Kind.JSON);
            case "DATE":
                return ColumnType.of(Kind.DATE);
            case "TIME":
                return new ColumnType(Kind.TIME, Math.max(scale, 0), UNSPECIFIED);
            case "DATETIME":
                return ColumnType.timestamp(Math.max(scale, 0));
            case "TIMESTAMP":
                return new ColumnType(Kind.TIMESTAMP_WITH_TIME_ZONE, Math.max(scale, 0), UNSPECIFIED);
            case "YEAR":
                return ColumnType.of(Kind.SMALLINT);
            case "BINARY":
            case "VARBINARY":
            case "TINYBLOB":
            case "BLOB":
            case "MEDIUMBLOB":
            case "LONGBLOB":
                return ColumnType.of(Kind.BINARY);
            default:
                return fromJdbcType(metadata.getColumnType(column));
        }
    }

    /** The column flags of the MySQL protocol: ENUM_FLAG (256), SET_FLAG (2048). */
    private static boolean isEnumOrSet(ResultSetMetaData metadata, int column)
            throws SQLException
    {
        if (!metadata.isWrapperFor(com.mysql.cj.jdbc.result.ResultSetMetaData.class)) {
            return false;
        }
        com.mysql.cj.result.Field field = metadata.unwrap(com.mysql.cj.jdbc.result.ResultSetMetaData.class).getFields()[column - 1];
        return (field.getFlags() & (256 | 2048)) != 0;
    }

    private static ColumnType fromJdbcType(int jdbcType)
    {
        switch (jdbcType) {
            case Types.BOOLEAN:
                return ColumnType.of(Kind.BOOLEAN);
            case Types.SMALLINT:
            case Types.TINYINT:
                return ColumnType.of(Kind.SMALLINT);
            case Types.INTEGER:
                return ColumnType.of(Kind.INTEGER);
            case Types.BIGINT:
                return ColumnType.of(Kind.BIGINT);
            case Types.DOUBLE:
                return ColumnType.of(Kind.DOUBLE);
            case Types.VARCHAR:
            case Types.LONGVARCHAR:
                return ColumnType.of(Kind.TEXT);
            default:
                return ColumnType.of(Kind.UNKNOWN);
        }
    }

    private static int toInt(Long value, int fallback)
    {
        if (value == null) {
            return fallback;
        }
        return (int) Math.min(Integer.MAX_VALUE, value);
    }
}
