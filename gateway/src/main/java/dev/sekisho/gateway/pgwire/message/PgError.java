package dev.sekisho.gateway.pgwire.message;

import static java.util.Objects.requireNonNull;

/**
 * The fields of an ErrorResponse or NoticeResponse.
 *
 * @param severity ERROR, FATAL, WARNING, NOTICE, ...
 * @param sqlState the five-character SQLSTATE
 * @param message the primary message
 * @param detail optional detail, or null
 * @param hint optional hint, or null
 * @param position one-based character position in the statement, or 0
 */
public record PgError(Severity severity, String sqlState, String message, String detail, String hint, int position)
{
    /** Severities, with the (non-localized) text sent in both the S and V fields. */
    public enum Severity
    {
        ERROR, FATAL, PANIC, WARNING, NOTICE, DEBUG, INFO, LOG
    }

    public PgError
    {
        requireNonNull(severity, "severity is null");
        requireNonNull(sqlState, "sqlState is null");
        requireNonNull(message, "message is null");
    }

    public static PgError error(String sqlState, String message)
    {
        return new PgError(Severity.ERROR, sqlState, message, null, null, 0);
    }

    public static PgError fatal(String sqlState, String message)
    {
        return new PgError(Severity.FATAL, sqlState, message, null, null, 0);
    }

    public static PgError warning(String sqlState, String message)
    {
        return new PgError(Severity.WARNING, sqlState, message, null, null, 0);
    }
}
