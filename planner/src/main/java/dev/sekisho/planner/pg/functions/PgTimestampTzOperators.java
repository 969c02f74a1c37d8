package dev.sekisho.planner.pg.functions;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;

/**
 * The operators PostgreSQL's {@code timestamp with time zone} is written with, as the validator
 * types them: {@code now()}, a text literal read as a timestamptz, {@code date_trunc} (a timestamptz
 * for a date or timestamptz argument, a timestamp for a timestamp), {@code AT TIME ZONE} (PostgreSQL's
 * {@code timezone(zone, x)}: a timestamp becomes a timestamptz and the reverse) and
 * {@code to_timestamp(epoch)}. Once the plan is typed, {@code TimestampTzSemantics} replaces each by
 * what computes it ({@link PgTimestampTz}, or {@code pg_date_trunc} for a timestamp, which a source
 * may run); only {@link #NOW} stays until the plan is split between source and gateway, because a
 * source (whose sessions are in UTC) computes it too.
 */
public final class PgTimestampTzOperators
{
    /** {@code now()} and {@code current_timestamp}: a timestamptz; a source writes it as its {@code CURRENT_TIMESTAMP}. */
    public static final SqlFunction NOW = new SqlFunction("PG_NOW", SqlKind.OTHER_FUNCTION,
            ReturnTypes.explicit(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE), null, OperandTypes.NILADIC, SqlFunctionCategory.TIMEDATE)
    {
        @Override
        public boolean isDynamicFunction()
        {
            return true;
        }

        @Override
        public boolean isDeterministic()
        {
            return false;
        }

        @Override
        public void unparse(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec)
        {
            writer.keyword("CURRENT_TIMESTAMP");
        }
    };

    /** {@code 'text'::timestamptz}. */
    public static final SqlFunction TIMESTAMPTZ_IN = new SqlFunction("PG_TIMESTAMPTZ_IN", SqlKind.OTHER_FUNCTION,
            ReturnTypes.explicit(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE).andThen(org.apache.calcite.sql.type.SqlTypeTransforms.TO_NULLABLE),
            null, OperandTypes.CHARACTER, SqlFunctionCategory.TIMEDATE)
    {
        @Override
        public boolean isDeterministic()
        {
            // depends on the session's zone
            return false;
        }
    };

    /** {@code date_trunc(unit, x)}: typed by {@code x}. */
    public static final SqlFunction DATE_TRUNC = new SqlFunction("PG_DATE_TRUNC_ANY", SqlKind.OTHER_FUNCTION,
            typedBy(1, true), null, OperandTypes.ANY_ANY, SqlFunctionCategory.TIMEDATE)
    {
        @Override
        public boolean isDeterministic()
        {
            return false;
        }
    };

    /** {@code x AT TIME ZONE zone}, as PostgreSQL's {@code timezone(zone, x)}. */
    public static final SqlFunction AT_TIME_ZONE = new SqlFunction("TIMEZONE", SqlKind.OTHER_FUNCTION,
            typedBy(1, false), null, OperandTypes.ANY_ANY, SqlFunctionCategory.TIMEDATE)
    {
        @Override
        public boolean isDeterministic()
        {
            return false;
        }
    };

    /** {@code to_timestamp(double precision)}. */
    public static final SqlFunction TO_TIMESTAMP_EPOCH = new SqlFunction("PG_TO_TIMESTAMP_EPOCH", SqlKind.OTHER_FUNCTION,
            ReturnTypes.explicit(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE).andThen(org.apache.calcite.sql.type.SqlTypeTransforms.TO_NULLABLE),
            null, OperandTypes.NUMERIC, SqlFunctionCategory.TIMEDATE);

    private static final SqlOperatorTable TABLE = SqlOperatorTables.of(NOW, TIMESTAMPTZ_IN, DATE_TRUNC, AT_TIME_ZONE, TO_TIMESTAMP_EPOCH);

    private PgTimestampTzOperators() {}

    public static SqlOperatorTable operatorTable()
    {
        return TABLE;
    }

    /** Whether {@code type} is a timestamptz. */
    public static boolean isTimestampTz(RelDataType type)
    {
        return type.getSqlTypeName() == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
    }

    /**
     * The type of {@code date_trunc} ({@code keep}: a date or timestamptz gives a timestamptz,
     * anything else a timestamp) or of {@code AT TIME ZONE} (a timestamp gives a timestamptz,
     * a timestamptz, a date or text a timestamp), from the operand at {@code index}.
     */
    private static SqlReturnTypeInference typedBy(int index, boolean keep)
    {
        return (SqlOperatorBinding binding) -> {
            RelDataTypeFactory factory = binding.getTypeFactory();
            RelDataType operand = binding.getOperandType(index);
            SqlTypeName name = operand.getSqlTypeName();
            boolean zoned = keep ? name == SqlTypeName.DATE || name == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE : name == SqlTypeName.TIMESTAMP;
            RelDataType type = factory.createSqlType(zoned ? SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE : SqlTypeName.TIMESTAMP);
            return factory.createTypeWithNullability(type, true);
        };
    }
}
