package dev.sekisho.planner.types;

import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

import static dev.sekisho.planner.spi.ColumnType.UNSPECIFIED;

/** Maps Sekisho's {@link ColumnType} onto Calcite's types and back. */
public final class TypeMapping
{
    private TypeMapping() {}

    /** The Calcite type of a column of {@code type}. */
    public static RelDataType toRelDataType(RelDataTypeFactory factory, ColumnType type, boolean nullable)
    {
        return factory.createTypeWithNullability(toRelDataType(factory, type), nullable);
    }

    private static RelDataType toRelDataType(RelDataTypeFactory factory, ColumnType type)
    {
        return switch (type.kind()) {
            case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
            case SMALLINT -> factory.createSqlType(SqlTypeName.SMALLINT);
            case INTEGER -> factory.createSqlType(SqlTypeName.INTEGER);
            case BIGINT -> factory.createSqlType(SqlTypeName.BIGINT);
            case REAL -> factory.createSqlType(SqlTypeName.REAL);
            case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
            case DECIMAL -> type.length() == UNSPECIFIED
                    ? factory.createSqlType(SqlTypeName.DECIMAL, PostgresTypeSystem.NUMERIC_PRECISION, PostgresTypeSystem.NUMERIC_MAX_SCALE)
                    : factory.createSqlType(SqlTypeName.DECIMAL, type.length(), Math.max(0, type.scale()));
            case CHAR -> type.length() == UNSPECIFIED
                    ? factory.createSqlType(SqlTypeName.CHAR, 1)
                    : factory.createSqlType(SqlTypeName.CHAR, type.length());
            case VARCHAR -> type.length() == UNSPECIFIED
                    ? factory.createSqlType(SqlTypeName.VARCHAR)
                    : factory.createSqlType(SqlTypeName.VARCHAR, type.length());
            case TEXT, JSON, UNKNOWN, ENUM -> factory.createSqlType(SqlTypeName.VARCHAR);
            case ARRAY -> factory.createArrayType(toRelDataType(factory, type.elementType().orElseThrow(), true), -1);
            case UUID -> factory.createSqlType(SqlTypeName.VARCHAR, 36);
            case DATE -> factory.createSqlType(SqlTypeName.DATE);
            case TIME -> factory.createSqlType(SqlTypeName.TIME, precision(type));
            case TIMESTAMP -> factory.createSqlType(SqlTypeName.TIMESTAMP, precision(type));
            case TIMESTAMP_WITH_TIME_ZONE -> factory.createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, precision(type));
            case BINARY -> factory.createSqlType(SqlTypeName.VARBINARY);
        };
    }

    private static int precision(ColumnType type)
    {
        return type.length() == UNSPECIFIED ? 6 : Math.min(6, type.length());
    }

    /** The type a client sees for a Calcite type (VARCHAR without length is text). */
    public static ColumnType toColumnType(RelDataType type)
    {
        return switch (type.getSqlTypeName()) {
            case BOOLEAN -> ColumnType.of(Kind.BOOLEAN);
            case TINYINT, SMALLINT -> ColumnType.of(Kind.SMALLINT);
            case INTEGER -> ColumnType.of(Kind.INTEGER);
            case BIGINT -> ColumnType.of(Kind.BIGINT);
            case REAL -> ColumnType.of(Kind.REAL);
            case FLOAT, DOUBLE -> ColumnType.of(Kind.DOUBLE);
            case DECIMAL -> type.getPrecision() >= PostgresTypeSystem.NUMERIC_PRECISION
                    ? ColumnType.of(Kind.DECIMAL)
                    : ColumnType.decimal(type.getPrecision(), type.getScale());
            case CHAR -> ColumnType.character(type.getPrecision());
            case VARCHAR -> type.getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED
                    ? ColumnType.of(Kind.TEXT)
                    : ColumnType.varchar(type.getPrecision());
            case DATE -> ColumnType.of(Kind.DATE);
            case TIME, TIME_WITH_LOCAL_TIME_ZONE -> new ColumnType(Kind.TIME, type.getPrecision(), UNSPECIFIED);
            case TIMESTAMP -> ColumnType.timestamp(type.getPrecision());
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ -> new ColumnType(Kind.TIMESTAMP_WITH_TIME_ZONE, type.getPrecision(), UNSPECIFIED);
            case BINARY, VARBINARY -> ColumnType.of(Kind.BINARY);
            case UUID -> ColumnType.of(Kind.UUID);
            case NULL -> ColumnType.of(Kind.TEXT);
            case ARRAY -> {
                ColumnType element = toColumnType(type.getComponentType());
                yield element.kind() == Kind.ARRAY || element.kind() == Kind.UNKNOWN ? ColumnType.of(Kind.UNKNOWN) : ColumnType.array(element);
            }
            default -> ColumnType.of(Kind.UNKNOWN);
        };
    }

    /** PostgreSQL's internal name of a type, as it names unaliased casts ({@code 1::int} is {@code int4}). */
    static String postgresTypeName(SqlTypeName type)
    {
        return switch (type) {
            case BOOLEAN -> "bool";
            case TINYINT, SMALLINT -> "int2";
            case INTEGER -> "int4";
            case BIGINT -> "int8";
            case REAL -> "float4";
            case FLOAT, DOUBLE -> "float8";
            case DECIMAL -> "numeric";
            case CHAR -> "bpchar";
            case VARCHAR -> "varchar";
            case DATE -> "date";
            case TIME -> "time";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> "timestamptz";
            case BINARY, VARBINARY -> "bytea";
            default -> "?column?";
        };
    }
}
