package dev.sekisho.planner.spi;

import static java.util.Objects.requireNonNull;

/**
 * A statement failed, with the PostgreSQL SQLSTATE that tells the client what kind of failure it
 * was. The message is written for the client: it says what happened and what to change, and never
 * carries secrets.
 */
public class QueryException
        extends RuntimeException
{
    private final String sqlState;
    private final String hint;

    public QueryException(String sqlState, String message)
    {
        this(sqlState, message, null, null);
    }

    public QueryException(String sqlState, String message, String hint, Throwable cause)
    {
        super(requireNonNull(message, "message is null"), cause);
        this.sqlState = requireNonNull(sqlState, "sqlState is null");
        if (sqlState.length() != 5) {
            throw new IllegalArgumentException("SQLSTATE must have 5 characters: " + sqlState);
        }
        this.hint = hint;
    }

    /** The five-character SQLSTATE, e.g. {@code 42P01}. */
    public String sqlState()
    {
        return sqlState;
    }

    /** What the client could do about it, or null. */
    public String hint()
    {
        return hint;
    }
}
