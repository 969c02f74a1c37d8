package dev.sekisho.gateway.session;

import dev.sekisho.gateway.sql.StatementKind;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.sql.SqlStatement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Transactions as the client sees them, while the sources stay in autocommit: BEGIN, COMMIT,
 * ROLLBACK, SAVEPOINT, RELEASE and ROLLBACK TO, the implicit transaction that Sync ends, and the
 * failed state in which only the end of the block is accepted. What PostgreSQL undoes at the end of
 * a transaction is undone here: settings changed in it go back on rollback (and SET LOCAL ones
 * on commit too), and the session's other parts hear of the end ({@link TransactionEnd}).
 */
final class TransactionEmulation
{
    static final String NO_ACTIVE_TRANSACTION = "25P01";
    static final String ACTIVE_TRANSACTION = "25001";
    private static final String IN_FAILED_TRANSACTION = "25P02";
    private static final String INVALID_SAVEPOINT = "3B001";

    /** What else a transaction's end closes or keeps: cursors and temp tables. */
    @FunctionalInterface
    interface TransactionEnd
    {
        /** @param keep the portal ending the transaction (it stays open), or null at Sync */
        void ended(boolean commit, Portal keep);
    }

    private record Savepoint(String name, SessionSettings.Snapshot settings) {}

    private final SessionSettings settings;
    private final TransactionEnd end;
    private final List<Savepoint> savepoints = new ArrayList<>();
    /** Settings made with SET LOCAL in the transaction in progress. */
    private final Set<String> localSettings = new LinkedHashSet<>();
    /** ParameterStatus to send before the next ReadyForQuery (settings a rollback put back). */
    private final Map<String, String> parameterChanges = new LinkedHashMap<>();
    private TransactionStatus status = TransactionStatus.IDLE;
    /** The settings as they were when the transaction in progress first changed one; null if none did. */
    private SessionSettings.Snapshot transactionSettings;
    /** A statement failed in the implicit transaction (outside BEGIN) that the next Sync ends. */
    private boolean implicitTransactionFailed;
    /** The statements being run belong to one simple Query with several statements (an implicit block). */
    private boolean implicitTransactionBlock;

