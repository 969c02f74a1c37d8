package dev.sekisho.planner.types;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Result types as PostgreSQL derives them where Calcite's defaults differ: {@code sum} of integers
 * is {@code bigint}, {@code sum(bigint)} and {@code avg} of exact numbers are {@code numeric},
 * timestamps carry microseconds, and CASE/UNION over strings of different lengths yield varchar.
 */
public final class PostgresTypeSystem
        extends RelDataTypeSystemImpl
{
    public static final PostgresTypeSystem INSTANCE = new PostgresTypeSystem();

    /** The precision that stands for PostgreSQL's {@code numeric} without a type modifier. */
    static final int NUMERIC_PRECISION = 65;
    static final int NUMERIC_MAX_SCALE = 30;
    /** The scale of {@code avg} over exact numbers (PostgreSQL computes at least 16 digits). */
    static final int AVG_SCALE = 16;

    private PostgresTypeSystem() {}

    /** PostgreSQL's {@code numeric} without precision and scale, as the planner types it. */
    public static boolean isUnboundedNumeric(RelDataType type)
    {
        return type.getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.DECIMAL && type.getPrecision() >= NUMERIC_PRECISION
                && type.getScale() == 0;
    }

    @Override
    public int getMaxPrecision(SqlTypeName typeName)
    {
        return switch (typeName) {
            case DECIMAL -> NUMERIC_PRECISION;
            case TIME, TIME_WITH_LOCAL_TIME_ZONE, TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> 6;
            default -> super.getMaxPrecision(typeName);
        };
    }

    @Override
    public int getMaxScale(SqlTypeName typeName)
    {
        if (typeName == SqlTypeName.DECIMAL) {
            return NUMERIC_MAX_SCALE;
        }
        return super.getMaxScale(typeName);
    }

    @Override
    public int getDefaultPrecision(SqlTypeName typeName)
    {
        return switch (typeName) {
            case TIME, TIME_WITH_LOCAL_TIME_ZONE, TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> 6;
            default -> super.getDefaultPrecision(typeName);
        };
    }

    @Override
    public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType)
    {
        RelDataType type = switch (argumentType.getSqlTypeName()) {
            case TINYINT, SMALLINT, INTEGER -> typeFactory.createSqlType(SqlTypeName.BIGINT);
            case BIGINT -> typeFactory.createSqlType(SqlTypeName.DECIMAL, NUMERIC_PRECISION, 0);
            case DECIMAL -> typeFactory.createSqlType(SqlTypeName.DECIMAL, NUMERIC_PRECISION, argumentType.getScale());
            case REAL -> typeFactory.createSqlType(SqlTypeName.REAL);
            case FLOAT, DOUBLE -> typeFactory.createSqlType(SqlTypeName.DOUBLE);
            default -> null;
        };
        if (type == null) {
            return super.deriveSumType(typeFactory, argumentType);
        }
        return typeFactory.createTypeWithNullability(type, argumentType.isNullable());
    }

    @Override
    public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory, RelDataType argumentType)
    {
        RelDataType type = switch (argumentType.getSqlTypeName()) {
            // numeric without a type modifier: the scale is the quotient's own (PostgreSQL's division rule, PgNumeric)
            case TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL -> typeFactory.createSqlType(SqlTypeName.DECIMAL, NUMERIC_PRECISION, 0);
            case REAL, FLOAT, DOUBLE -> typeFactory.createSqlType(SqlTypeName.DOUBLE);
            default -> null;
        };
        if (type == null) {
            return super.deriveAvgAggType(typeFactory, argumentType);
        }
        return typeFactory.createTypeWithNullability(type, argumentType.isNullable());
    }

    /** A cast to a smaller scale rounds halves away from zero, as PostgreSQL's numeric does ({@code 2.5::int} is 3), never truncates. */
    @Override
    public java.math.RoundingMode roundingMode()
    {
        return java.math.RoundingMode.HALF_UP;
    }

    @Override
    public boolean shouldConvertRaggedUnionTypesToVarying()
    {
        return true;
    }
}
