package dev.sekisho.gateway.guard;

import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.gateway.ledger.Ledger;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import static java.util.Objects.requireNonNull;

/**
 * The ledger, opened the first time a statement spends an allowance: a gateway whose policies
 * have no allowances never creates or connects to it. A ledger that cannot be opened refuses the
 * statements that need it (fail closed) and is tried again by the next one.
 */
public final class LazyLedger
        implements AutoCloseable
{
    private final SekishoConfig.LedgerDatabase database;
    private Ledger ledger;
    private boolean closed;

    public LazyLedger(SekishoConfig.LedgerDatabase database)
    {
        this.database = requireNonNull(database, "database is null");
    }

    /** The open ledger. */
    public synchronized Ledger get()
    {
        if (closed) {
            throw new IllegalStateException("the gateway is stopping");
        }
        if (ledger == null) {
            try {
                ledger = Ledger.open(database.url(), database.user(), database.password());
            }
            catch (RuntimeException e) {
                throw new QueryException(SqlStates.CONNECTION_FAILURE, "the budget ledger cannot be opened: " + e.getMessage(),
                        "Statements that spend a budget are refused until it opens; ask an admin to check policies.ledger in sekisho.yaml.", e);
            }
        }
        return ledger;
    }

    @Override
    public synchronized void close()
    {
        closed = true;
        if (ledger != null) {
            ledger.close();
        }
    }
}
