package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * PostgreSQL's math functions where Java's and MySQL's answers print differently: {@code cbrt} as
 * the C library PostgreSQL calls computes it (glibc's {@code cbrt} is not correctly rounded:
 * {@code cbrt(27)} is {@code 3.0000000000000004} there, exactly 3 in Java), and the logarithms of
 * {@code numeric} values with {@code numeric.c}'s result scale ({@code log(2, 8)} is
 * {@code 3.0000000000000000}, where a double precision quotient is {@code 2.9999999999999996}).
 */
@SuppressWarnings("MethodName")
public final class PgMath
{
    /** {@code NUMERIC_MIN_SIG_DIGITS}. */
    private static final int MIN_SIG_DIGITS = 16;
    private static final int MAX_DISPLAY_SCALE = 1000;
    /** {@code DEC_DIGITS}: PostgreSQL stores base-10000 digits, and its scale estimates read the first two. */
    private static final int DEC_DIGITS = 4;
    private static final BigDecimal NBASE = BigDecimal.valueOf(10_000);
    private static final BigDecimal ZERO_POINT_NINE = new BigDecimal("0.9");
    private static final BigDecimal ONE_POINT_ONE = new BigDecimal("1.1");
    private static final BigDecimal CLOSE_TO_ONE = new BigDecimal("0.01");

    private static final double CBRT2 = 1.2599210498948731648;
    private static final double SQR_CBRT2 = 1.5874010519681994748;
    private static final double[] CBRT_FACTOR = {1.0 / SQR_CBRT2, 1.0 / CBRT2, 1.0, CBRT2, SQR_CBRT2};

    private PgMath() {}

    /**
     * {@code cbrt(double precision)}: glibc's {@code __cbrt} (sysdeps/ieee754/dbl-64/s_cbrt.c), whose
     * rational approximation and one Newton-like step PostgreSQL's {@code dcbrt} returns unchanged.
     * Java's strict double arithmetic evaluates it bit for bit as the C code does on x86-64.
     */
    public static Double pg_cbrt(Double value)
    {
        if (value == null) {
            return null;
        }
        double x = value;
        if (x == 0 || Double.isNaN(x) || Double.isInfinite(x)) {
            return x + x;
        }
        double magnitude = Math.abs(x);
        // frexp: magnitude = xm * 2^xe with xm in [0.5, 1)
        int exponent = Math.getExponent(magnitude);
        double xm;
        if (exponent < Double.MIN_EXPONENT) {
            double scaled = magnitude * 0x1p54;
            exponent = Math.getExponent(scaled) - 54;
            xm = Math.scalb(scaled, -Math.getExponent(scaled) - 1);
        }
        else {
            xm = Math.scalb(magnitude, -exponent - 1);
        }
        int xe = exponent + 1;
        double u = 0.354895765043919860
                + (1.50819193781584896
                + (-2.11499494167371287
                + (2.44693122563534430
                + (-1.83469277483613086
                + (0.784932344976639262 - 0.145263899385486377 * xm) * xm)
                * xm)
                * xm)
                * xm)
                * xm;
        double t2 = u * u * u;
        double ym = u * (t2 + 2.0 * xm) / (2.0 * t2 + xm) * CBRT_FACTOR[2 + xe % 3];
        return Math.copySign(Math.scalb(ym, xe / 3), x);
    }

    /**
     * A {@code numeric} value as PostgreSQL's unconstrained {@code numeric}, unchanged: a CASE,
     * COALESCE, GREATEST or LEAST over numbers of different scales yields each value with its own
     * scale ({@code greatest(1, 2.5, 3)} is 3, not 3.0), which Calcite's common type would impose.
     */
    public static BigDecimal pg_numeric_value(BigDecimal value)
    {
        return value;
    }

