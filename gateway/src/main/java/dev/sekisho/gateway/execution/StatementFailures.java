package dev.sekisho.gateway.execution;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.DateTimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns whatever a statement threw into the error its client gets, for every front door. A
 * {@link QueryException} (anywhere in the chain of causes) is already written for the client. The
 * rest come from the engines and drivers below (Calcite's interpreter and generated code, a JDBC
 * driver): data errors keep PostgreSQL's SQLSTATE (division by zero 22012, a malformed number 22P02,
 * out of range 22003, a bad date 22007); what an engine cannot run is 0A000; anything else is a bug,
 * reported as XX000 with a reference that matches the stack trace in the server log (which the client
 * never sees). Never throws.
 */
public final class StatementFailures
{
    private static final Logger log = LoggerFactory.getLogger(StatementFailures.class);

    /** How the JDK names the original failure of a class initializer that failed before ("Exception java.lang.X: message [in thread ...]"). */
    private static final Pattern INITIALIZER_FAILURE = Pattern.compile("^Exception ([\\w.$]+)(?:: (.*?))?(?: \\[in thread .*])?$", Pattern.DOTALL);
    private static final Pattern NUMBER_INPUT = Pattern.compile("For input string: \"(.*)\"(?: under radix \\d+)?", Pattern.DOTALL);

    private StatementFailures() {}

    /** The client's error for {@code failure}. */
    public static QueryException toQueryException(Throwable failure)
    {
        Throwable cause = unwrap(failure);
        for (Throwable current = cause; current != null; current = current.getCause()) {
            if (current instanceof QueryException query) {
                return query;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        QueryException mapped = mapped(cause.getClass().getName(), cause.getMessage(), cause);
        if (mapped != null) {
            log.debug("Statement failed in an engine: {}", cause.toString());
            return mapped;
        }
        if (cause instanceof NoClassDefFoundError && cause.getCause() instanceof ExceptionInInitializerError initializer) {
            // generated code whose constants failed to compute once: the JDK keeps only the first failure's name and message
            Matcher matcher = INITIALIZER_FAILURE.matcher(String.valueOf(initializer.getMessage()));
            if (matcher.matches()) {
                mapped = mapped(matcher.group(1), matcher.group(2), cause);
                if (mapped != null) {
                    return mapped;
                }
            }
        }
        return internal(cause);
    }

    /**
     * Errors of the JVM itself that no statement can recover from (all but running out of memory
     * or stack): they end the connection rather than the statement, so they are thrown on as they are.
     */
    public static void rethrowIfFatal(Throwable failure)
    {
        if (failure instanceof VirtualMachineError error
                && !(failure instanceof OutOfMemoryError) && !(failure instanceof StackOverflowError)) {
            throw error;
        }
    }

    /** XX000 with a fresh reference; the stack trace goes to the log under that reference. */
    public static QueryException internal(Throwable cause)
    {
        String reference = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        log.error("Internal error, reference {}", reference, cause);
        return new QueryException(SqlStates.INTERNAL_ERROR, "internal error in Sekisho (reference " + reference + ")",
                "The gateway's log has the details under this reference.", cause);
    }

    private static QueryException mapped(String type, String message, Throwable cause)
    {
        String text = message == null ? "" : message;
        switch (type) {
            case "java.lang.ArithmeticException":
                if (text.contains("by zero") || text.contains("Division undefined") || text.contains("Division impossible")) {
                    return new QueryException(SqlStates.DIVISION_BY_ZERO, "division by zero", null, cause);
                }
                return new QueryException(SqlStates.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: " + text, null, cause);
            case "java.lang.IllegalArgumentException":
                if (text.contains("logarithm of zero or negative")) {
                    // Calcite's log of a value PostgreSQL rejects
                    return new QueryException("2201E", "cannot take logarithm of zero or a negative number", null, cause);
                }
                break;
            case "java.sql.SQLException":
                if (text.contains("for datetime string")) {
                    // Calcite's to_date / to_timestamp of a date that does not exist
                    return new QueryException("22008", "date/time field value out of range", "Check the date: the day must exist in its month.", cause);
                }
                break;
            case "java.util.regex.PatternSyntaxException":
                return new QueryException("2201B", "invalid regular expression: " + text.lines().findFirst().orElse(text),
                        "Check the pattern: parentheses and brackets must be balanced.", cause);
            case "java.lang.NumberFormatException": {
                Matcher input = NUMBER_INPUT.matcher(text);
                String value = input.find() ? input.group(1) : text;
                return new QueryException(SqlStates.INVALID_TEXT_REPRESENTATION, "invalid input syntax for a number: \"" + value + "\"",
                        "Check the value, or cast only text that holds a number.", cause);
            }
            case "java.time.format.DateTimeParseException":
                return new QueryException(SqlStates.INVALID_DATETIME_FORMAT, "invalid input syntax for a date or time: " + text, null, cause);
            case "java.lang.StackOverflowError":
                return new QueryException("54001", "stack depth limit exceeded: the statement is nested too deeply",
                        "Simplify the statement (fewer nested expressions or sub-queries).", cause);
            case "java.lang.OutOfMemoryError":
                return new QueryException("53200", "out of memory while running the statement",
                        "Add a filter or a LIMIT so that less data is held in the gateway.", cause);
            default:
                break;
        }
        if (cause instanceof DateTimeException) {
            return new QueryException("22008", "date/time value out of range: " + text, null, cause);
        }
        if (type.equals("java.lang.AssertionError") && text.startsWith("interpreter: no implementation for")) {
            // Calcite's interpreter names the relational operator it cannot run
            String operator = text.substring(text.lastIndexOf('.') + 1);
            return new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "Sekisho cannot run this statement yet: its plan needs " + operator
                    + ", which the gateway's engine does not implement", "Rewrite the statement without that construct.", cause);
        }
        if (text.startsWith("Unable to get aggregate implementation for aggregate ")) {
            String aggregate = text.substring("Unable to get aggregate implementation for aggregate ".length()).strip();
            return new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "aggregate " + aggregate.toLowerCase(java.util.Locale.ROOT)
                    + " is not supported by Sekisho yet in a statement the gateway runs itself", "Compute it another way, or ask for it to be supported.", cause);
        }
        return null;
    }

    private static Throwable unwrap(Throwable failure)
    {
        Throwable current = failure;
        for (int depth = 0; depth < 20 && current.getCause() != null; depth++) {
            boolean plainWrapper = current.getClass() == RuntimeException.class && String.valueOf(current.getCause()).equals(current.getMessage());
            if (current instanceof CompletionException || current instanceof ExecutionException || current instanceof InvocationTargetException
                    || current instanceof UndeclaredThrowableException || current instanceof ExceptionInInitializerError || plainWrapper
                    || current.getClass().getName().equals("com.google.common.util.concurrent.UncheckedExecutionException")) {
                current = current.getCause();
            }
            else {
                break;
            }
        }
        return current;
    }
}
