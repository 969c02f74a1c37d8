package dev.sekisho.planner.plan;

import dev.sekisho.planner.pg.functions.PgDateFunctions;
import dev.sekisho.planner.pg.functions.PgTimestampTz;
import dev.sekisho.planner.pg.functions.PgTimestampTzOperators;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * PostgreSQL's {@code timestamp with time zone} once the plan is typed: each operator of
 * {@link PgTimestampTzOperators} and each cast, comparison, {@code extract} or function mixing a
 * timestamptz with a timestamp, a date or text becomes the {@link PgTimestampTz} function that
 * computes it in the session's zone, in the gateway. A source never receives one of them (its
 * dialect does not know them), so no source's own time zone ever decides a value.
 *
 * <p>Two exceptions keep what sources computed before: a timestamp from a timestamptz from a
 * timestamp or date ({@code CAST(date_trunc('day', d::date) + n * interval '1 day' AS date)}, Tableau's
 * weeks) is the same whatever the zone, so it stays wall-clock arithmetic a source may run; and
 * {@code now()} stays the source's {@code CURRENT_TIMESTAMP} (the gateway's MySQL sessions are in
 * UTC, so it is the instant) until {@link #computedLocally} makes it the gateway's clock.
 */
final class TimestampTzSemantics
{
    private static final SqlUserDefinedFunction DATE_TRUNC = pushable(PgDateFunctions.class, PgDateFunctions.DATE_TRUNC);
    private static final SqlUserDefinedFunction IN = function(PgTimestampTz.class, "pg_timestamptz_in");
    private static final SqlUserDefinedFunction FROM_TIMESTAMP = function(PgTimestampTz.class, "pg_timestamptz_from_timestamp");
    private static final SqlUserDefinedFunction FROM_DATE = function(PgTimestampTz.class, "pg_timestamptz_from_date");
    private static final SqlUserDefinedFunction TO_TIMESTAMP = function(PgTimestampTz.class, "pg_timestamptz_to_timestamp");
    private static final SqlUserDefinedFunction TO_DATE = function(PgTimestampTz.class, "pg_timestamptz_to_date");
    private static final SqlUserDefinedFunction TO_TEXT = function(PgTimestampTz.class, "pg_timestamptz_to_text");
    private static final SqlUserDefinedFunction TIMESTAMP_AT = function(PgTimestampTz.class, "pg_timestamp_at_time_zone");
    private static final SqlUserDefinedFunction TIMESTAMPTZ_AT = function(PgTimestampTz.class, "pg_timestamptz_at_time_zone");
    private static final SqlUserDefinedFunction TRUNC = function(PgTimestampTz.class, "pg_timestamptz_trunc");
    private static final SqlUserDefinedFunction EPOCH = function(PgTimestampTz.class, "pg_to_timestamp_epoch");
    private static final Set<SqlUserDefinedFunction> OWN = Set.of(DATE_TRUNC, IN, FROM_TIMESTAMP, FROM_DATE, TO_TIMESTAMP, TO_DATE, TO_TEXT,
            TIMESTAMP_AT, TIMESTAMPTZ_AT, TRUNC, EPOCH);
    private static final Set<SqlKind> COMPARISONS = Set.of(SqlKind.EQUALS, SqlKind.NOT_EQUALS, SqlKind.LESS_THAN, SqlKind.LESS_THAN_OR_EQUAL,
            SqlKind.GREATER_THAN, SqlKind.GREATER_THAN_OR_EQUAL, SqlKind.IS_DISTINCT_FROM, SqlKind.IS_NOT_DISTINCT_FROM);
    /** Intervals that move a wall clock by whole days or months: the same on every zone's clock. */
    private static final Set<SqlTypeName> CALENDAR_INTERVALS = Set.of(SqlTypeName.INTERVAL_DAY, SqlTypeName.INTERVAL_MONTH, SqlTypeName.INTERVAL_YEAR,
            SqlTypeName.INTERVAL_YEAR_MONTH);

    /** Intervals that move the instant: hours, minutes and seconds. */
    private static final Set<SqlTypeName> SUB_DAY_INTERVALS = Set.of(SqlTypeName.INTERVAL_HOUR, SqlTypeName.INTERVAL_HOUR_MINUTE,
            SqlTypeName.INTERVAL_HOUR_SECOND, SqlTypeName.INTERVAL_MINUTE, SqlTypeName.INTERVAL_MINUTE_SECOND, SqlTypeName.INTERVAL_SECOND);

    private TimestampTzSemantics() {}

    /** Every timestamptz operation but {@code now()} as what computes it. */
    static RelNode rewrite(RelNode plan, RexBuilder rexBuilder)
    {
        return apply(plan, new Typed(rexBuilder));
    }

    /** {@code now()} in a plan (or expression) the gateway runs: its own clock, the statement's instant. */
    static RelNode computedLocally(RelNode plan, RexBuilder rexBuilder)
    {
        return apply(plan, new Now(rexBuilder));
    }

    static RexNode computedLocally(RexNode expression, RexBuilder rexBuilder)
    {
        return expression.accept(new Now(rexBuilder));
    }

    private static RelNode apply(RelNode plan, RexShuttle shuttle)
    {
        return plan.accept(new RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                return super.visit(other).accept(shuttle);
            }
        });
    }

    private static final class Now
            extends RexShuttle
    {
        private final RexBuilder rexBuilder;

        Now(RexBuilder rexBuilder)
        {
            this.rexBuilder = rexBuilder;
        }

        @Override
        public RexNode visitCall(RexCall call)
        {
            RexCall visited = (RexCall) super.visitCall(call);
            if (visited.getOperator() == PgTimestampTzOperators.NOW) {
                // the data context's CURRENT_TIMESTAMP is the statement's instant in milliseconds, a timestamptz's own form
                RexNode now = rexBuilder.makeCall(SqlStdOperatorTable.CURRENT_TIMESTAMP);
                return rexBuilder.makeReinterpretCast(visited.getType(), now, rexBuilder.makeLiteral(false));
            }
            if (isCalendarArithmetic(visited)) {
                // now() - interval '1 day', which a source computes on its UTC clock, computed here on the session zone's
                return onClock(rexBuilder, visited);
            }
            return visited;
        }
    }

    private static final class Typed
            extends RexShuttle
    {
        private final RexBuilder rexBuilder;

        Typed(RexBuilder rexBuilder)
        {
            this.rexBuilder = rexBuilder;
        }

        @Override
        public RexNode visitCall(RexCall call)
        {
            if (call.getKind() == SqlKind.CAST && isZoned(call.getOperands().get(0))
                    && (call.getType().getSqlTypeName() == SqlTypeName.DATE || call.getType().getSqlTypeName() == SqlTypeName.TIMESTAMP)) {
                RexNode wall = wall(call.getOperands().get(0));
                if (wall != null) {
                    return rexBuilder.makeCast(call.getType(), wall.accept(this));
                }
            }
            RexCall visited = (RexCall) super.visitCall(call);
            List<RexNode> operands = visited.getOperands();
            RelDataType type = visited.getType();
            if (visited.getOperator() == PgTimestampTzOperators.TIMESTAMPTZ_IN) {
                return rexBuilder.makeCall(type, IN, operands);
            }
            if (visited.getOperator() == PgTimestampTzOperators.TO_TIMESTAMP_EPOCH) {
                return rexBuilder.makeCall(type, EPOCH, List.of(cast(SqlTypeName.DOUBLE, operands.get(0))));
            }
            if (visited.getOperator() == PgTimestampTzOperators.DATE_TRUNC) {
                return dateTrunc(type, operands.get(0), operands.get(1));
            }
            if (visited.getOperator() == PgTimestampTzOperators.AT_TIME_ZONE) {
                return atTimeZone(type, operands.get(0), operands.get(1));
            }
            if (visited.getKind() == SqlKind.CAST) {
                return cast(visited);
            }
            if (visited.getKind() == SqlKind.EXTRACT && operands.size() == 2 && isZoned(operands.get(1))) {
                RexNode value = operands.get(1);
                boolean epoch = operands.get(0) instanceof RexLiteral unit && unit.getValue() instanceof TimeUnitRange range && range == TimeUnitRange.EPOCH;
                // an epoch counts from the instant; every other field reads the session zone's clock
                RexNode timestamp = epoch ? rexBuilder.makeReinterpretCast(timestampType(value.getType().isNullable()), value, rexBuilder.makeLiteral(false))
                        : rexBuilder.makeCall(timestampType(value.getType().isNullable()), TO_TIMESTAMP, List.of(value));
                return rexBuilder.makeCall(type, visited.getOperator(), List.of(operands.get(0), timestamp));
            }
            if (COMPARISONS.contains(visited.getKind()) && operands.size() == 2 && isZoned(operands.get(0)) != isZoned(operands.get(1))) {
                // PostgreSQL compares a timestamp or a date with a timestamptz as the timestamptz it is in the session's zone
                return rexBuilder.makeCall(visited.getOperator(), zoned(operands.get(0)), zoned(operands.get(1)));
            }
            if (isCalendarArithmetic(visited) && !isNow(operands.get(0))) {
                return onClock(rexBuilder, visited);
            }
            if (visited.getKind() == SqlKind.OTHER_FUNCTION && !OWN.contains(visited.getOperator()) && visited.getOperator() != PgTimestampTzOperators.NOW
                    && operands.stream().anyMatch(TimestampTzSemantics::isZoned)) {
                // a function of timestamps (to_char, age): the session zone's clock, as PostgreSQL converts
                return rexBuilder.makeCall(type, visited.getOperator(), operands.stream()
                        .map(operand -> isZoned(operand) ? rexBuilder.makeCall(timestampType(operand.getType().isNullable()), TO_TIMESTAMP, List.of(operand)) : operand)
                        .toList());
            }
            return visited;
        }

        /** {@code date_trunc}: a timestamp's stays what a source can run; a date's and a timestamptz's are truncated on the session zone's clock. */
        private RexNode dateTrunc(RelDataType type, RexNode unit, RexNode value)
        {
            SqlTypeName name = value.getType().getSqlTypeName();
            if (name == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
                return rexBuilder.makeCall(type, TRUNC, List.of(unit, value));
            }
            if (name == SqlTypeName.DATE) {
                return rexBuilder.makeCall(type, FROM_TIMESTAMP, List.of(truncated(unit, value)));
            }
            return rexBuilder.makeCall(type, DATE_TRUNC, List.of(unit, cast(SqlTypeName.TIMESTAMP, value)));
        }

        private RexNode truncated(RexNode unit, RexNode value)
        {
            return rexBuilder.makeCall(timestampType(true), DATE_TRUNC, List.of(unit, cast(SqlTypeName.TIMESTAMP, value)));
        }

        private RexNode atTimeZone(RelDataType type, RexNode zone, RexNode value)
        {
            if (!SqlTypeUtil.inCharFamily(zone.getType())) {
                throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "AT TIME ZONE with a zone of type " + zone.getType().getSqlTypeName()
                        + " is not supported", "Write the zone as text, such as AT TIME ZONE 'Asia/Tokyo' or AT TIME ZONE '+09:00'.", null);
            }
            SqlTypeName name = value.getType().getSqlTypeName();
            if (name == SqlTypeName.TIMESTAMP) {
                return rexBuilder.makeCall(type, TIMESTAMP_AT, List.of(value, zone));
            }
            if (name == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE || name == SqlTypeName.DATE || SqlTypeUtil.inCharFamily(value.getType())) {
                return rexBuilder.makeCall(type, TIMESTAMPTZ_AT, List.of(zoned(value), zone));
            }
            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "AT TIME ZONE of a value of type " + name + " is not supported",
                    "Apply AT TIME ZONE to a timestamp or a timestamp with time zone.", null);
        }

        private RexNode cast(RexCall cast)
        {
            RexNode operand = cast.getOperands().get(0);
            RelDataType type = cast.getType();
            SqlTypeName from = operand.getType().getSqlTypeName();
            SqlTypeName to = type.getSqlTypeName();
            if (to == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE && from != to) {
                return switch (from) {
                    case TIMESTAMP -> rexBuilder.makeCall(type, FROM_TIMESTAMP, List.of(operand));
                    case DATE -> rexBuilder.makeCall(type, FROM_DATE, List.of(operand));
                    case CHAR, VARCHAR -> rexBuilder.makeCall(type, IN, List.of(operand));
                    case NULL -> cast;
                    default -> throw new QueryException("42846", "cannot cast type " + from + " to timestamp with time zone", null, null);
                };
            }
            if (from == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE && from != to) {
                return switch (to) {
                    case TIMESTAMP -> rexBuilder.makeCall(type, TO_TIMESTAMP, List.of(operand));
                    case DATE -> rexBuilder.makeCall(type, TO_DATE, List.of(operand));
                    case CHAR, VARCHAR -> rexBuilder.makeCall(type, TO_TEXT, List.of(operand));
                    default -> throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "a cast of timestamp with time zone to " + to + " is not supported yet",
                            "Cast to timestamp first (the session zone's clock), then to the type you need.", null);
                };
            }
            return cast;
        }

        /**
         * The session zone's wall clock of {@code value} (a timestamptz) computed without the zone,
         * when the zone cancels out: a timestamp or date made a timestamptz, truncated to a unit or
         * moved by whole days or months. Null otherwise.
         */
        private RexNode wall(RexNode value)
        {
            if (!(value instanceof RexCall call)) {
                return null;
            }
            List<RexNode> operands = call.getOperands();
            if (call.getKind() == SqlKind.CAST) {
                SqlTypeName from = operands.get(0).getType().getSqlTypeName();
                return from == SqlTypeName.TIMESTAMP || from == SqlTypeName.DATE ? cast(SqlTypeName.TIMESTAMP, operands.get(0)) : null;
            }
            if (call.getOperator() == PgTimestampTzOperators.DATE_TRUNC) {
                SqlTypeName from = operands.get(1).getType().getSqlTypeName();
                RexNode inner = from == SqlTypeName.DATE ? operands.get(1) : from == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE ? wall(operands.get(1)) : null;
                return inner == null ? null : truncated(operands.get(0), inner);
            }
            if ((call.getKind() == SqlKind.PLUS || call.getKind() == SqlKind.MINUS) && operands.size() == 2 && isZoned(operands.get(0))
                    && CALENDAR_INTERVALS.contains(operands.get(1).getType().getSqlTypeName())) {
                RexNode inner = wall(operands.get(0));
                // the operators a timestamp's arithmetic has (a timestamptz's is the plain + and -)
                return inner == null ? null : call.getKind() == SqlKind.PLUS ? rexBuilder.makeCall(SqlStdOperatorTable.DATETIME_PLUS, inner, operands.get(1))
                        : rexBuilder.makeCall(inner.getType(), SqlStdOperatorTable.MINUS_DATE, List.of(inner, operands.get(1)));
            }
            return null;
        }

        /** {@code value} as a timestamptz: a timestamp or date in the session's zone, text as timestamptz input. */
        private RexNode zoned(RexNode value)
        {
            RelDataType type = rexBuilder.getTypeFactory().createTypeWithNullability(
                    rexBuilder.getTypeFactory().createSqlType(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE), value.getType().isNullable());
            return switch (value.getType().getSqlTypeName()) {
                case TIMESTAMP -> rexBuilder.makeCall(type, FROM_TIMESTAMP, List.of(value));
                case DATE -> rexBuilder.makeCall(type, FROM_DATE, List.of(value));
                case CHAR, VARCHAR -> rexBuilder.makeCall(type, IN, List.of(value));
                default -> value;
            };
        }

        private RexNode cast(SqlTypeName name, RexNode value)
        {
            RelDataType type = rexBuilder.getTypeFactory().createTypeWithNullability(rexBuilder.getTypeFactory().createSqlType(name), value.getType().isNullable());
            return rexBuilder.makeCast(type, value);
        }

        private RelDataType timestampType(boolean nullable)
        {
            return rexBuilder.getTypeFactory().createTypeWithNullability(rexBuilder.getTypeFactory().createSqlType(SqlTypeName.TIMESTAMP), nullable);
        }
    }

    /** A timestamptz plus or minus days or months (not only hours, minutes and seconds). */
    private static boolean isCalendarArithmetic(RexCall call)
    {
        return (call.getKind() == SqlKind.PLUS || call.getKind() == SqlKind.MINUS) && call.getOperands().size() == 2 && isZoned(call.getOperands().get(0))
                && SqlTypeName.INTERVAL_TYPES.contains(call.getOperands().get(1).getType().getSqlTypeName())
                && !SUB_DAY_INTERVALS.contains(call.getOperands().get(1).getType().getSqlTypeName());
    }

    /**
     * Days and months move the session zone's clock (a day may be 23 or 25 hours long), as in
     * PostgreSQL: the arithmetic on the timestamp the clock shows, read back in the zone. (Hours,
     * minutes and seconds move the instant, which the engine's own arithmetic does.)
     */
    private static RexNode onClock(RexBuilder rexBuilder, RexCall call)
    {
        RexNode value = call.getOperands().get(0);
        RelDataType timestamp = rexBuilder.getTypeFactory().createTypeWithNullability(rexBuilder.getTypeFactory().createSqlType(SqlTypeName.TIMESTAMP),
                value.getType().isNullable());
        RexNode clock = rexBuilder.makeCall(timestamp, TO_TIMESTAMP, List.of(value));
        // the engine's datetime addition (the plain + of a timestamptz and an interval adds the interval's count as milliseconds)
        RexNode interval = call.getKind() == SqlKind.MINUS ? rexBuilder.makeCall(SqlStdOperatorTable.UNARY_MINUS, call.getOperands().get(1))
                : call.getOperands().get(1);
        return rexBuilder.makeCall(call.getType(), FROM_TIMESTAMP, List.of(rexBuilder.makeCall(SqlStdOperatorTable.DATETIME_PLUS, clock, interval)));
    }

    /** {@code now()}: plus or minus an interval it stays what a source computes (see the class comment). */
    private static boolean isNow(RexNode node)
    {
        return node instanceof RexCall call && call.getOperator() == PgTimestampTzOperators.NOW;
    }

    private static boolean isZoned(RexNode node)
    {
        return PgTimestampTzOperators.isTimestampTz(node.getType());
    }

    /** {@code pg_date_trunc} of a timestamp: the function sources run too (their dialects write it by name). */
    private static SqlUserDefinedFunction pushable(Class<?> type, String name)
    {
        Method method = Arrays.stream(type.getMethods()).filter(candidate -> candidate.getName().equals(name)).findFirst().orElseThrow();
        return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null, null,
                ScalarFunctionImpl.create(method));
    }

    /** A function of the gateway's engine that Calcite never folds while planning: its value depends on the session's zone. */
    private static SqlUserDefinedFunction function(Class<?> type, String name)
    {
        Method method = Arrays.stream(type.getMethods()).filter(candidate -> candidate.getName().equals(name)).findFirst().orElseThrow();
        return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0, null, null,
                ScalarFunctionImpl.create(method))
        {
            @Override
            public boolean isDeterministic()
            {
                return false;
            }

            @Override
            public boolean isDynamicFunction()
            {
                return true;
            }
        };
    }
}
