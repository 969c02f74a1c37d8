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
    private final int position;

    public QueryException(String sqlState, String message)
    {
        this(sqlState, message, null, null);
    }

    public QueryException(String sqlState, String message, String hint, Throwable cause)
    {
        this(sqlState, message, hint, 0, cause);
    }

    /**
     * @param position one-based character offset in the client's statement that the error refers to
     *         (PostgreSQL's ErrorResponse field {@code P}), or 0 for none
     */
    public QueryException(String sqlState, String message, String hint, int position, Throwable cause)
    {
        super(requireNonNull(message, "message is null"), cause);
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative: " + position);
        }
        this.position = position;
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

    /** One-based character offset in the client's statement the error refers to, or 0 for none. */
    public int position()
    {
        return position;
    }

    /** A copy of this exception that points at a one-based character offset of the statement. */
    public QueryException withPosition(int position)
    {
        return new QueryException(sqlState, getMessage(), hint, position, getCause());
    }
}
