package dev.sekisho.gateway.avatica;

import dev.sekisho.gateway.execution.StatementFailures;
import dev.sekisho.planner.spi.QueryException;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.Service.ErrorResponse;

/**
 * The error an Avatica client gets: the SQLSTATE and message the PostgreSQL door would send
 * (translated by {@link StatementFailures}), with the hint on a second line as pgjdbc prints it.
 * Avatica's error response also carries the server exception's stack trace; these errors have
 * none, so that nothing of the gateway's inside (nor a source's message) reaches the client.
 */
final class AvaticaErrors
{
    private AvaticaErrors() {}

    /** The client's error for whatever a statement or a request threw. */
    static AvaticaRuntimeException toClientError(Throwable failure)
    {
        if (failure instanceof ClientError error) {
            return error;
        }
        StatementFailures.rethrowIfFatal(failure);
        QueryException query = StatementFailures.toQueryException(failure);
        return error(query.sqlState(), query.getMessage(), query.hint());
    }

    /** An error with its SQLSTATE, message and optional hint (null: none). */
    static AvaticaRuntimeException error(String sqlState, String message, String hint)
    {
        String text = hint == null || hint.isEmpty() ? message : message + "\n  Hint: " + hint;
        return new ClientError(text, sqlState);
    }

    /** An error for the client, without a stack trace. */
    private static final class ClientError
            extends AvaticaRuntimeException
    {
        private static final long serialVersionUID = 1L;

        ClientError(String message, String sqlState)
        {
            super(message, ErrorResponse.UNKNOWN_ERROR_CODE, sqlState, AvaticaSeverity.ERROR);
        }

        @Override
        public synchronized Throwable fillInStackTrace()
        {
            return this;
        }
    }
}
