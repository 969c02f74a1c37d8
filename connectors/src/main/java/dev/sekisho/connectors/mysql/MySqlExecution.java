package dev.sekisho.connectors.mysql;

import dev.sekisho.connectors.jdbc.JdbcResultStream;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * One statement running on a MySQL source's JDBC connection: its connection (given back once, or
 * aborted when rows stream and a cancel comes), its cancel hook, and its error mapping (a server
 * that went away is reported to the pool).
 */
final class MySqlExecution
        implements JdbcResultStream.Owner
{
    private final ReplicaPool pool;
    private final String source;
    private final ReplicaPool.Lease lease;
    private final ExecutionContext context;
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile Statement statement;
    private volatile boolean streaming;
    private volatile boolean serverLost;
    private ExecutionContext.Registration registration;

    private final ExecutionContext.Registration statementScope;

    /** @param source the source's name, for its errors */
    MySqlExecution(ReplicaPool pool, String source, ReplicaPool.Lease lease, ExecutionContext context)
    {
        this.pool = requireNonNull(pool, "pool is null");
        this.source = requireNonNull(source, "source is null");
        this.lease = lease;
        this.context = context;
        // if whoever reads the rows never closes the stream, the statement's end gives the connection back
        this.statementScope = context.closeWithStatement(this::abandon);
    }

    /** The statement ended while this execution still held its connection: abort it and give it back. */
    private void abandon()
    {
        if (!released.get()) {
            abortConnection();
            release();
        }
    }

    void start(Statement statement)
    {
        this.statement = statement;
        this.registration = context.onCancel(this::cancel);
    }

    void streaming()
    {
        streaming = true;
        if (context.isCancelled()) {
            // the cancel came while executeQuery returned; KILL QUERY may have missed it
            abortConnection();
        }
    }

    /**
     * Runs on the cancelling thread. While the statement executes, Connector/J's cancel sends
     * KILL QUERY over a new connection and the connection survives. Once rows stream,
     * Connector/J ignores cancel, so the connection is aborted: the server stops at its next write.
     */
    private void cancel()
    {
        Statement current = statement;
        if (!streaming && current != null) {
            try {
                current.cancel();
            }
            catch (SQLException ignored) {
                // fall through to the abort below
            }
        }
        if (streaming) {
            abortConnection();
        }
    }

    @Override
    public QueryException failure(SQLException e)
    {
        Optional<String> reason = context.isCancelled()
                ? Optional.of(context.cancelReason().orElse(MySqlErrors.USER_CANCEL_MESSAGE))
                : Optional.empty();
        if (reason.isEmpty() && !aborted.get() && MySqlErrors.isServerLost(e)) {
            // the server went away (not our cancel or abort): no statement should go there until its checks pass
            serverLost = true;
            pool.recordFailure(lease.server(), "lost the connection to it (" + ServerCheck.describe(e) + ")");
        }
        return MySqlErrors.toQueryException(e, source, lease.server(), reason);
    }

    /** The statement running, once {@link #start} was called; null before. */
    Statement statement()
    {
        return statement;
    }

    /** The server whose connection runs the statement. */
    String server()
    {
        return lease.server();
    }

    /** Whether the last failure was the server going away, rather than the statement or a cancel. */
    boolean serverLost()
    {
        return serverLost;
    }

    @Override
    public QueryException warningFailure(java.sql.SQLWarning warnings)
    {
        if (context.rowsHiddenByPolicy()) {
            // the warning may come from a row the policy hides: MySQL's value stands
            return null;
        }
        return MySqlErrors.fromWarnings(warnings).orElse(null);
    }

    @Override
    public QueryException cancellationOrNull()
    {
        return context.isCancelled() ? cancelled(context) : null;
    }

    @Override
    public void abortConnection()
    {
        if (aborted.compareAndSet(false, true)) {
            lease.abort();
        }
    }

    @Override
    public void release()
    {
        if (released.compareAndSet(false, true)) {
            try {
                if (registration != null) {
                    registration.close();
                }
                if (statementScope != null) {
                    // null only while the constructor registers with a statement that has ended already
                    statementScope.close();
                }
            }
            finally {
                lease.close();
            }
        }
    }

    /** The error of a statement cancelled (57014), with the cancel's reason. */
    static QueryException cancelled(ExecutionContext context)
    {
        return new QueryException(SqlStates.QUERY_CANCELED, context.cancelReason().orElse(MySqlErrors.USER_CANCEL_MESSAGE));
    }
}
