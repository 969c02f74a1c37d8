package dev.sekisho.gateway.pgwire.types;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Date and time values in PostgreSQL's text form ({@code DateStyle = ISO}) and binary form
 * (days or microseconds since 2000-01-01).
 */
final class PgDateTimes
{
    static final LocalDate POSTGRES_EPOCH_DATE = LocalDate.of(2000, 1, 1);
    static final LocalDateTime POSTGRES_EPOCH = POSTGRES_EPOCH_DATE.atStartOfDay();

    private PgDateTimes() {}

    static String formatDate(LocalDate date)
    {
        StringBuilder text = new StringBuilder(13);
        appendDate(text, date);
        appendEra(text, date.getYear());
        return text.toString();
    }

    static String formatTime(LocalTime time)
    {
        StringBuilder text = new StringBuilder(15);
        appendTime(text, time);
        return text.toString();
    }

    static String formatTimestamp(LocalDateTime timestamp)
    {
        StringBuilder text = new StringBuilder(26);
        appendDate(text, timestamp.toLocalDate());
        text.append(' ');
        appendTime(text, timestamp.toLocalTime());
        appendEra(text, timestamp.getYear());
        return text.toString();
    }

    static String formatTimestampWithTimeZone(OffsetDateTime timestamp)
    {
        StringBuilder text = new StringBuilder(32);
        appendDate(text, timestamp.toLocalDate());
        text.append(' ');
        appendTime(text, timestamp.toLocalTime());
        int seconds = timestamp.getOffset().getTotalSeconds();
        text.append(seconds < 0 ? '-' : '+');
        seconds = Math.abs(seconds);
        appendTwoDigits(text, seconds / 3600);
        if (seconds % 3600 != 0) {
            text.append(':');
            appendTwoDigits(text, seconds / 60 % 60);
            if (seconds % 60 != 0) {
                text.append(':');
                appendTwoDigits(text, seconds % 60);
            }
        }
        appendEra(text, timestamp.getYear());
        return text.toString();
    }

    static int toPostgresDays(LocalDate date)
    {
        return Math.toIntExact(ChronoUnit.DAYS.between(POSTGRES_EPOCH_DATE, date));
    }

    static LocalDate fromPostgresDays(int days)
    {
        return POSTGRES_EPOCH_DATE.plusDays(days);
    }

    static long toPostgresMicros(LocalDateTime timestamp)
    {
        return ChronoUnit.MICROS.between(POSTGRES_EPOCH, timestamp);
    }

    static LocalDateTime fromPostgresMicros(long micros)
    {
        return POSTGRES_EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    static long toPostgresMicros(OffsetDateTime timestamp)
    {
        return toPostgresMicros(timestamp.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    }

    private static void appendDate(StringBuilder text, LocalDate date)
    {
        int year = date.getYear();
        if (year <= 0) {
            year = 1 - year;
        }
        if (year < 1000) {
            text.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        text.append(year).append('-');
        appendTwoDigits(text, date.getMonthValue());
        text.append('-');
        appendTwoDigits(text, date.getDayOfMonth());
    }

    private static void appendTime(StringBuilder text, LocalTime time)
    {
        appendTwoDigits(text, time.getHour());
        text.append(':');
        appendTwoDigits(text, time.getMinute());
        text.append(':');
        appendTwoDigits(text, time.getSecond());
        int micros = time.getNano() / 1000;
        if (micros != 0) {
            String fraction = Integer.toString(1_000_000 + micros).substring(1);
            int end = fraction.length();
            while (fraction.charAt(end - 1) == '0') {
                end--;
            }
            text.append('.').append(fraction, 0, end);
        }
    }

    private static void appendEra(StringBuilder text, int year)
    {
        if (year <= 0) {
            text.append(" BC");
        }
    }

    private static void appendTwoDigits(StringBuilder text, int value)
    {
        if (value < 10) {
            text.append('0');
        }
        text.append(value);
    }
}
