package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * PostgreSQL's scalar functions over numbers, text and dates that neither Calcite's libraries nor
 * the sources have with PostgreSQL's meaning, as Calcite user-defined functions: a statement
 * calling one runs in the gateway (the MySQL dialect pushes down those it can write, such as
 * {@code trunc}). Each follows PostgreSQL's documentation, errors included. Calcite's reflective
 * functions have no variadic form: {@code format} has one overload per argument count up to 4.
 */
@SuppressWarnings({"MethodName", "unused"})
public final class PgScalarFunctions
{
    private PgScalarFunctions() {}

    /** {@code trunc(x)}: x truncated toward zero. */
    public static BigDecimal trunc(BigDecimal value)
    {
        return value == null ? null : value.setScale(0, RoundingMode.DOWN);
    }

    /** {@code trunc(x, s)}: x truncated toward zero to s decimal places (a negative s truncates digits left of the point). */
    public static BigDecimal trunc(BigDecimal value, Integer places)
    {
        if (value == null || places == null) {
            return null;
        }
        BigDecimal truncated = value.setScale(places, RoundingMode.DOWN);
        return places < 0 ? truncated.setScale(0) : truncated;
    }

    /** {@code div(y, x)}: the integer quotient y / x truncated toward zero, as numeric. */
    public static BigDecimal div(BigDecimal dividend, BigDecimal divisor)
    {
        if (dividend == null || divisor == null) {
            return null;
        }
        if (divisor.signum() == 0) {
            throw new QueryException(SqlStates.DIVISION_BY_ZERO, "division by zero", null, null);
        }
        return dividend.divideToIntegralValue(divisor).setScale(0, RoundingMode.DOWN);
    }

    /** {@code to_char(number, format)} with a number format ({@link PgNumberFormat}; the rewriter calls it for such formats). */
    public static String pg_to_char_number(BigDecimal value, String format)
    {
        return value == null || format == null ? null : PgNumberFormat.format(value, format);
    }

    /** {@code scale(x)}: the number of decimal digits of x's fractional part. */
    public static Integer scale(BigDecimal value)
    {
        return value == null ? null : Math.max(0, value.scale());
    }

