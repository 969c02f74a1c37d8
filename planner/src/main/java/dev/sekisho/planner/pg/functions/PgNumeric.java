package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * PostgreSQL's {@code numeric} arithmetic where Java's and MySQL's differ: the scale of a quotient.
 * PostgreSQL keeps at least 16 significant digits and never fewer decimals than either operand
 * shows ({@code select_div_scale} in {@code numeric.c}), so {@code 1/3::numeric} is
 * {@code 0.33333333333333333333} and {@code avg} of {@code numeric(12,2)} values near 19,000 has 12
 * decimals; MySQL adds a fixed 4 ({@code div_precision_increment}).
 */
public final class PgNumeric
{
    /** {@code NUMERIC_MIN_SIG_DIGITS}. */
    private static final int MIN_SIG_DIGITS = 16;
    /** {@code DEC_DIGITS}: PostgreSQL stores base-10000 digits. */
    private static final int DEC_DIGITS = 4;
    private static final int MAX_DISPLAY_SCALE = 1000;

    private PgNumeric() {}

    /** {@code dividend / divisor} as PostgreSQL's {@code numeric_div}; 22012 for a zero divisor. */
    public static BigDecimal divide(BigDecimal dividend, BigDecimal divisor)
    {
        if (dividend == null || divisor == null) {
            return null;
        }
        if (divisor.signum() == 0) {
            throw new QueryException(SqlStates.DIVISION_BY_ZERO, "division by zero");
        }
        return dividend.divide(divisor, divideScale(dividend, divisor), RoundingMode.HALF_UP);
    }

    /** The value unchanged: a cast to {@code numeric} without a type modifier keeps every digit and the scale. */
    public static BigDecimal unbounded(BigDecimal value)
    {
        return value;
    }

    /** {@code select_div_scale}: the result scale of a division. */
    static int divideScale(BigDecimal dividend, BigDecimal divisor)
    {
        int weight1 = weight(dividend);
        int weight2 = weight(divisor);
        int qweight = weight1 - weight2;
        if (firstDigit(dividend, weight1) <= firstDigit(divisor, weight2)) {
            qweight--;
        }
        int scale = MIN_SIG_DIGITS - qweight * DEC_DIGITS;
        scale = Math.max(scale, Math.max(0, dividend.scale()));
        scale = Math.max(scale, Math.max(0, divisor.scale()));
        return Math.min(Math.max(scale, 0), MAX_DISPLAY_SCALE);
    }

    /** The weight (power of 10000) of the first non-zero base-10000 digit; 0 for zero. */
    private static int weight(BigDecimal value)
    {
        if (value.signum() == 0) {
            return 0;
        }
        int exponent = value.precision() - value.scale() - 1;
        return Math.floorDiv(exponent, DEC_DIGITS);
    }

    private static int firstDigit(BigDecimal value, int weight)
    {
        if (value.signum() == 0) {
            return 0;
        }
        return value.abs().movePointLeft(DEC_DIGITS * weight).setScale(0, RoundingMode.DOWN).intValue();
    }
}
