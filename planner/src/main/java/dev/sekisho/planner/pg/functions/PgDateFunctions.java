package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's date/time functions that a source can compute too (unlike the catalog functions, a
 * plan calling them may still be pushed down): {@code date_trunc(unit, timestamp)} as
 * {@code pg_date_trunc}, whose MySQL form the MySQL dialect writes.
 */
@SuppressWarnings("MethodName")
public final class PgDateFunctions
{
    /** The name the rewritten {@code date_trunc} call has, in the plan and in the dialects. */
    public static final String DATE_TRUNC = "pg_date_trunc";

    /** The units {@code date_trunc} accepts, lower case; weeks start on Monday (ISO 8601). */
    public static final List<String> DATE_TRUNC_UNITS = List.of("year", "quarter", "month", "week", "day", "hour", "minute", "second");

    private PgDateFunctions() {}

    /** {@code date_trunc(unit, value)}: the value truncated to the start of its unit. */
    public static Timestamp pg_date_trunc(String unit, Timestamp value)
    {
        if (unit == null || value == null) {
            return null;
        }
        return Timestamp.valueOf(truncate(dateTruncUnit(unit), value.toLocalDateTime()));
    }

    /** {@code date + integer}: the date that many days later. */
    public static java.sql.Date pg_date_add_days(java.sql.Date date, Integer days)
    {
        if (date == null || days == null) {
            return null;
        }
        return java.sql.Date.valueOf(date.toLocalDate().plusDays(days));
    }

    /** {@code date - integer}: the date that many days earlier. */
    public static java.sql.Date pg_date_sub_days(java.sql.Date date, Integer days)
    {
        return days == null ? null : pg_date_add_days(date, -days);
    }

    /** {@code date - date}: the number of days from the second to the first. */
    public static Integer pg_date_diff_days(java.sql.Date end, java.sql.Date start)
    {
        if (end == null || start == null) {
            return null;
        }
        return Math.toIntExact(ChronoUnit.DAYS.between(start.toLocalDate(), end.toLocalDate()));
    }

    /** {@code timestamp - timestamp}: the interval between them in days and time ({@code 2 days 05:30:00}). */
    public static PgInterval pg_timestamp_diff(Timestamp end, Timestamp start)
    {
        if (end == null || start == null) {
            return null;
        }
        return PgInterval.between(end.toLocalDateTime(), start.toLocalDateTime());
    }

    /** The unit in lower case, or {@code 22023 unit "x" not recognized} as PostgreSQL answers. */
    public static String dateTruncUnit(String unit)
    {
        String lower = unit.strip().toLowerCase(Locale.ROOT);
        if (!DATE_TRUNC_UNITS.contains(lower)) {
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "unit \"" + unit + "\" not recognized",
                    "Use one of 'year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second' as a literal.", null);
        }
        return lower;
    }

    static LocalDateTime truncate(String unit, LocalDateTime value)
    {
        return switch (unit) {
            case "year" -> value.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
            case "quarter" -> value.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).withMonth((value.getMonthValue() - 1) / 3 * 3 + 1);
            case "month" -> value.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            case "week" -> value.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case "day" -> value.truncatedTo(ChronoUnit.DAYS);
            case "hour" -> value.truncatedTo(ChronoUnit.HOURS);
            case "minute" -> value.truncatedTo(ChronoUnit.MINUTES);
            case "second" -> value.truncatedTo(ChronoUnit.SECONDS);
            default -> throw new IllegalArgumentException("unit " + unit);
        };
    }
}