    /** {@code trim_scale(x)}: x without trailing fractional zeros. */
    public static BigDecimal trim_scale(BigDecimal value)
    {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** {@code gcd(a, b)}: the greatest common divisor (0 when both are 0). */
    public static Integer gcd(Integer a, Integer b)
    {
        if (a == null || b == null) {
            return null;
        }
        return BigInteger.valueOf(a).gcd(BigInteger.valueOf(b)).intValueExact();
    }

    /** {@code lcm(a, b)}: the least common multiple (0 when either is 0). */
    public static Integer lcm(Integer a, Integer b)
    {
        if (a == null || b == null) {
            return null;
        }
        if (a == 0 || b == 0) {
            return 0;
        }
        BigInteger x = BigInteger.valueOf(a);
        BigInteger y = BigInteger.valueOf(b);
        BigInteger lcm = x.multiply(y).abs().divide(x.gcd(y));
        if (lcm.bitLength() > 31) {
            throw new QueryException(SqlStates.NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range", null, null);
        }
        return lcm.intValue();
    }

    /** {@code factorial(n)}: n!, an error for a negative n. */
    public static BigDecimal factorial(Long n)
    {
        if (n == null) {
            return null;
        }
        if (n < 0) {
            throw new QueryException(SqlStates.NUMERIC_VALUE_OUT_OF_RANGE, "factorial of a negative number is undefined", null, null);
        }
        if (n > 1000) {
            throw new QueryException(SqlStates.NUMERIC_VALUE_OUT_OF_RANGE, "value overflows numeric format", null, null);
        }
        BigInteger result = BigInteger.ONE;
        for (long i = 2; i <= n; i++) {
            result = result.multiply(BigInteger.valueOf(i));
        }
        return new BigDecimal(result);
    }

    /** {@code width_bucket(x, low, high, count)}: the bucket (1 to count, 0 below, count + 1 above) x falls in. */
    public static Integer width_bucket(BigDecimal value, BigDecimal low, BigDecimal high, Integer count)
    {
        if (value == null || low == null || high == null || count == null) {
            return null;
        }
        if (count <= 0) {
            throw new QueryException("2201G", "count must be greater than zero", null, null);
        }
        if (low.compareTo(high) == 0) {
            throw new QueryException("2201G", "lower bound cannot equal upper bound", null, null);
        }
        boolean ascending = low.compareTo(high) < 0;
        BigDecimal from = ascending ? low : high;
        BigDecimal to = ascending ? high : low;
        if (ascending ? value.compareTo(low) < 0 : value.compareTo(low) > 0) {
            return 0;
        }
        if (ascending ? value.compareTo(high) >= 0 : value.compareTo(high) <= 0) {
            return count + 1;
        }
        BigDecimal offset = ascending ? value.subtract(from) : to.subtract(value);
        return offset.multiply(BigDecimal.valueOf(count)).divide(to.subtract(from), 0, RoundingMode.DOWN).intValue() + 1;
    }

    /**
     * {@code percentile_cont(f) WITHIN GROUP (ORDER BY x)} over the group's values (see the rewriter):
     * the value at fraction f of the sorted non-null values, interpolated linearly; null without any.
     */
    public static Double pg_percentile_cont(Double fraction, Object values, Boolean descending)
    {
        if (fraction == null || !(values instanceof java.util.List<?> list)) {
            return null;
        }
        if (fraction < 0 || fraction > 1 || fraction.isNaN()) {
            throw new QueryException(SqlStates.NUMERIC_VALUE_OUT_OF_RANGE, "percentile value " + fraction + " is not between 0 and 1", null, null);
        }
        double[] sorted = list.stream().filter(java.util.Objects::nonNull).mapToDouble(value -> ((Number) value).doubleValue()).sorted().toArray();
        if (sorted.length == 0) {
            return null;
        }
        double position = (Boolean.TRUE.equals(descending) ? 1 - fraction : fraction) * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = (int) Math.ceil(position);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /**
     * The sample or population variance, or its square root, from the count, sum and sum of squares
     * of the values, as PostgreSQL's {@code numeric_stddev_internal}: (N * sum(x²) - sum(x)²) / (N * (N - 1))
     * (population: N * N) with the scale of a numeric division, the root to that scale; null for no
     * values (or one, for the sample's).
     */
    public static BigDecimal pg_variance(Long count, BigDecimal sum, BigDecimal sumOfSquares, Boolean sample, Boolean root)
    {
        if (count == null || sum == null || sumOfSquares == null || count == 0 || Boolean.TRUE.equals(sample) && count <= 1) {
            return null;
        }
        BigDecimal n = BigDecimal.valueOf(count);
        BigDecimal numerator = n.multiply(sumOfSquares).subtract(sum.multiply(sum));
        if (numerator.signum() <= 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal denominator = Boolean.TRUE.equals(sample) ? n.multiply(n.subtract(BigDecimal.ONE)) : n.multiply(n);
        int scale = PgNumeric.divideScale(numerator, denominator);
        BigDecimal variance = numerator.divide(denominator, scale, RoundingMode.HALF_UP);
        if (!Boolean.TRUE.equals(root)) {
            return variance;
        }
        return variance.sqrt(new java.math.MathContext(variance.precision() + scale + 10)).setScale(scale, RoundingMode.HALF_UP);
    }

    /**
     * {@code covar_pop}, {@code covar_samp}, {@code corr}, {@code regr_slope}, {@code regr_intercept}
     * and {@code regr_r2} of (y, x) from the count and sums over the pairs where neither is null,
     * computed exactly and returned as {@code double precision} as PostgreSQL returns them.
     */
    public static Double pg_regression(String function, Long count, BigDecimal sumX, BigDecimal sumY, BigDecimal sumXX, BigDecimal sumYY, BigDecimal sumXY)
    {
        if (count == null || count == 0 || sumX == null) {
            return null;
        }
        BigDecimal n = BigDecimal.valueOf(count);
        BigDecimal sxy = n.multiply(sumXY).subtract(sumX.multiply(sumY));
        BigDecimal sxx = n.multiply(sumXX).subtract(sumX.multiply(sumX));
        BigDecimal syy = n.multiply(sumYY).subtract(sumY.multiply(sumY));
        java.math.MathContext context = java.math.MathContext.DECIMAL128;
        return switch (function) {
            case "covar_pop" -> sxy.divide(n.multiply(n), context).doubleValue();
            case "covar_samp" -> count < 2 ? null : sxy.divide(n.multiply(n.subtract(BigDecimal.ONE)), context).doubleValue();
            case "corr" -> sxx.signum() == 0 || syy.signum() == 0 ? null
                    : sxy.doubleValue() / Math.sqrt(sxx.doubleValue()) / Math.sqrt(syy.doubleValue());
            case "regr_slope" -> sxx.signum() == 0 ? null : sxy.divide(sxx, context).doubleValue();
            case "regr_intercept" -> sxx.signum() == 0 ? null : sumY.multiply(sxx).subtract(sumX.multiply(sxy)).divide(n.multiply(sxx), context).doubleValue();
            case "regr_r2" -> sxx.signum() == 0 ? null : syy.signum() == 0 ? 1.0 : sxy.multiply(sxy).divide(sxx.multiply(syy), context).doubleValue();
            default -> throw new IllegalArgumentException(function);
        };
    }

    /** {@code stddev} and {@code variance} over {@code double precision} values (see the BigDecimal form), as {@code double precision}. */
    public static Double pg_variance(Long count, Double sum, Double sumOfSquares, Boolean sample, Boolean root)
    {
        BigDecimal variance = pg_variance(count, sum == null ? null : new BigDecimal(sum), sumOfSquares == null ? null : new BigDecimal(sumOfSquares), sample, false);
        if (variance == null) {
            return null;
        }
        return Boolean.TRUE.equals(root) ? Math.sqrt(variance.doubleValue()) : variance.doubleValue();
    }

    /** {@code btrim(text, characters)}: text without the given characters at either end. */
    public static String btrim(String text, String characters)
    {
        return text == null || characters == null ? null : rtrim(ltrim(text, characters), characters);
    }

    private static String ltrim(String text, String characters)
    {
        int start = 0;
        while (start < text.length() && characters.indexOf(text.charAt(start)) >= 0) {
            start++;
        }
        return text.substring(start);
    }

    private static String rtrim(String text, String characters)
    {
        int end = text.length();
        while (end > 0 && characters.indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(0, end);
    }

    /** {@code reverse(text)}: the characters in reverse order (code points, not UTF-16 units). */
    public static String reverse(String text)
    {
        return text == null ? null : new StringBuilder(text).reverse().toString();
    }

    /** {@code quote_literal(text)}: the text as a string literal, quotes doubled (E'' when it holds a backslash). */
    public static String quote_literal(String text)
    {
        if (text == null) {
            return null;
        }
        String quoted = "'" + text.replace("'", "''").replace("\\", "\\\\") + "'";
        return text.contains("\\") ? "E" + quoted : quoted;
    }

    /** {@code quote_ident(text)}: the text as an identifier, quoted unless it is a lower-case word. */
    public static String quote_ident(String text)
    {
        if (text == null) {
            return null;
        }
        return text.matches("[a-z_][a-z0-9_$]*") ? text : "\"" + text.replace("\"", "\"\"") + "\"";
    }

    /** {@code to_hex(n)}: n in hexadecimal (two's complement for a negative n). */
    public static String to_hex(Long value)
    {
        return value == null ? null : value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? Integer.toHexString(value.intValue()) : Long.toHexString(value);
    }

    /** {@code initcap(text)}: each word's first letter upper case, the rest lower case. */
    public static String initcap(String text)
    {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        boolean start = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = !Character.isLetterOrDigit(c);
        }
        return out.toString();
    }

    public static String format(String format)
    {
        return formatted(format);
    }

    public static String format(String format, Object a)
    {
        return formatted(format, a);
    }

    public static String format(String format, Object a, Object b)
    {
        return formatted(format, a, b);
    }

    public static String format(String format, Object a, Object b, Object c)
    {
        return formatted(format, a, b, c);
    }

    public static String format(String format, Object a, Object b, Object c, Object d)
    {
        return formatted(format, a, b, c, d);
    }

    /** {@code format(text, ...)}: {@code %s} as the value's text (NULL as nothing), {@code %I} quoted as an identifier, {@code %L} as a literal, {@code %%}. */
    private static String formatted(String format, Object... arguments)
    {
        if (format == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 1 >= format.length()) {
                throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "unterminated format() type specifier", null, null);
            }
            char type = format.charAt(++i);
            if (type == '%') {
                out.append('%');
                continue;
            }
            if (next >= arguments.length) {
                throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "too few arguments for format()", null, null);
            }
            Object argument = arguments[next++];
            String text = argument == null ? null : argument instanceof Boolean bool ? (bool ? "true" : "false") : String.valueOf(argument);
            switch (type) {
                case 's' -> out.append(text == null ? "" : text);
                case 'I' -> {
                    if (text == null) {
                        throw new QueryException("22004", "null values cannot be formatted as an SQL identifier", null, null);
                    }
                    out.append(quote_ident(text));
                }
                case 'L' -> out.append(text == null ? "NULL" : quote_literal(text));
                default -> throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "unrecognized format() type specifier \"" + type + "\"", null, null);
            }
        }
        return out.toString();
    }

