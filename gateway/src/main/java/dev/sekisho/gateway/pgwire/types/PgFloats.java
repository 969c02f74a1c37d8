package dev.sekisho.gateway.pgwire.types;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Prints {@code real} and {@code double precision} as PostgreSQL 12+ does with the default
 * {@code extra_float_digits = 1}: the shortest text that reads back to the same value, in fixed
 * notation for decimal exponents in [-4, 15) (float8) or [-4, 6) (float4), otherwise as
 * {@code 1.5e+20}; and {@code NaN}, {@code Infinity}, {@code -Infinity}.
 */
final class PgFloats
{
    private PgFloats() {}

    static String format(double value)
    {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        if (decimal.precision() > 15) {
            // Double.toString is not always the shortest before JDK 19; look for a shorter one
            BigDecimal exact = new BigDecimal(value);
            for (int digits = decimal.precision() - 1; digits >= 1; digits--) {
                BigDecimal shorter = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
                if (shorter.doubleValue() != value) {
                    break;
                }
                decimal = shorter.stripTrailingZeros();
            }
        }
        return layout(decimal, 15);
    }

    static String format(float value)
    {
        if (Float.isNaN(value)) {
            return "NaN";
        }
        if (Float.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        BigDecimal decimal = new BigDecimal(Float.toString(value)).stripTrailingZeros();
        if (decimal.precision() > 6) {
            BigDecimal exact = new BigDecimal(value);
            for (int digits = decimal.precision() - 1; digits >= 1; digits--) {
                BigDecimal shorter = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
                if (shorter.floatValue() != value) {
                    break;
                }
                decimal = shorter.stripTrailingZeros();
            }
        }
        return layout(decimal, 6);
    }

    private static String layout(BigDecimal decimal, int maxFixedExponent)
    {
        int exponent = decimal.precision() - decimal.scale() - 1;
        if (exponent >= -4 && exponent < maxFixedExponent) {
            return decimal.toPlainString();
        }
        String digits = decimal.unscaledValue().abs().toString();
        StringBuilder text = new StringBuilder(digits.length() + 8);
        if (decimal.signum() < 0) {
            text.append('-');
        }
        text.append(digits.charAt(0));
        if (digits.length() > 1) {
            text.append('.').append(digits, 1, digits.length());
        }
        text.append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            text.append('0');
        }
        return text.append(magnitude).toString();
    }
}
