package dev.sekisho.gateway.pgwire.message;

import dev.sekisho.planner.spi.SqlStates;

/**
 * The client broke the protocol (bad frame, bad length, malformed message). The connection gets a
 * FATAL ErrorResponse and is closed; other connections are not affected.
 */
public class PgProtocolException
        extends RuntimeException
{
    private final String sqlState;

    public PgProtocolException(String message)
    {
        this(SqlStates.PROTOCOL_VIOLATION, message);
    }

    public PgProtocolException(String sqlState, String message)
    {
        super(message);
        this.sqlState = sqlState;
    }

    public String sqlState()
    {
        return sqlState;
    }
}
