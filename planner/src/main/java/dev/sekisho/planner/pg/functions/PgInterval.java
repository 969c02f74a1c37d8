package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL {@code interval} value as PostgreSQL holds it: months, days and microseconds, three
 * fields that never convert into each other by themselves. Calcite's interval types cannot hold
 * one: {@code INTERVAL DAY TO SECOND} is a single count of milliseconds (so {@code 1 day} and
 * {@code 24:00:00}, or {@code 1 day -01:00:00} and {@code 23:00:00}, would be one value and print
 * alike) and {@code INTERVAL YEAR TO MONTH} cannot hold days at all. So an interval computed in the
 * gateway is this class, a Java type in the plan; interval literals that are only operands of date
 * and timestamp arithmetic stay Calcite intervals, so that the arithmetic is still pushed down.
 *
 * <p>Equality, hashing and ordering are PostgreSQL's: months count as 30 days and days as 24 hours,
 * so {@code 1 mon} equals {@code 30 days} (and they fall in one group), as in {@code interval_cmp}.
 * {@link #toString()} is the text in the {@code postgres} IntervalStyle, which the server reports.
 * The arithmetic follows PostgreSQL 15's {@code timestamp.c}.
 */
public final class PgInterval
        implements Comparable<PgInterval>
{
    static final long MICROS_PER_SECOND = 1_000_000L;
    static final long MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
    static final long MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;
    static final long MICROS_PER_DAY = 24 * MICROS_PER_HOUR;
    private static final int DAYS_PER_MONTH = 30;
    private static final long SECONDS_PER_DAY = 86_400L;

    private final int months;
    private final int days;
    private final long micros;

    public PgInterval(int months, int days, long micros)
    {
        this.months = months;
        this.days = days;
        this.micros = micros;
    }

    /**
     * Whether {@code type} is the plan's type of interval values computed in the gateway: Calcite
     * types a function's result of a Java class it does not know (this one) as {@code OTHER}, and no
     * other value of a Sekisho plan has that type.
     */
    public static boolean isType(org.apache.calcite.rel.type.RelDataType type)
    {
        return type != null && type.getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.OTHER;
    }

    public int months()
    {
        return months;
    }

    public int days()
    {
        return days;
    }

    public long micros()
    {
        return micros;
    }

    /** {@code a + b}, field by field. */
    public PgInterval plus(PgInterval other)
    {
        return new PgInterval(Math.addExact(months, other.months), Math.addExact(days, other.days), Math.addExact(micros, other.micros));
    }

    /** {@code a - b}, field by field. */
    public PgInterval minus(PgInterval other)
    {
        return new PgInterval(Math.subtractExact(months, other.months), Math.subtractExact(days, other.days), Math.subtractExact(micros, other.micros));
    }

    public PgInterval negate()
    {
        return new PgInterval(Math.negateExact(months), Math.negateExact(days), Math.negateExact(micros));
    }

    /** {@code interval * float8} ({@code interval_mul}): fractions of months cascade into days (30 each) and of days into time. */
    public PgInterval times(double factor)
    {
        double monthsScaled = months * factor;
        double daysScaled = days * factor;
        checkRange(monthsScaled);
        checkRange(daysScaled);
        int resultMonths = (int) monthsScaled;
        int resultDays = (int) daysScaled;
        double monthRemainderDays = round((monthsScaled - resultMonths) * DAYS_PER_MONTH);
        double secondRemainder = round((daysScaled - resultDays + monthRemainderDays - (int) monthRemainderDays) * SECONDS_PER_DAY);
        if (Math.abs(secondRemainder) >= SECONDS_PER_DAY) {
            resultDays += (int) (secondRemainder / SECONDS_PER_DAY);
            secondRemainder -= (int) (secondRemainder / SECONDS_PER_DAY) * SECONDS_PER_DAY;
        }
        resultDays += (int) monthRemainderDays;
        double time = Math.rint(micros * factor + secondRemainder * MICROS_PER_SECOND);
        checkTime(time);
        return new PgInterval(resultMonths, resultDays, (long) time);
    }

    /** {@code interval / float8} ({@code interval_div}); 22012 for a zero divisor. */
    public PgInterval dividedBy(double divisor)
    {
        if (divisor == 0.0) {
            throw new QueryException(SqlStates.DIVISION_BY_ZERO, "division by zero", null, null);
        }
        double monthsScaled = months / divisor;
        double daysScaled = days / divisor;
        checkRange(monthsScaled);
        checkRange(daysScaled);
        int resultMonths = (int) monthsScaled;
        int resultDays = (int) daysScaled;
        double monthRemainderDays = round((monthsScaled - resultMonths) * DAYS_PER_MONTH);
        double secondRemainder = round((daysScaled - resultDays + monthRemainderDays - (int) monthRemainderDays) * SECONDS_PER_DAY);
        if (Math.abs(secondRemainder) >= SECONDS_PER_DAY) {
            resultDays += (int) (secondRemainder / SECONDS_PER_DAY);
            secondRemainder -= (int) (secondRemainder / SECONDS_PER_DAY) * SECONDS_PER_DAY;
        }
        resultDays += (int) monthRemainderDays;
        double time = Math.rint(micros / divisor + secondRemainder * MICROS_PER_SECOND);
        checkTime(time);
        return new PgInterval(resultMonths, resultDays, (long) time);
    }

    /** PostgreSQL's {@code TSROUND}: to the microsecond. */
    private static double round(double value)
    {
        return Math.rint(value * 1_000_000.0) / 1_000_000.0;
    }

    private static void checkRange(double value)
    {
        if (Double.isNaN(value) || value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw outOfRange();
        }
    }

    private static void checkTime(double time)
    {
        if (Double.isNaN(time) || time >= 9.223372036854775807E18 || time < -9.223372036854775807E18) {
            throw outOfRange();
        }
    }

    static QueryException outOfRange()
    {
        return new QueryException(SqlStates.NUMERIC_VALUE_OUT_OF_RANGE, "interval out of range", null, null);
    }

    /** {@code justify_hours}: whole 24 hours of the time become days, the time keeps the days' sign. */
    public PgInterval justifyHours()
    {
        long time = micros % MICROS_PER_DAY;
        long resultDays = days + micros / MICROS_PER_DAY;
        if (resultDays > 0 && time < 0) {
            time += MICROS_PER_DAY;
            resultDays--;
        }
        else if (resultDays < 0 && time > 0) {
            time -= MICROS_PER_DAY;
            resultDays++;
        }
        return new PgInterval(months, Math.toIntExact(resultDays), time);
    }

    /** {@code justify_days}: whole 30 days become months, the days keep the months' sign. */
    public PgInterval justifyDays()
    {
        int resultMonths = months + days / DAYS_PER_MONTH;
        int resultDays = days % DAYS_PER_MONTH;
        if (resultMonths > 0 && resultDays < 0) {
            resultDays += DAYS_PER_MONTH;
            resultMonths--;
        }
        else if (resultMonths < 0 && resultDays > 0) {
            resultDays -= DAYS_PER_MONTH;
            resultMonths++;
        }
        return new PgInterval(resultMonths, resultDays, micros);
    }

    /** {@code justify_interval}: both justifications, with the signs made consistent over all three fields. */
    public PgInterval justifyInterval()
    {
        long time = micros % MICROS_PER_DAY;
        long allDays = days + micros / MICROS_PER_DAY;
        long resultMonths = months + allDays / DAYS_PER_MONTH;
        long resultDays = allDays % DAYS_PER_MONTH;
        if (resultMonths > 0 && (resultDays < 0 || resultDays == 0 && time < 0)) {
            resultDays += DAYS_PER_MONTH;
            resultMonths--;
        }
        else if (resultMonths < 0 && (resultDays > 0 || resultDays == 0 && time > 0)) {
            resultDays -= DAYS_PER_MONTH;
            resultMonths++;
        }
        if (resultDays > 0 && time < 0) {
            time += MICROS_PER_DAY;
            resultDays--;
        }
        else if (resultDays < 0 && time > 0) {
            time -= MICROS_PER_DAY;
            resultDays++;
        }
        return new PgInterval(Math.toIntExact(resultMonths), Math.toIntExact(resultDays), time);
    }

    /** {@code timestamp - timestamp}: the microseconds between them as days and time ({@code justify_hours}), as {@code timestamp_mi}. */
    public static PgInterval between(LocalDateTime end, LocalDateTime start)
    {
        return new PgInterval(0, 0, ChronoUnit.MICROS.between(start, end)).justifyHours();
    }

    /**
     * {@code age(end, start)} ({@code timestamp_age}): the difference field by field (years, months,
     * days, then time), negative fields borrowed from the next larger one, a month by the length of
     * the earlier timestamp's month.
     */
    public static PgInterval age(LocalDateTime end, LocalDateTime start)
    {
        boolean negative = end.isBefore(start);
        long fraction = end.getNano() / 1000 - start.getNano() / 1000;
        long second = end.getSecond() - start.getSecond();
        long minute = end.getMinute() - start.getMinute();
        long hour = end.getHour() - start.getHour();
        long day = end.getDayOfMonth() - start.getDayOfMonth();
        long month = end.getMonthValue() - start.getMonthValue();
        long year = end.getYear() - start.getYear();
        if (negative) {
            fraction = -fraction;
            second = -second;
            minute = -minute;
            hour = -hour;
            day = -day;
            month = -month;
            year = -year;
        }
        while (fraction < 0) {
            fraction += MICROS_PER_SECOND;
            second--;
        }
        while (second < 0) {
            second += 60;
            minute--;
        }
        while (minute < 0) {
            minute += 60;
            hour--;
        }
        while (hour < 0) {
            hour += 24;
            day--;
        }
        LocalDateTime borrowFrom = negative ? end : start;
        while (day < 0) {
            day += YearMonth.from(borrowFrom).lengthOfMonth();
            month--;
        }
        while (month < 0) {
            month += 12;
            year--;
        }
        if (negative) {
            fraction = -fraction;
            second = -second;
            minute = -minute;
            hour = -hour;
            day = -day;
            month = -month;
            year = -year;
        }
        long time = ((hour * 60 + minute) * 60 + second) * MICROS_PER_SECOND + fraction;
        return new PgInterval(Math.toIntExact(year * 12 + month), Math.toIntExact(day), time);
    }

    /** {@code timestamp + interval}: months first (the day clamped to the month's last), then days, then time. */
    public LocalDateTime addTo(LocalDateTime timestamp)
    {
        return timestamp.plusMonths(months).plusDays(days).plus(micros, ChronoUnit.MICROS);
    }

    /**
     * {@code extract(unit FROM interval)} as numeric ({@code interval_part_common}); 0A000 for the
     * units PostgreSQL refuses for intervals, 22023 for unknown ones.
     */
    public BigDecimal part(String unit)
    {
        String lower = unit.strip().toLowerCase(Locale.ROOT);
        long hour = micros / MICROS_PER_HOUR;
        long minute = micros / MICROS_PER_MINUTE % 60;
        long secondMicros = micros % MICROS_PER_MINUTE;
        return switch (lower) {
            case "microsecond", "microseconds", "us", "usec", "usecs" -> BigDecimal.valueOf(secondMicros);
            case "millisecond", "milliseconds", "ms", "msec", "msecs" -> BigDecimal.valueOf(secondMicros, 3);
            case "second", "seconds", "s", "sec", "secs" -> BigDecimal.valueOf(secondMicros, 6);
            case "minute", "minutes", "m", "min", "mins" -> BigDecimal.valueOf(minute);
            case "hour", "hours", "h", "hr", "hrs" -> BigDecimal.valueOf(hour);
            case "day", "days", "d" -> BigDecimal.valueOf(days);
            case "month", "months", "mon", "mons" -> BigDecimal.valueOf(months % 12);
            case "quarter" -> BigDecimal.valueOf(months % 12 / 3 + 1);
            case "year", "years", "y", "yr", "yrs" -> BigDecimal.valueOf(months / 12);
            case "decade", "decades" -> BigDecimal.valueOf(months / 12 / 10);
            case "century", "centuries" -> BigDecimal.valueOf(months / 12 / 100);
            case "millennium", "millennia", "millenniums" -> BigDecimal.valueOf(months / 12 / 1000);
            case "epoch" -> BigDecimal.valueOf(micros, 6)
                    .add(BigDecimal.valueOf((long) (365.25 * SECONDS_PER_DAY) * (months / 12)))
                    .add(BigDecimal.valueOf(DAYS_PER_MONTH * SECONDS_PER_DAY * (months % 12)))
                    .add(BigDecimal.valueOf(SECONDS_PER_DAY * days));
            case "dow", "isodow", "doy", "week", "timezone", "timezone_hour", "timezone_minute", "julian", "isoyear" ->
                    throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "unit \"" + unit + "\" not supported for type interval", null, null);
            default -> throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "unit \"" + unit + "\" not recognized for type interval", null, null);
        };
    }

    /** The value as one count of microseconds with months as 30 days and days as 24 hours, split into whole days and the rest. */
    private long spanDays()
    {
        return (long) months * DAYS_PER_MONTH + days + Math.floorDiv(micros, MICROS_PER_DAY);
    }

    private long spanRest()
    {
        return Math.floorMod(micros, MICROS_PER_DAY);
    }

    /** A text whose order is this interval's order: the span in whole days and the rest, offset to be positive, then the fields. */
    String sortKey()
    {
        return String.format(Locale.ROOT, "%020d%014d %d %d %d", spanDays() + 4_000_000_000_000L, spanRest(), months, days, micros);
    }

    static PgInterval ofSortKey(String key)
    {
        String[] fields = key.substring(key.indexOf(' ') + 1).split(" ");
        return new PgInterval(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]), Long.parseLong(fields[2]));
    }

    @Override
    public int compareTo(PgInterval other)
    {
        int byDays = Long.compare(spanDays(), other.spanDays());
        return byDays != 0 ? byDays : Long.compare(spanRest(), other.spanRest());
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof PgInterval interval && compareTo(interval) == 0;
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(spanDays()) * 31 + Long.hashCode(spanRest());
    }

    /** The text in PostgreSQL's {@code postgres} IntervalStyle: {@code 1 year 2 mons -3 days +04:05:06.5}. */
    @Override
    public String toString()
    {
        StringBuilder text = new StringBuilder();
        boolean[] before = new boolean[1];
        appendField(text, months / 12, "year", before);
        appendField(text, months % 12, "mon", before);
        appendField(text, days, "day", before);
        if (text.isEmpty() || micros != 0) {
            long abs = Math.abs(micros);
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(micros < 0 ? "-" : before[0] ? "+" : "");
            text.append(String.format(Locale.ROOT, "%02d:%02d:%02d", abs / MICROS_PER_HOUR, abs / MICROS_PER_MINUTE % 60, abs / MICROS_PER_SECOND % 60));
            long fraction = abs % MICROS_PER_SECOND;
            if (fraction != 0) {
                text.append(String.format(Locale.ROOT, ".%06d", fraction).replaceAll("0+$", ""));
            }
        }
        return text.toString();
    }

    private static void appendField(StringBuilder text, long value, String unit, boolean[] before)
    {
        if (value == 0) {
            return;
        }
        if (!text.isEmpty()) {
            text.append(' ');
        }
        text.append(before[0] && value > 0 ? "+" : "").append(value).append(' ').append(unit).append(value != 1 ? "s" : "");
        before[0] = value < 0;
    }

    private static final Pattern TIME = Pattern.compile("([-+]?)(\\d+):(\\d+)(?::(\\d+(?:\\.\\d*)?))?");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)");
    private static final Pattern ISO_OR_STANDARD = Pattern.compile("(?i)\\s*-?P.*|\\s*[-+]?\\d+-\\d+.*");

    /**
     * PostgreSQL's interval input in its usual forms: quantities with units ({@code 1 year 2 mons},
     * {@code 3 days}, {@code 1.5 hours}, {@code -2 weeks}, abbreviations such as {@code mins} and
     * {@code h}), a time ({@code 01:30}, {@code 1 day 02:00:00.5}), a bare number (seconds), a leading
     * {@code @} and a trailing {@code ago}. The ISO 8601 and SQL-standard forms ({@code P1D},
     * {@code 1-2}) raise 0A000; anything else 22007 as PostgreSQL does.
     */
    public static PgInterval parse(String input)
    {
        String text = input.strip().toLowerCase(Locale.ROOT);
        if (ISO_OR_STANDARD.matcher(text).matches()) {
            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "interval input in the ISO 8601 or SQL-standard form is not supported: \"" + input + "\"",
                    "Write the interval with units, such as '1 year 2 months' or '3 days 04:05:06'.", null);
        }
        if (text.startsWith("@")) {
            text = text.substring(1).strip();
        }
        boolean ago = false;
        if (text.endsWith(" ago") || text.equals("ago")) {
            ago = true;
            text = text.substring(0, text.length() - 3).strip();
        }
        String[] words = text.isEmpty() ? new String[0] : text.split("\\s+");
        if (words.length == 0) {
            throw invalid(input);
        }
        long resultMonths = 0;
        long resultDays = 0;
        double resultMicros = 0;
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            Matcher time = TIME.matcher(word);
            if (time.matches()) {
                double value = Long.parseLong(time.group(2)) * (double) MICROS_PER_HOUR + Long.parseLong(time.group(3)) * (double) MICROS_PER_MINUTE
                        + (time.group(4) == null ? 0 : Math.rint(Double.parseDouble(time.group(4)) * MICROS_PER_SECOND));
                resultMicros += time.group(1).equals("-") ? -value : value;
                continue;
            }
            String number = word;
            String unit = null;
            Matcher numeric = NUMBER.matcher(word);
            if (numeric.lookingAt() && numeric.end() < word.length()) {
                number = word.substring(0, numeric.end());
                unit = word.substring(numeric.end());
            }
            else if (i + 1 < words.length && !NUMBER.matcher(words[i + 1]).lookingAt() && !TIME.matcher(words[i + 1]).matches()) {
                unit = words[++i];
            }
            if (!NUMBER.matcher(number).matches()) {
                throw invalid(input);
            }
            BigDecimal amount = new BigDecimal(number.startsWith("+") ? number.substring(1) : number);
            long whole = amount.setScale(0, RoundingMode.DOWN).longValueExact();
            double fraction = amount.subtract(BigDecimal.valueOf(whole)).doubleValue();
            switch (unit == null ? "second" : unitName(unit, input)) {
                case "microsecond" -> resultMicros += amount.doubleValue();
                case "millisecond" -> resultMicros += Math.rint(amount.doubleValue() * 1000);
                case "second" -> resultMicros += Math.rint(amount.doubleValue() * MICROS_PER_SECOND);
                case "minute" -> resultMicros += whole * (double) MICROS_PER_MINUTE + Math.rint(fraction * MICROS_PER_MINUTE);
                case "hour" -> resultMicros += whole * (double) MICROS_PER_HOUR + Math.rint(fraction * MICROS_PER_HOUR);
                case "day" -> {
                    resultDays += whole;
                    resultMicros += Math.rint(fraction * MICROS_PER_DAY);
                }
                case "week" -> {
                    resultDays += whole * 7;
                    double fractionDays = fraction * 7;
                    resultDays += (long) fractionDays;
                    resultMicros += Math.rint((fractionDays - (long) fractionDays) * MICROS_PER_DAY);
                }
                case "month" -> {
                    resultMonths += whole;
                    double fractionDays = fraction * DAYS_PER_MONTH;
                    resultDays += (long) fractionDays;
                    resultMicros += Math.rint((fractionDays - (long) fractionDays) * MICROS_PER_DAY);
                }
                case "year" -> resultMonths += whole * 12 + (long) (fraction * 12);
                case "decade" -> resultMonths += whole * 120 + (long) (fraction * 120);
                case "century" -> resultMonths += whole * 1200 + (long) (fraction * 1200);
                case "millennium" -> resultMonths += whole * 12000 + (long) (fraction * 12000);
                default -> throw invalid(input);
            }
        }
        if (resultMonths > Integer.MAX_VALUE || resultMonths < Integer.MIN_VALUE || resultDays > Integer.MAX_VALUE || resultDays < Integer.MIN_VALUE) {
            throw new QueryException("22015", "interval field value out of range: \"" + input + "\"", null, null);
        }
        checkTime(resultMicros);
        PgInterval parsed = new PgInterval((int) resultMonths, (int) resultDays, (long) resultMicros);
        return ago ? parsed.negate() : parsed;
    }

    private static String unitName(String unit, String input)
    {
        return switch (unit) {
            case "microsecond", "microseconds", "microsecon", "us", "usec", "usecs", "useconds" -> "microsecond";
            case "millisecond", "milliseconds", "ms", "msec", "msecs", "mseconds" -> "millisecond";
            case "second", "seconds", "s", "sec", "secs" -> "second";
            case "minute", "minutes", "m", "min", "mins" -> "minute";
            case "hour", "hours", "h", "hr", "hrs" -> "hour";
            case "day", "days", "d" -> "day";
            case "week", "weeks", "w" -> "week";
            case "month", "months", "mon", "mons" -> "month";
            case "year", "years", "y", "yr", "yrs" -> "year";
            case "decade", "decades", "dec", "decs" -> "decade";
            case "century", "centuries", "c", "cent" -> "century";
            case "millennium", "millennia", "millenniums", "mil", "mils" -> "millennium";
            default -> throw invalid(input);
        };
    }

    private static QueryException invalid(String input)
    {
        return new QueryException(SqlStates.INVALID_DATETIME_FORMAT, "invalid input syntax for type interval: \"" + input + "\"",
                "Write the interval with units, such as '1 year 2 months' or '3 days 04:05:06'.", null);
    }
}