    /** {@code power(x, y)} of double precision: PostgreSQL's 2201F where the power is undefined or complex, where Java answers NaN or infinity. */
    public static Double pg_power_float(Double base, Double exponent)
    {
        if (base == null || exponent == null) {
            return null;
        }
        if (base == 0 && exponent < 0) {
            throw new QueryException("2201F", "zero raised to a negative power is undefined");
        }
        if (base < 0 && Math.floor(exponent) != exponent) {
            // Calcite writes sqrt(x) as power(x, 0.5): the square root's message for it
            throw new QueryException("2201F", exponent == 0.5 ? "cannot take square root of a negative number"
                    : "a negative number raised to a non-integer power yields a complex result");
        }
        double result = Math.pow(base, exponent);
        if (Double.isInfinite(result) && !Double.isInfinite(base) && !Double.isInfinite(exponent)) {
            throw new QueryException(SqlStates.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
        }
        return result;
    }

    /** {@code ln(double precision)}: 2201E for zero and negative numbers, where Java answers -Infinity and NaN. */
    public static Double pg_ln_float(Double value)
    {
        if (value == null) {
            return null;
        }
        checkLogarithm(value == 0 ? 0 : value < 0 ? -1 : 1);
        return Math.log(value);
    }

    /** {@code log10(double precision)} and {@code log(double precision)}: exact for powers of ten, as C's {@code log10}. */
    public static Double pg_log10_float(Double value)
    {
        if (value == null) {
            return null;
        }
        checkLogarithm(value == 0 ? 0 : value < 0 ? -1 : 1);
        return Math.log10(value);
    }

    /** {@code ln(numeric)}: {@code numeric_ln}'s result scale (at least 16 significant digits, never fewer decimals than x). */
    public static BigDecimal pg_ln(BigDecimal value)
    {
        if (value == null) {
            return null;
        }
        checkLogarithm(value.signum());
        int scale = clampScale(Math.max(MIN_SIG_DIGITS - estimateLnWeight(value), displayScale(value)));
        return ln(value, scale + 30).setScale(scale, RoundingMode.HALF_UP);
    }

    /** {@code sqrt(numeric)}: {@code numeric_sqrt}'s result scale (at least 16 significant digits, never fewer decimals than x). */
    public static BigDecimal pg_sqrt(BigDecimal value)
    {
        if (value == null) {
            return null;
        }
        if (value.signum() < 0) {
            throw new QueryException("2201F", "cannot take square root of a negative number");
        }
        int weight = value.signum() == 0 ? 0 : Math.floorDiv(value.precision() - value.scale() - 1, DEC_DIGITS);
        int resultWeight = (weight + 1) * DEC_DIGITS / 2 - 1;
        int scale = clampScale(Math.max(MIN_SIG_DIGITS - resultWeight, displayScale(value)));
        return value.sqrt(new MathContext(scale + Math.max(0, value.precision() - value.scale()) + 10)).setScale(scale, RoundingMode.HALF_UP);
    }

    /** {@code log(numeric)} and {@code log10(numeric)}: {@code log(10, x)}. */
    public static BigDecimal pg_log10(BigDecimal value)
    {
        return value == null ? null : pg_log(BigDecimal.TEN, value);
    }

    /** {@code log(b, x)} of {@code numeric}: {@code log_var}'s result scale; a base of 1 is a division by zero (22012). */
    public static BigDecimal pg_log(BigDecimal base, BigDecimal value)
    {
        if (base == null || value == null) {
            return null;
        }
        checkLogarithm(base.signum());
        checkLogarithm(value.signum());
        int resultWeight = estimateLnWeight(value) - estimateLnWeight(base);
        int scale = clampScale(Math.max(MIN_SIG_DIGITS - resultWeight, Math.max(displayScale(base), displayScale(value))));
        BigDecimal lnBase = ln(base, scale + 40);
        if (lnBase.signum() == 0) {
            throw new QueryException(SqlStates.DIVISION_BY_ZERO, "division by zero");
        }
        BigDecimal lnValue = ln(value, scale + 40);
        return lnValue.divide(lnBase, new MathContext(scale + 40 + Math.max(0, lnValue.precision() - lnValue.scale()))).setScale(scale, RoundingMode.HALF_UP);
    }

    private static void checkLogarithm(int signum)
    {
        if (signum == 0) {
            throw new QueryException("2201E", "cannot take logarithm of zero");
        }
        if (signum < 0) {
            throw new QueryException("2201E", "cannot take logarithm of a negative number");
        }
    }

    private static int displayScale(BigDecimal value)
    {
        return Math.max(0, value.scale());
    }

    private static int clampScale(int scale)
    {
        return Math.min(Math.max(scale, 0), MAX_DISPLAY_SCALE);
    }

    /**
     * {@code estimate_ln_dweight}: the decimal weight of ln(x), estimated from x's first two base-10000
     * digits (or, for x within 0.1 of 1, from x - 1), which decides the result's scale.
     */
    static int estimateLnWeight(BigDecimal value)
    {
        if (value.signum() <= 0) {
            return 0;
        }
        if (value.compareTo(ZERO_POINT_NINE) >= 0 && value.compareTo(ONE_POINT_ONE) <= 0) {
            BigDecimal difference = value.subtract(BigDecimal.ONE);
            return difference.signum() == 0 ? 0 : difference.precision() - difference.scale() - 1;
        }
        int weight = Math.floorDiv(value.precision() - value.scale() - 1, DEC_DIGITS);
        BigDecimal units = value.movePointLeft(DEC_DIGITS * weight);
        BigDecimal first = units.setScale(0, RoundingMode.DOWN);
        double digits = first.doubleValue();
        int decimalWeight = weight * DEC_DIGITS;
        if (units.compareTo(first) != 0) {
            digits = digits * 10_000 + units.subtract(first).multiply(NBASE).setScale(0, RoundingMode.DOWN).doubleValue();
            decimalWeight -= DEC_DIGITS;
        }
        double ln = Math.log(digits) + decimalWeight * 2.302585092994046;
        return (int) Math.log10(Math.abs(ln));
    }

    /**
     * The natural logarithm of a positive x to at least {@code digits} significant digits: x = m * 10^k
     * with m in [1, 10), m's square root taken until it is within 0.01 of 1, then
     * {@code ln m = 2 atanh((m - 1) / (m + 1))} as its series.
     */
    static BigDecimal ln(BigDecimal value, int digits)
    {
        int exponent = value.compareTo(ZERO_POINT_NINE) >= 0 && value.compareTo(ONE_POINT_ONE) <= 0 ? 0 : value.precision() - value.scale() - 1;
        BigDecimal mantissa = value.movePointLeft(exponent);
        BigDecimal result = lnNearOne(mantissa, digits + 10);
        if (exponent != 0) {
            result = result.add(lnNearOne(BigDecimal.TEN, digits + 10 + Integer.toString(Math.abs(exponent)).length()).multiply(BigDecimal.valueOf(exponent)));
        }
        return result.round(new MathContext(digits + 5));
    }

    private static BigDecimal lnNearOne(BigDecimal value, int digits)
    {
        MathContext context = new MathContext(digits + 20);
        BigDecimal x = value;
        int halvings = 0;
        while (x.subtract(BigDecimal.ONE).abs().compareTo(CLOSE_TO_ONE) > 0) {
            x = x.sqrt(context);
            halvings++;
        }
        BigDecimal z = x.subtract(BigDecimal.ONE).divide(x.add(BigDecimal.ONE), context);
        BigDecimal zSquared = z.multiply(z, context);
        BigDecimal term = z;
        BigDecimal sum = z;
        BigDecimal threshold = BigDecimal.ONE.movePointLeft(digits + 15);
        for (int n = 3; term.abs().compareTo(threshold) > 0; n += 2) {
            term = term.multiply(zSquared, context);
            sum = sum.add(term.divide(BigDecimal.valueOf(n), context), context);
        }
        return sum.multiply(BigDecimal.valueOf(2).pow(halvings + 1), context);
    }
}
