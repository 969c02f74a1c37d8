package dev.sekisho.planner.plan;

import dev.sekisho.planner.pg.functions.PgInterval;
import dev.sekisho.planner.pg.functions.PgIntervalFunctions;
import dev.sekisho.planner.pg.syntax.IntervalValues;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * PostgreSQL's operators over interval values computed in the gateway ({@link PgInterval}),
 * decided by the operands' types while validating: {@code +}, {@code -} and unary minus between
 * intervals, {@code timestamp ± interval}, {@code interval * number}, {@code interval / number},
 * comparisons ({@code pg_interval_cmp(a, b) op 0}), {@code extract}/{@code date_part} and casts to
 * text. An interval literal on the other side joins as a {@link PgInterval} too
 * ({@link IntervalValues#toValue}), a text literal as PostgreSQL's interval input. Anything else
 * given an interval raises 0A000 rather than answer something else.
 */
final class IntervalOperators
{
    private static final SqlParserPos POS = SqlParserPos.ZERO;
    private static final Set<SqlKind> COMPARISONS = Set.of(SqlKind.EQUALS, SqlKind.NOT_EQUALS, SqlKind.LESS_THAN, SqlKind.LESS_THAN_OR_EQUAL,
            SqlKind.GREATER_THAN, SqlKind.GREATER_THAN_OR_EQUAL);
    /** Calls that pass an interval value through unchanged, or only look at whether it is null. */
    private static final Set<SqlKind> NEUTRAL = Set.of(SqlKind.CASE, SqlKind.COALESCE, SqlKind.NULLIF, SqlKind.IS_NULL, SqlKind.IS_NOT_NULL, SqlKind.AS,
            SqlKind.COUNT, SqlKind.MIN, SqlKind.MAX, SqlKind.ROW, SqlKind.VALUES, SqlKind.OVER, SqlKind.FIRST_VALUE, SqlKind.LAST_VALUE, SqlKind.NTH_VALUE,
            SqlKind.LAG, SqlKind.LEAD, SqlKind.ANY_VALUE, SqlKind.DESCENDING, SqlKind.NULLS_FIRST, SqlKind.NULLS_LAST, SqlKind.SCALAR_QUERY,
            SqlKind.FILTER, SqlKind.SELECT, SqlKind.ORDER_BY, SqlKind.UNION, SqlKind.INTERSECT, SqlKind.EXCEPT);
    /** The gateway's functions that take interval values. */
    private static final Set<String> INTERVAL_FUNCTIONS = Set.of("justify_hours", "justify_days", "justify_interval", "pg_timestamp_plus_interval",
            "pg_timestamp_minus_interval", "date_bin", "pg_typeof", "pg_age");

    private final Function<SqlNode, RelDataType> typeOf;
    private final Function<String, SqlOperator> function;

    /**
     * @param typeOf the validated type of an operand
     * @param function the operator of a gateway function, by name
     */
    IntervalOperators(Function<SqlNode, RelDataType> typeOf, Function<String, SqlOperator> function)
    {
        this.typeOf = typeOf;
        this.function = function;
    }

    /** Rewrites {@code call} in place when an operand is an interval value; does nothing otherwise. */
    void rewrite(SqlBasicCall call)
    {
        SqlKind kind = call.getKind();
        for (int i = 0; i < call.operandCount(); i++) {
            if (call.operand(i) instanceof SqlBasicCall aggregate) {
                SqlNode computed = aggregate(aggregate, kind == SqlKind.OVER || kind == SqlKind.FILTER || kind == SqlKind.WITHIN_GROUP);
                if (computed != null) {
                    call.setOperand(i, computed);
                }
            }
        }
        if (call.operandCount() == 0 || NEUTRAL.contains(kind)) {
            return;
        }
        RelDataType[] types = new RelDataType[call.operandCount()];
        boolean anyInterval = false;
        for (int i = 0; i < types.length; i++) {
            SqlNode operand = call.operand(i);
            if (operand == null || operand instanceof SqlIntervalQualifier || operand instanceof SqlDataTypeSpec
                    || operand instanceof org.apache.calcite.sql.SqlNodeList || operand instanceof org.apache.calcite.sql.SqlSelect
                    || operand.isA(SqlKind.QUERY) || operand instanceof SqlLiteral) {
                continue;
            }
            try {
                types[i] = typeOf.apply(operand);
            }
            catch (RuntimeException e) {
                return;
            }
            anyInterval |= PgInterval.isType(types[i]);
        }
        if (!anyInterval) {
            return;
        }
        for (int i = 0; i < types.length; i++) {
            if (types[i] == null && call.operand(i) instanceof SqlLiteral literal && literal.getTypeName() != SqlTypeName.SYMBOL) {
                types[i] = typeOf.apply(literal);
            }
        }
        switch (kind) {
            case PLUS, MINUS -> arithmetic(call, types);
            case TIMES, DIVIDE -> scaled(call, types);
            case MINUS_PREFIX -> call.setOperator(function.apply("pg_interval_neg"));
            case CAST -> cast(call);
            case EXTRACT -> extract(call);
            default -> {
                String name = call.getOperator().getName().toLowerCase(Locale.ROOT);
                if (COMPARISONS.contains(kind)) {
                    compare(call, types);
                }
                else if (name.equals("date_part")) {
                    extract(call);
                }
                else if (!INTERVAL_FUNCTIONS.contains(name) && !name.startsWith("pg_interval")) {
                    throw unsupported(name);
                }
            }
        }
    }

    /**
     * {@code sum(interval)} and {@code avg(interval)} as PostgreSQL computes them, over aggregates a
     * source can compute: the sums of the months, days and microseconds fields (and the count), an
     * average being the summed interval divided by the count; {@code min} and {@code max} over text
     * keys that sort as the intervals do (Calcite's interpreter compares only its own types); null
     * when {@code call} is no such aggregate.
     */
    /** {@link #aggregate(SqlBasicCall, boolean)} of a call that is not in a window. */
    SqlNode aggregate(SqlBasicCall call)
    {
        return aggregate(call, false);
    }

    private SqlNode aggregate(SqlBasicCall call, boolean windowed)
    {
        SqlKind kind = call.getKind();
        if (kind != SqlKind.SUM && kind != SqlKind.AVG && kind != SqlKind.MIN && kind != SqlKind.MAX || call.operandCount() != 1) {
            return null;
        }
        SqlNode value = call.operand(0);
        RelDataType type;
        try {
            type = typeOf.apply(value);
        }
        catch (RuntimeException e) {
            return null;
        }
        if (!PgInterval.isType(type)) {
            return null;
        }
        if (windowed || call.getFunctionQuantifier() != null) {
            throw unsupported(call.getOperator().getName().toLowerCase(Locale.ROOT) + " over a window, with FILTER or DISTINCT");
        }
        if (kind == SqlKind.MIN || kind == SqlKind.MAX) {
            // the smallest or largest by PostgreSQL's order, over keys that sort as the intervals do and keep the value
            SqlNode key = function.apply("pg_interval_sort_key").createCall(POS, value);
            SqlNode extreme = (kind == SqlKind.MIN ? SqlStdOperatorTable.MIN : SqlStdOperatorTable.MAX).createCall(POS, key);
            return function.apply("pg_interval_of_sort_key").createCall(POS, extreme);
        }
        SqlNode months = SqlStdOperatorTable.SUM.createCall(POS, function.apply("pg_interval_months").createCall(POS, value));
        SqlNode days = SqlStdOperatorTable.SUM.createCall(POS, function.apply("pg_interval_days").createCall(POS, value));
        SqlNode micros = SqlStdOperatorTable.SUM.createCall(POS, function.apply("pg_interval_micros").createCall(POS, value));
        SqlNode count = call.getKind() == SqlKind.AVG ? SqlStdOperatorTable.COUNT.createCall(POS, value) : SqlLiteral.createExactNumeric("1", POS);
        return function.apply("pg_interval_average").createCall(POS, months, days, micros, count);
    }

    private void arithmetic(SqlBasicCall call, RelDataType[] types)
    {
        boolean plus = call.getKind() == SqlKind.PLUS;
        boolean leftInterval = isInterval(call, 0, types[0]);
        boolean rightInterval = isInterval(call, 1, types[1]);
        if (leftInterval && rightInterval) {
            asValue(call, 0, types[0]);
            asValue(call, 1, types[1]);
            call.setOperator(function.apply(plus ? "pg_interval_plus" : "pg_interval_minus"));
            return;
        }
        if (PgInterval.isType(types[1]) && isDateTime(types[0])) {
            call.setOperand(0, asTimestamp(call.operand(0), types[0]));
            call.setOperator(function.apply(plus ? "pg_timestamp_plus_interval" : "pg_timestamp_minus_interval"));
            return;
        }
        if (plus && PgInterval.isType(types[0]) && isDateTime(types[1])) {
            SqlNode interval = call.operand(0);
            call.setOperand(0, asTimestamp(call.operand(1), types[1]));
            call.setOperand(1, interval);
            call.setOperator(function.apply("pg_timestamp_plus_interval"));
            return;
        }
        throw noOperator(call, types);
    }

    private void scaled(SqlBasicCall call, RelDataType[] types)
    {
        boolean times = call.getKind() == SqlKind.TIMES;
        int interval = PgInterval.isType(types[0]) ? 0 : 1;
        int factor = 1 - interval;
        if (!SqlTypeUtil.isNumeric(types[factor]) || !times && interval != 0) {
            throw noOperator(call, types);
        }
        SqlNode value = call.operand(interval);
        SqlNode number = SqlStdOperatorTable.CAST.createCall(POS, call.operand(factor),
                new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, POS), POS));
        call.setOperand(0, value);
        call.setOperand(1, number);
        call.setOperator(function.apply(times ? "pg_interval_mul" : "pg_interval_div"));
    }

    private void compare(SqlBasicCall call, RelDataType[] types)
    {
        for (int i = 0; i < 2; i++) {
            if (!isInterval(call, i, types[i])) {
                throw noOperator(call, types);
            }
            asValue(call, i, types[i]);
        }
        SqlOperator compare = function.apply("pg_interval_cmp");
        SqlNode comparison = compare.createCall(POS, call.operand(0), call.operand(1));
        call.setOperand(0, comparison);
        call.setOperand(1, SqlLiteral.createExactNumeric("0", POS));
    }

    private void cast(SqlBasicCall call)
    {
        if (!(call.operand(1) instanceof SqlDataTypeSpec spec) || !Set.of("VARCHAR", "CHAR", "TEXT").contains(spec.getTypeName().getSimple().toUpperCase(Locale.ROOT))) {
            throw unsupported("a cast of an interval to another type than text");
        }
        call.setOperand(0, function.apply("pg_interval_text").createCall(POS, call.operand(0)));
    }

    private void extract(SqlBasicCall call)
    {
        SqlNode unit = call.operand(0);
        String name;
        if (unit instanceof SqlIntervalQualifier qualifier) {
            name = qualifier.timeUnitRange.name();
        }
        else if (unit instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.CHAR) {
            name = literal.getValueAs(String.class);
        }
        else {
            throw unsupported("extract with a unit that is not a literal");
        }
        call.setOperand(0, SqlLiteral.createCharString(name.toLowerCase(Locale.ROOT), POS));
        call.setOperator(function.apply("pg_interval_part"));
    }

    /** Whether operand {@code i} is an interval: a gateway interval, a literal interval expression, or a text literal (PostgreSQL's unknown). */
    private static boolean isInterval(SqlCall call, int i, RelDataType type)
    {
        SqlNode operand = call.operand(i);
        return PgInterval.isType(type) || IntervalValues.isLiteralInterval(operand)
                || operand instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.CHAR;
    }

    private void asValue(SqlBasicCall call, int i, RelDataType type)
    {
        SqlNode operand = call.operand(i);
        if (PgInterval.isType(type)) {
            return;
        }
        if (IntervalValues.isLiteralInterval(operand)) {
            call.setOperand(i, IntervalValues.toValue(operand));
        }
        else {
            call.setOperand(i, function.apply(PgIntervalFunctions.INTERVAL).createCall(POS, operand));
        }
    }

    private static boolean isDateTime(RelDataType type)
    {
        return type.getSqlTypeName() == SqlTypeName.TIMESTAMP || type.getSqlTypeName() == SqlTypeName.DATE;
    }

    private static SqlNode asTimestamp(SqlNode operand, RelDataType type)
    {
        return type.getSqlTypeName() == SqlTypeName.TIMESTAMP ? operand : SqlStdOperatorTable.CAST.createCall(POS, operand,
                new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP, POS), POS));
    }

    private static QueryException noOperator(SqlCall call, RelDataType[] types)
    {
        return new QueryException(SqlStates.UNDEFINED_FUNCTION, "operator does not exist: " + typeName(types[0]) + " " + call.getOperator().getName()
                + (types.length > 1 ? " " + typeName(types[1]) : ""), "No operator matches the given name and argument types.", null);
    }

    private static String typeName(RelDataType type)
    {
        return type == null ? "unknown" : PgInterval.isType(type) ? "interval" : type.getSqlTypeName().getName().toLowerCase(Locale.ROOT);
    }

    private static QueryException unsupported(String what)
    {
        return new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "interval values are not supported in " + what + " yet",
                "Compare, add or subtract intervals, multiply or divide them by numbers, or extract a field from them.", null);
    }
}
