package dev.sekisho.planner.spi;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL errors raised from SQL a source runs. Sources such as MySQL answer some inputs
 * PostgreSQL rejects (a negative substring length) with a value; the generated SQL guards them by
 * converting a marker text to a number, which the source reports as a warning quoting the text,
 * and the connector raises the marker's error. The marker holds only the SQLSTATE and a fixed
 * message the planner wrote, never a value of the statement.
 */
public final class RaisedErrors
{
    private static final String PREFIX = "sekisho-raise:";
    private static final Pattern MARKER = Pattern.compile(Pattern.quote(PREFIX) + "([0-9A-Z]{5}):([^']*)");

    private RaisedErrors() {}

    /** The marker text for an error with {@code sqlState} and {@code message} (no quotes in it). */
    public static String marker(String sqlState, String message)
    {
        if (!sqlState.matches("[0-9A-Z]{5}") || message.indexOf('\'') >= 0) {
            throw new IllegalArgumentException("not a marker's SQLSTATE and message: " + sqlState + " " + message);
        }
        return PREFIX + sqlState + ":" + message;
    }

    /** The error a source's warning or error text quotes a marker of, if it does. */
    public static Optional<QueryException> fromText(String text)
    {
        if (text == null) {
            return Optional.empty();
        }
        Matcher matcher = MARKER.matcher(text);
        if (!matcher.find()) {
            return Optional.empty();
        }
        return Optional.of(new QueryException(matcher.group(1), matcher.group(2)));
    }
}