    TransactionEmulation(SessionSettings settings, TransactionEnd end)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.end = requireNonNull(end, "end is null");
    }

    TransactionStatus status()
    {
        return status;
    }

    void setImplicitTransactionBlock(boolean implicitTransactionBlock)
    {
        this.implicitTransactionBlock = implicitTransactionBlock;
    }

    /** Whether statements run in a transaction block: after BEGIN, or in a simple Query of several statements. */
    boolean inBlock()
    {
        return status != TransactionStatus.IDLE || implicitTransactionBlock;
    }

    /** In a failed transaction block only the statements that end it are accepted (25P02). */
    void checkNotFailed(StatementKind kind)
    {
        if (status == TransactionStatus.FAILED && !kind.endsFailedTransaction()) {
            throw new QueryException(IN_FAILED_TRANSACTION, "current transaction is aborted, commands ignored until end of transaction block",
                    "Send ROLLBACK.", null);
        }
    }

    /** Before a SET, RESET or DISCARD ALL: remembers the settings as they were, so that a rollback can put them back. */
    void settingsChanging()
    {
        if (transactionSettings == null) {
            transactionSettings = settings.snapshot();
        }
    }

    /** A SET of {@code name} (canonical): with LOCAL it lasts until the end of the transaction. */
    void settingChanging(String name, boolean local)
    {
        settingsChanging();
        if (local) {
            localSettings.add(name);
        }
        else {
            localSettings.remove(name);
        }
    }

    void begin(Portal portal)
    {
        if (status == TransactionStatus.IDLE) {
            status = TransactionStatus.IN_BLOCK;
        }
        else {
            portal.notices().add(new Notice(ACTIVE_TRANSACTION, "there is already a transaction in progress"));
        }
        portal.startCommand("BEGIN");
    }

    /** COMMIT; in a failed transaction it rolls back (and says so). */
    void commit(Portal portal)
    {
        boolean failed = status == TransactionStatus.FAILED;
        if (status == TransactionStatus.IDLE) {
            portal.notices().add(new Notice(NO_ACTIVE_TRANSACTION, "there is no transaction in progress"));
        }
        portal.parameterChanges().putAll(end(!failed, portal));
        portal.startCommand(failed ? "ROLLBACK" : "COMMIT");
    }

    void rollback(Portal portal)
    {
        if (status == TransactionStatus.IDLE) {
            portal.notices().add(new Notice(NO_ACTIVE_TRANSACTION, "there is no transaction in progress"));
        }
        portal.parameterChanges().putAll(end(false, portal));
        portal.startCommand("ROLLBACK");
    }

    void savepoint(Portal portal)
    {
        requireTransactionBlock("SAVEPOINT");
        savepoints.add(new Savepoint(savepointName(portal), settings.snapshot()));
        portal.startCommand("SAVEPOINT");
    }

    void release(Portal portal)
    {
        requireTransactionBlock("RELEASE SAVEPOINT");
        int index = findSavepoint(savepointName(portal));
        savepoints.subList(index, savepoints.size()).clear();
        portal.startCommand("RELEASE");
    }

    /** ROLLBACK TO: the settings go back to the savepoint's, and a failed block is usable again. */
    void rollbackTo(Portal portal)
    {
        requireTransactionBlock("ROLLBACK TO SAVEPOINT");
        int index = findSavepoint(savepointName(portal));
        savepoints.subList(index + 1, savepoints.size()).clear();
        portal.parameterChanges().putAll(settings.restore(savepoints.get(index).settings()));
        status = TransactionStatus.IN_BLOCK;
        portal.startCommand("ROLLBACK");
    }

    /** Records that the current statement failed: a transaction block becomes failed. */
    void fail()
    {
        if (status == TransactionStatus.IN_BLOCK) {
            status = TransactionStatus.FAILED;
        }
        else if (status == TransactionStatus.IDLE) {
            implicitTransactionFailed = true;
        }
    }

    /**
     * Sync: outside a transaction block, ends the implicit transaction (committed, unless a
     * statement in it failed).
     *
     * @return the status for ReadyForQuery
     */
    TransactionStatus sync()
    {
        if (status == TransactionStatus.IDLE) {
            parameterChanges.putAll(end(!implicitTransactionFailed, null));
        }
        implicitTransactionFailed = false;
        return status;
    }

    /** The reported settings that changed outside a statement's own result (send before ReadyForQuery); clears them. */
    Map<String, String> takeParameterChanges()
    {
        if (parameterChanges.isEmpty()) {
            // every Sync asks; a setting changes outside a statement's result only after a rollback
            return Map.of();
        }
        Map<String, String> changes = new LinkedHashMap<>(parameterChanges);
        parameterChanges.clear();
        return changes;
    }

    /**
     * Ends the transaction (explicit or implicit): a rollback puts the settings back, a commit only
     * those made with SET LOCAL; then the session's other parts hear of it.
     *
     * @return the reported settings whose value changed
     */
    private Map<String, String> end(boolean commit, Portal keep)
    {
        // nothing to put back (every implicit transaction without a SET): no map per statement
        Map<String, String> changes = transactionSettings == null ? Map.of() : new LinkedHashMap<>();
        if (transactionSettings != null) {
            if (!commit) {
                changes.putAll(settings.restore(transactionSettings));
            }
            else {
                for (String name : localSettings) {
                    changes.putAll(settings.restore(transactionSettings, name));
                }
            }
        }
        transactionSettings = null;
        localSettings.clear();
        savepoints.clear();
        end.ended(commit, keep);
        status = TransactionStatus.IDLE;
        return changes;
    }

    private void requireTransactionBlock(String command)
    {
        if (status == TransactionStatus.IDLE) {
            throw new QueryException(NO_ACTIVE_TRANSACTION, command + " can only be used in transaction blocks");
        }
    }

    private static String savepointName(Portal portal)
    {
        SqlStatement sql = portal.statement().statement();
        return StatementText.lastName(sql).orElseThrow(() -> new QueryException(SqlStates.SYNTAX_ERROR, "savepoint name missing in: " + sql.text()));
    }

    private int findSavepoint(String name)
    {
        for (int i = savepoints.size() - 1; i >= 0; i--) {
            if (savepoints.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new QueryException(INVALID_SAVEPOINT, "savepoint \"" + name + "\" does not exist");
    }
}