    /** {@code make_date(year, month, day)}: 22008 for a date that does not exist. */
    public static Date make_date(Integer year, Integer month, Integer day)
    {
        if (year == null || month == null || day == null) {
            return null;
        }
        try {
            return Date.valueOf(LocalDate.of(year, month, day));
        }
        catch (DateTimeException e) {
            throw new QueryException("22008", "date field value out of range: %d-%02d-%02d".formatted(year, month, day), null, null);
        }
    }

    /** {@code make_timestamp(year, month, day, hour, minute, seconds)}. */
    public static Timestamp make_timestamp(Integer year, Integer month, Integer day, Integer hour, Integer minute, Double seconds)
    {
        if (year == null || month == null || day == null || hour == null || minute == null || seconds == null) {
            return null;
        }
        try {
            long nanos = Math.round(seconds * 1_000_000) * 1_000L;
            return Timestamp.valueOf(LocalDateTime.of(year, month, day, hour, minute).plusNanos(nanos));
        }
        catch (DateTimeException e) {
            throw new QueryException("22008", "date/time field value out of range", null, null);
        }
    }

    /**
     * {@code date_bin(stride, source, origin)}: the start of the stride-long bin, counted from origin,
     * that source falls in. The stride is an interval's text of days, hours, minutes and seconds
     * ({@code '15 minutes'}); PostgreSQL refuses months and years there too.
     */
    public static Timestamp date_bin(String stride, Timestamp source, Timestamp origin)
    {
        if (stride == null || source == null || origin == null) {
            return null;
        }
        java.util.regex.Matcher part = java.util.regex.Pattern.compile("\\s*(\\d+)\\s*(days?|hours?|minutes?|mins?|seconds?|secs?)\\s*",
                java.util.regex.Pattern.CASE_INSENSITIVE).matcher(stride);
        long micros = 0;
        int end = 0;
        while (part.find() && part.start() == end) {
            long amount = Long.parseLong(part.group(1));
            String unit = part.group(2).toLowerCase(java.util.Locale.ROOT);
            micros += amount * (unit.startsWith("d") ? 86_400_000_000L : unit.startsWith("h") ? 3_600_000_000L : unit.startsWith("m") ? 60_000_000L : 1_000_000L);
            end = part.end();
        }
        if (end != stride.length() || micros <= 0) {
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "stride must be a positive interval of days, hours, minutes or seconds", null, null);
        }
        long offset = java.time.temporal.ChronoUnit.MICROS.between(origin.toLocalDateTime(), source.toLocalDateTime());
        long bins = Math.floorDiv(offset, micros);
        return Timestamp.valueOf(origin.toLocalDateTime().plus(bins * micros, java.time.temporal.ChronoUnit.MICROS));
    }

    /**
     * {@code to_number(text, format)} for the number patterns ({@code 9}, {@code 0}, {@code G} or
     * {@code ,} as group separators, {@code D} or {@code .} as the decimal point, {@code S}/{@code MI}
     * signs): the digits read, with as many decimals as the format has after its decimal point.
     */
    public static BigDecimal to_number(String text, String format)
    {
        if (text == null || format == null) {
            return null;
        }
        String upper = format.toUpperCase(java.util.Locale.ROOT);
        int point = Math.max(upper.indexOf('D'), upper.indexOf('.'));
        int scale = 0;
        if (point >= 0) {
            for (int i = point + 1; i < upper.length(); i++) {
                if (upper.charAt(i) == '9' || upper.charAt(i) == '0') {
                    scale++;
                }
            }
        }
        StringBuilder digits = new StringBuilder();
        boolean negative = false;
        for (char c : text.toCharArray()) {
            if (Character.isDigit(c) || c == '.') {
                digits.append(c);
            }
            else if (c == '-') {
                negative = true;
            }
        }
        if (digits.isEmpty()) {
            throw new QueryException(SqlStates.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type numeric: \" \"", null, null);
        }
        BigDecimal value = new BigDecimal(digits.toString()).setScale(scale, RoundingMode.HALF_UP);
        return negative ? value.negate() : value;
    }

    /** {@code isfinite(date)}: true for every date Sekisho holds (it has no infinite dates). */
    public static Boolean isfinite(Date date)
    {
        return date == null ? null : Boolean.TRUE;
    }
}
