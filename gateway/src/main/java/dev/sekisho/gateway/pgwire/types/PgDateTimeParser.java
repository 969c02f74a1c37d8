package dev.sekisho.gateway.pgwire.types;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the ISO forms of dates, times and timestamps that clients send as text parameters
 * ({@code 2024-01-31}, {@code 13:45:00.123}, {@code 2024-01-31 13:45:00.123456+09},
 * {@code 2024-01-31T13:45:00Z}); a trailing {@code BC} marks years before year 1.
 */
final class PgDateTimeParser
{
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4,})-(\\d{1,2})-(\\d{1,2})"
                    + "(?:[ T]+(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?"
                    + "\\s*(Z|UTC|GMT|[+-]\\d{1,2}(?::?\\d{2}(?::?\\d{2})?)?)?"
                    + "(\\s+BC)?");
    private static final Pattern TIME = Pattern.compile(
            "(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?\\s*(Z|UTC|GMT|[+-]\\d{1,2}(?::?\\d{2}(?::?\\d{2})?)?)?");

    private PgDateTimeParser() {}

    static LocalDate parseDate(String text)
    {
        Matcher matcher = matchDateTime(text);
        return date(matcher);
    }

    static LocalTime parseTime(String text)
    {
        Matcher matcher = TIME.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(text);
        }
        return time(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4));
    }

    static LocalDateTime parseTimestamp(String text)
    {
        Matcher matcher = matchDateTime(text);
        return LocalDateTime.of(date(matcher), time(matcher.group(4), matcher.group(5), matcher.group(6), matcher.group(7)));
    }

    static OffsetDateTime parseTimestampWithTimeZone(String text, ZoneId zone)
    {
        Matcher matcher = matchDateTime(text);
        LocalDateTime local = LocalDateTime.of(date(matcher), time(matcher.group(4), matcher.group(5), matcher.group(6), matcher.group(7)));
        String offset = matcher.group(8);
        if (offset == null) {
            return local.atZone(zone).toOffsetDateTime();
        }
        return local.atOffset(offset(offset));
    }

    private static Matcher matchDateTime(String text)
    {
        Matcher matcher = DATE_TIME.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(text);
        }
        return matcher;
    }

    private static LocalDate date(Matcher matcher)
    {
        int year = Integer.parseInt(matcher.group(1));
        if (matcher.group(9) != null) {
            year = 1 - year;
        }
        return LocalDate.of(year, Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)));
    }

    private static LocalTime time(String hour, String minute, String second, String fraction)
    {
        if (hour == null) {
            return LocalTime.MIDNIGHT;
        }
        int nanos = 0;
        if (fraction != null) {
            nanos = Integer.parseInt((fraction + "000000000").substring(0, 9));
        }
        return LocalTime.of(Integer.parseInt(hour), Integer.parseInt(minute), second == null ? 0 : Integer.parseInt(second), nanos);
    }

    private static ZoneOffset offset(String text)
    {
        if (text.equals("Z") || text.equals("UTC") || text.equals("GMT")) {
            return ZoneOffset.UTC;
        }
        int sign = text.charAt(0) == '-' ? -1 : 1;
        String digits = text.substring(1).replace(":", "");
        int hours;
        int minutes = 0;
        int seconds = 0;
        if (digits.length() <= 2) {
            hours = Integer.parseInt(digits);
        }
        else {
            int hourDigits = digits.length() % 2 == 1 ? 1 : 2;
            hours = Integer.parseInt(digits.substring(0, hourDigits));
            minutes = Integer.parseInt(digits.substring(hourDigits, hourDigits + 2));
            if (digits.length() > hourDigits + 2) {
                seconds = Integer.parseInt(digits.substring(hourDigits + 2, hourDigits + 4));
            }
        }
        return ZoneOffset.ofHoursMinutesSeconds(sign * hours, sign * minutes, sign * seconds);
    }
}
