package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.pg.catalog.PgExecution;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code timestamp with time zone} as PostgreSQL computes it, in the gateway: the conversions
 * between it and {@code timestamp}, {@code date} and text, {@code AT TIME ZONE}, {@code date_trunc}
 * and {@code to_timestamp(epoch)}. A timestamptz is an instant; converting from or to a timestamp,
 * a date or text reads the wall clock of the session's {@code TimeZone} ({@link PgExecution#timeZone}),
 * which is why these run in the gateway (a source knows nothing of the session's zone).
 *
 * <p>Values are Calcite's internal forms: a timestamptz is milliseconds since the epoch, a
 * timestamp the milliseconds of its wall clock read as UTC, a date days since the epoch.
 */
@SuppressWarnings("MethodName")
public final class PgTimestampTz
{
    /** PostgreSQL's timestamptz input: a date, an optional time, and an optional zone (offset, abbreviation or name). */
    private static final Pattern INPUT = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?\\s*(.*)");
    /** PostgreSQL's datetime_field_overflow (SqlStates has no name for it yet). */
    private static final String DATETIME_FIELD_OVERFLOW = "22008";
    private static final Pattern OFFSET = Pattern.compile("([+-])(\\d{1,2})(?::?(\\d{2}))?(?::?(\\d{2}))?");

    private PgTimestampTz() {}

    /** {@code 'text'::timestamptz}: a value without a zone is read in the session's zone. */
    public static Long pg_timestamptz_in(String text)
    {
        if (text == null) {
            return null;
        }
        Matcher matcher = INPUT.matcher(text.strip());
        if (!matcher.matches()) {
            throw invalid(text);
        }
        LocalDateTime local;
        try {
            LocalDate date = LocalDate.of(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)));
            LocalTime time = LocalTime.MIDNIGHT;
            if (matcher.group(4) != null) {
                int nanos = matcher.group(7) == null ? 0 : Integer.parseInt((matcher.group(7) + "000000000").substring(0, 9));
                time = LocalTime.of(Integer.parseInt(matcher.group(4)), Integer.parseInt(matcher.group(5)),
                        matcher.group(6) == null ? 0 : Integer.parseInt(matcher.group(6)), nanos);
            }
            local = LocalDateTime.of(date, time);
        }
        catch (DateTimeException e) {
            throw new QueryException(DATETIME_FIELD_OVERFLOW, "date/time field value out of range: \"" + text + "\"", null, null);
        }
        String zoneText = matcher.group(8).strip();
        ZoneId zone;
        if (zoneText.isEmpty()) {
            zone = PgExecution.timeZone();
        }
        else {
            Matcher offset = OFFSET.matcher(zoneText);
            if (offset.matches()) {
                int seconds = Integer.parseInt(offset.group(2)) * 3600 + (offset.group(3) == null ? 0 : Integer.parseInt(offset.group(3)) * 60)
                        + (offset.group(4) == null ? 0 : Integer.parseInt(offset.group(4)));
                try {
                    zone = ZoneOffset.ofTotalSeconds(offset.group(1).equals("-") ? -seconds : seconds);
                }
                catch (DateTimeException e) {
                    throw invalid(text);
                }
            }
            else {
                try {
                    zone = PgTimeZones.parse(zoneText);
                }
                catch (QueryException e) {
                    throw invalid(text);
                }
            }
        }
        return local.atZone(zone).toInstant().toEpochMilli();
    }

    /** {@code timestamp::timestamptz}: the wall clock read in the session's zone. */
    public static Long pg_timestamptz_from_timestamp(Long wall)
    {
        return wall == null ? null : instant(wall, PgExecution.timeZone());
    }

    /** {@code date::timestamptz}: midnight in the session's zone. */
    public static Long pg_timestamptz_from_date(Integer days)
    {
        return days == null ? null : instant(days * 86_400_000L, PgExecution.timeZone());
    }

    /** {@code timestamptz::timestamp}: the session zone's wall clock at that instant. */
    public static Long pg_timestamptz_to_timestamp(Long instant)
    {
        return instant == null ? null : wall(instant, PgExecution.timeZone());
    }

    /** {@code timestamptz::date}: the session zone's date at that instant. */
    public static Integer pg_timestamptz_to_date(Long instant)
    {
        return instant == null ? null : (int) Math.floorDiv(wall(instant, PgExecution.timeZone()), 86_400_000L);
    }

    /** {@code timestamptz::text}, as PostgreSQL prints it in the session's zone ({@code 2024-01-01 21:00:00+09}). */
    public static String pg_timestamptz_to_text(Long instant)
    {
        if (instant == null) {
            return null;
        }
        ZoneId zone = PgExecution.timeZone();
        Instant at = Instant.ofEpochMilli(instant);
        LocalDateTime local = LocalDateTime.ofInstant(at, zone);
        StringBuilder text = new StringBuilder(wallText(local));
        int seconds = zone.getRules().getOffset(at).getTotalSeconds();
        text.append(seconds < 0 ? '-' : '+');
        seconds = Math.abs(seconds);
        text.append(String.format(java.util.Locale.ROOT, "%02d", seconds / 3600));
        if (seconds % 3600 != 0) {
            text.append(String.format(java.util.Locale.ROOT, ":%02d", seconds / 60 % 60));
            if (seconds % 60 != 0) {
                text.append(String.format(java.util.Locale.ROOT, ":%02d", seconds % 60));
            }
        }
        return text.toString();
    }

    /** {@code timestamp AT TIME ZONE zone}: the instant at which {@code zone}'s clock shows that wall time. */
    public static Long pg_timestamp_at_time_zone(Long wall, String zone)
    {
        return wall == null || zone == null ? null : instant(wall, PgTimeZones.parse(zone));
    }

    /** {@code timestamptz AT TIME ZONE zone}: the wall time {@code zone}'s clock shows at that instant. */
    public static Long pg_timestamptz_at_time_zone(Long instant, String zone)
    {
        return instant == null || zone == null ? null : wall(instant, PgTimeZones.parse(zone));
    }

    /** {@code date_trunc(unit, timestamptz)}: truncated on the session zone's clock. */
    public static Long pg_timestamptz_trunc(String unit, Long instant)
    {
        if (unit == null || instant == null) {
            return null;
        }
        ZoneId zone = PgExecution.timeZone();
        LocalDateTime local = LocalDateTime.ofInstant(Instant.ofEpochMilli(instant), zone);
        return PgDateFunctions.truncate(PgDateFunctions.dateTruncUnit(unit), local).atZone(zone).toInstant().toEpochMilli();
    }

    /** {@code to_timestamp(double precision)}: seconds since 1970-01-01 00:00 UTC. */
    public static Long pg_to_timestamp_epoch(Double seconds)
    {
        if (seconds == null) {
            return null;
        }
        if (seconds.isNaN() || seconds.isInfinite() || Math.abs(seconds) > 9.2e12) {
            throw new QueryException(DATETIME_FIELD_OVERFLOW, "timestamp out of range: \"" + seconds + "\"", null, null);
        }
        return Math.round(seconds * 1000);
    }

    /** A wall time as PostgreSQL prints a timestamp: seconds always, fractions only when not zero, without trailing zeros. */
    private static String wallText(LocalDateTime local)
    {
        String text = String.format(java.util.Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d", local.getYear(), local.getMonthValue(), local.getDayOfMonth(),
                local.getHour(), local.getMinute(), local.getSecond());
        int micros = local.getNano() / 1000;
        if (micros == 0) {
            return text;
        }
        return text + ("." + String.format(java.util.Locale.ROOT, "%06d", micros)).replaceAll("0+$", "");
    }

    private static long instant(long wall, ZoneId zone)
    {
        LocalDateTime local = LocalDateTime.ofEpochSecond(Math.floorDiv(wall, 1000L), (int) Math.floorMod(wall, 1000L) * 1_000_000, ZoneOffset.UTC);
        return local.atZone(zone).toInstant().toEpochMilli();
    }

    private static long wall(long instant, ZoneId zone)
    {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(instant), zone).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static QueryException invalid(String text)
    {
        return new QueryException(SqlStates.INVALID_DATETIME_FORMAT, "invalid input syntax for type timestamp with time zone: \"" + text + "\"",
                null, null);
    }
}
