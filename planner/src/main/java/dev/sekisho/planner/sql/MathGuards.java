package dev.sekisho.planner.sql;

import dev.sekisho.planner.spi.RaisedErrors;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlWriter;

import java.util.Locale;

/**
 * MySQL SQL for {@code sqrt}, {@code ln} and {@code power} that raises PostgreSQL's errors for the
 * arguments PostgreSQL rejects: MySQL answers them with NULL and a warning that does not say which
 * error it is (an out-of-range value for {@code sqrt(-1)}, a division by zero for {@code ln(0)}).
 * The argument is guarded as {@code CASE WHEN <rejected> THEN CAST('<marker>' AS SIGNED) + 1 ELSE x END}:
 * MySQL warns quoting the marker ({@link RaisedErrors}), the connector raises its error, and the
 * function itself sees 1, which it computes without a warning of its own.
 */
final class MathGuards
{
    private static final String NEGATIVE_SQRT = RaisedErrors.marker("2201F", "cannot take square root of a negative number");
    private static final String LOG_OF_ZERO = RaisedErrors.marker("2201E", "cannot take logarithm of zero");
    private static final String LOG_OF_NEGATIVE = RaisedErrors.marker("2201E", "cannot take logarithm of a negative number");
    private static final String ZERO_TO_NEGATIVE = RaisedErrors.marker("2201F", "zero raised to a negative power is undefined");
    private static final String COMPLEX_POWER = RaisedErrors.marker("2201F", "a negative number raised to a non-integer power yields a complex result");

    private MathGuards() {}

    /** Writes {@code call} with its argument guarded if it is one of the guarded functions; false otherwise. */
    static boolean unparse(SqlWriter writer, SqlCall call)
    {
        String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
        if (name.equals("SQRT") && call.operandCount() == 1) {
            SqlNode x = call.operand(0);
            SqlWriter.Frame function = writer.startFunCall("SQRT");
            guard(writer, x, new String[] {" < 0"}, new String[] {NEGATIVE_SQRT}, null);
            writer.endFunCall(function);
            return true;
        }
        if (name.equals("LN") && call.operandCount() == 1) {
            SqlWriter.Frame function = writer.startFunCall("LN");
            guard(writer, call.operand(0), new String[] {" = 0", " < 0"}, new String[] {LOG_OF_ZERO, LOG_OF_NEGATIVE}, null);
            writer.endFunCall(function);
            return true;
        }
        if (name.equals("POWER") && call.operandCount() == 2) {
            SqlWriter.Frame function = writer.startFunCall("POWER");
            // Calcite writes sqrt(x) as power(x, 0.5)
            boolean squareRoot = call.operand(1) instanceof SqlNumericLiteral half && half.getValue() instanceof java.math.BigDecimal value
                    && value.compareTo(new java.math.BigDecimal("0.5")) == 0;
            guard(writer, call.operand(0), new String[] {" = 0 AND ", " < 0 AND "},
                    new String[] {ZERO_TO_NEGATIVE, squareRoot ? NEGATIVE_SQRT : COMPLEX_POWER}, call.operand(1));
            writer.sep(",");
            call.operand(1).unparse(writer, 0, 0);
            writer.endFunCall(function);
            return true;
        }
        return false;
    }

    /**
     * {@code CASE WHEN x<condition i> THEN CAST('<marker i>' AS SIGNED) + 1 ... ELSE x END}; for
     * {@code power}, each condition goes on with the exponent's: below zero, and not an integer.
     */
    private static void guard(SqlWriter writer, SqlNode x, String[] conditions, String[] markers, SqlNode exponent)
    {
        SqlWriter.Frame frame = writer.startList("(", ")");
        writer.print("CASE");
        for (int i = 0; i < conditions.length; i++) {
            writer.print(" WHEN ");
            x.unparse(writer, 0, 0);
            writer.print(conditions[i]);
            if (exponent != null) {
                exponent.unparse(writer, 0, 0);
                if (i == 0) {
                    writer.print(" < 0");
                }
                else {
                    writer.print(" <> FLOOR(");
                    exponent.unparse(writer, 0, 0);
                    writer.print(")");
                }
            }
            writer.print(" THEN CAST('" + markers[i] + "' AS SIGNED) + 1");
        }
        writer.print(" ELSE ");
        x.unparse(writer, 0, 0);
        writer.print(" END");
        writer.endList(frame);
    }
}
