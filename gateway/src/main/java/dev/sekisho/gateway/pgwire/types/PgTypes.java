package dev.sekisho.gateway.pgwire.types;

import dev.sekisho.planner.spi.ColumnType;

import java.util.Optional;

/**
 * Maps Sekisho's {@link ColumnType}s onto PostgreSQL types (OID, typmod) and back, for
 * RowDescription, ParameterDescription and the parameter OIDs of Parse.
 */
public final class PgTypes
{
    private PgTypes() {}

    /** The PostgreSQL type a column of this type is sent as. */
    public static PgType of(ColumnType type)
    {
        return switch (type.kind()) {
            case BOOLEAN -> PgType.BOOL;
            case SMALLINT -> PgType.INT2;
            case INTEGER -> PgType.INT4;
            case BIGINT -> PgType.INT8;
            case REAL -> PgType.FLOAT4;
            case DOUBLE -> PgType.FLOAT8;
            case DECIMAL -> PgType.NUMERIC;
            case CHAR -> PgType.BPCHAR;
            case VARCHAR -> PgType.VARCHAR;
            case TEXT, UNKNOWN -> PgType.TEXT;
            case DATE -> PgType.DATE;
            case TIME -> PgType.TIME;
            case TIMESTAMP -> PgType.TIMESTAMP;
            case TIMESTAMP_WITH_TIME_ZONE -> PgType.TIMESTAMPTZ;
            case BINARY -> PgType.BYTEA;
            case JSON -> PgType.JSON;
            case UUID -> PgType.UUID;
        };
    }

    /**
     * {@code atttypmod} as PostgreSQL reports it: {@code n + 4} for varchar(n) and char(n),
     * {@code ((p << 16) | s) + 4} for numeric(p, s), the fractional digits for time and timestamp
     * types, otherwise -1.
     */
    public static int typmod(ColumnType type)
    {
        int length = type.length();
        return switch (type.kind()) {
            case CHAR, VARCHAR -> length == ColumnType.UNSPECIFIED ? -1 : length + 4;
            case DECIMAL -> length == ColumnType.UNSPECIFIED ? -1 : ((length << 16) | Math.max(0, type.scale())) + 4;
            case TIME, TIMESTAMP, TIMESTAMP_WITH_TIME_ZONE -> length == ColumnType.UNSPECIFIED ? -1 : length;
            default -> -1;
        };
    }

    /**
     * The type a client meant by a parameter OID in Parse; empty for 0 (unspecified) and for OIDs
     * Sekisho has no type for (the planner then infers the type).
     */
    public static Optional<ColumnType> fromOid(int oid)
    {
        ColumnType.Kind kind = switch (oid) {
            case 16 -> ColumnType.Kind.BOOLEAN;
            case 17 -> ColumnType.Kind.BINARY;
            case 20 -> ColumnType.Kind.BIGINT;
            case 21 -> ColumnType.Kind.SMALLINT;
            case 23 -> ColumnType.Kind.INTEGER;
            case 25, 19 -> ColumnType.Kind.TEXT;
            case 114, 3802 -> ColumnType.Kind.JSON;
            case 700 -> ColumnType.Kind.REAL;
            case 701 -> ColumnType.Kind.DOUBLE;
            case 1042 -> ColumnType.Kind.CHAR;
            case 1043 -> ColumnType.Kind.VARCHAR;
            case 1082 -> ColumnType.Kind.DATE;
            case 1083 -> ColumnType.Kind.TIME;
            case 1114 -> ColumnType.Kind.TIMESTAMP;
            case 1184 -> ColumnType.Kind.TIMESTAMP_WITH_TIME_ZONE;
            case 1700 -> ColumnType.Kind.DECIMAL;
            case 2950 -> ColumnType.Kind.UUID;
            default -> null;
        };
        return Optional.ofNullable(kind).map(ColumnType::of);
    }
}
