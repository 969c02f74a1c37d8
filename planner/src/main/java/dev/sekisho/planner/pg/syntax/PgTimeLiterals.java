package dev.sekisho.planner.pg.syntax;

import dev.sekisho.planner.spi.QueryException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a text literal cast to {@code time} as PostgreSQL reads it, before any source does: an
 * hour over 24, a minute over 59 or a second over 60 is PostgreSQL's 22008, where MySQL reads
 * {@code '25:00:00'} as a time of day past a day (which the driver then cannot read) and
 * {@code '12:61:00'} as 13:01. Only the {@code h:m[:s[.f]]} form is checked; others are left to
 * the source.
 */
final class PgTimeLiterals
{
    private static final Pattern HOURS_MINUTES_SECONDS = Pattern.compile("\\s*(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(\\.\\d+)?)?\\s*");

    private PgTimeLiterals() {}

    /** Raises 22008 if {@code text} is a time whose fields are out of range. */
    static void check(String text)
    {
        Matcher matcher = HOURS_MINUTES_SECONDS.matcher(text);
        if (!matcher.matches()) {
            return;
        }
        int hours = Integer.parseInt(matcher.group(1));
        int minutes = Integer.parseInt(matcher.group(2));
        int seconds = matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3));
        boolean fraction = matcher.group(4) != null && !matcher.group(4).matches("\\.0*");
        boolean pastMidnight = hours == 24 && (minutes > 0 || seconds > 0 || fraction);
        if (hours > 24 || pastMidnight || minutes > 59 || seconds > 60 || seconds == 60 && fraction) {
            throw new QueryException("22008", "date/time field value out of range: \"" + text + "\"",
                    "Write a time of day as HH:MM:SS, with hours 0 to 24 and minutes and seconds 0 to 59.", null);
        }
    }
}
