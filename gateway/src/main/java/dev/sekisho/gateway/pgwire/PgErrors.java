package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.pgwire.message.PgError;
import dev.sekisho.gateway.pgwire.message.PgProtocolException;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns exceptions into what the client may see. {@link QueryException}s carry a message written for
 * the client; anything else is a bug or an unexpected failure, reported as XX000 with a reference
 * that matches the stack trace in the server log (which the client never sees).
 */
public final class PgErrors
{
    private static final Logger log = LoggerFactory.getLogger(PgErrors.class);

    private PgErrors() {}

    public static PgError toError(Throwable failure)
    {
        Throwable cause = unwrap(failure);
        if (cause instanceof QueryException query) {
            return new PgError(PgError.Severity.ERROR, query.sqlState(), query.getMessage(), null, query.hint(), 0);
        }
        if (cause instanceof PgProtocolException protocol) {
            return PgError.fatal(protocol.sqlState(), protocol.getMessage());
        }
        String reference = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        log.error("Internal error, reference {}", reference, cause);
        return new PgError(PgError.Severity.ERROR, SqlStates.INTERNAL_ERROR, "internal error in Sekisho (reference " + reference + ")", null,
                "The gateway's log has the details under this reference.", 0);
    }

    private static Throwable unwrap(Throwable failure)
    {
        Throwable current = failure;
        while ((current instanceof java.util.concurrent.CompletionException || current instanceof java.util.concurrent.ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
