package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.execution.StatementFailures;
import dev.sekisho.gateway.pgwire.message.PgError;
import dev.sekisho.gateway.pgwire.message.PgProtocolException;
import dev.sekisho.planner.spi.QueryException;

/**
 * Turns exceptions into the ErrorResponse the client sees: a broken protocol message is FATAL (the
 * connection ends, as in PostgreSQL); anything a statement threw is an ERROR translated by
 * {@link StatementFailures}, after which the session goes on.
 */
public final class PgErrors
{
    private PgErrors() {}

    public static PgError toError(Throwable failure)
    {
        if (failure instanceof PgProtocolException protocol) {
            return PgError.fatal(protocol.sqlState(), protocol.getMessage());
        }
        QueryException query = StatementFailures.toQueryException(failure);
        return new PgError(PgError.Severity.ERROR, query.sqlState(), query.getMessage(), null, query.hint(), query.position());
    }
}
