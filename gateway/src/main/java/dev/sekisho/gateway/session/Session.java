package dev.sekisho.gateway.session;

import dev.sekisho.gateway.resultcache.ResultCache;
import dev.sekisho.gateway.sql.RedashAnnotation;
import dev.sekisho.gateway.sql.SessionStatement;
import dev.sekisho.gateway.sql.StatementKind;
import dev.sekisho.planner.QueryPlanner;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.sql.SqlStatement;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongConsumer;

import static java.util.Objects.requireNonNull;

/**
 * One client's session, independent of the wire protocol: the statement lifecycle that every front
 * door drives through {@code dev.sekisho.gateway.execution}. The call order for a statement is
 * {@code parse -> bind -> describe -> execute -> sync}:
 * <ul>
 *   <li>{@link #parse} plans the statement (the planner for queries; SET, SHOW, BEGIN ... are
 *       answered here; writes are refused with 25006);</li>
 *   <li>{@link #bind} makes a portal from a statement and parameter values;</li>
 *   <li>{@link #describeStatement} / {@link Portal#columns()} tell the result's shape;</li>
 *   <li>{@link #execute} runs the portal; rows are then read from {@link Portal#stream()} in as
 *       many steps as the front end likes;</li>
 *   <li>{@link #sync} ends an implicit transaction and returns the transaction status.</li>
 * </ul>
 * Errors are thrown as {@link QueryException}; the front end reports them and calls
 * {@link #fail()}. Not thread-safe, except {@link #cancel()} and {@link #terminate()}; every other
 * call comes from the connection's one task at a time.
 *
 * <p>The session is made of parts, one job each: {@link PreparedStatements} (parse, plan, re-plan),
 * {@link Portals} and {@link Cursors} (DECLARE, FETCH, MOVE, CLOSE), {@link TransactionEmulation}
 * (BEGIN, COMMIT, ROLLBACK, savepoints), {@link SessionCommands} (SET, RESET, SHOW, DISCARD,
 * DEALLOCATE, and {@code SHOW sekisho.replicas}), {@link TableauTempTables}, {@link StatementCancellation} and
 * {@link RunningStatements} (what statements hold at the sources). This class dispatches to them.
 *
 * <p>Transactions are emulated (the sources stay autocommit), but what a client can observe
 * follows PostgreSQL: SETs are undone by ROLLBACK (and by an error in an implicit transaction),
 * SET LOCAL lasts until the end of the transaction, cursors without HOLD close at the end of their
 * transaction, and WITH HOLD cursors survive COMMIT (their rows keep streaming from the source;
 * nothing is materialised).
 */
public final class Session
        implements AutoCloseable
{
    private static final String DUPLICATE_CURSOR = "42P03";
    /** The setting a trusted shared account names its end user with (Tableau's Initial SQL). */
    public static final String END_USER_SETTING = "sekisho.end_user";

    private final Principal principal;
    private final SessionSettings settings;
    private final Optional<String> database;
    private final SessionPolicies policies;
    private final StatementCancellation cancellation = new StatementCancellation();
    private final RunningStatements running;
    private final TransactionEmulation transaction;
    private final Portals portals;
    private final PreparedStatements statements;
    private final Cursors cursors;
    private final TableauTempTables tempTables = new TableauTempTables();
    private final SessionCommands commands;

    /**
     * @param principal the authenticated user
     * @param planner plans the statements the gateway does not answer itself
     * @param defaultSearchPath schemas for unqualified names while search_path is not SET
     * @param database the database the client asked for, if any
     * @param settings the client's initial settings (startup parameters other than user, database
     *         and options, plus the {@code -c name=value} pairs of options)
     */
    public Session(Principal principal, QueryPlanner planner, List<String> defaultSearchPath, Optional<String> database, Map<String, String> settings)
    {
        this(principal, planner, SessionPolicies.disabled(), defaultSearchPath, database, settings);
    }

    /**
     * @param policies which policy applies to each statement
     * @see #Session(Principal, QueryPlanner, List, Optional, Map)
     */
    public Session(Principal principal, QueryPlanner planner, SessionPolicies policies, List<String> defaultSearchPath, Optional<String> database,
            Map<String, String> settings)
    {
        this(principal, planner, policies, defaultSearchPath, database, settings, SessionLimits.NONE);
    }

    /**
     * @param limits what the admin allows this session: timeouts (defaults and maxima of the
     *         settings) and the result size of one statement
     * @see #Session(Principal, QueryPlanner, SessionPolicies, List, Optional, Map)
     */
    public Session(Principal principal, QueryPlanner planner, SessionPolicies policies, List<String> defaultSearchPath, Optional<String> database,
            Map<String, String> settings, SessionLimits limits)
    {
        this(principal, planner, policies, defaultSearchPath, database, settings, limits, Optional.empty());
    }

    /**
     * @param resultCache the gateway's result cache, for {@code SHOW sekisho.cache}; empty when none is configured
     * @see #Session(Principal, QueryPlanner, SessionPolicies, List, Optional, Map, SessionLimits)
     */
    public Session(Principal principal, QueryPlanner planner, SessionPolicies policies, List<String> defaultSearchPath, Optional<String> database,
            Map<String, String> settings, SessionLimits limits, Optional<ResultCache> resultCache)
    {
        this.policies = requireNonNull(policies, "policies is null");
        this.principal = requireNonNull(principal, "principal is null");
        requireNonNull(planner, "planner is null");
        this.database = requireNonNull(database, "database is null");
        this.settings = new SessionSettings(principal.name(), defaultSearchPath, settings, limits);
        this.running = new RunningStatements(principal.name(), this.settings, cancellation, limits);
        this.portals = new Portals(running);
        this.transaction = new TransactionEmulation(this.settings, (commit, keep) -> {
            tempTables.endTransaction(commit);
            portals.endTransaction(commit, keep);
        });
        this.statements = new PreparedStatements(planner, annotation -> policies.context(principalFor(annotation), this.settings.searchPath()), this.settings,
                transaction, portals);
        this.cursors = new Cursors(portals, running, transaction);
        this.commands = new SessionCommands(this.settings, transaction, statements, portals, tempTables, planner::servers,
                () -> policies.budget(principalFor(Optional.empty())), resultCache);
    }

    public Principal principal()
    {
        return principal;
    }

    public Optional<String> database()
    {
        return database;
    }

    public SessionSettings settings()
    {
        return settings;
    }

    public TransactionStatus transactionStatus()
    {
        return transaction.status();
    }

    /**
     * Who a statement with this Redash annotation runs for: the end user the annotation or
     * {@code SET sekisho.end_user} names when the policy trusts this account to name one, else
     * the authenticated user.
     */
    public Principal principalFor(Optional<RedashAnnotation> annotation)
    {
        Optional<String> endUser = annotation.map(RedashAnnotation::username);
        if (endUser.isEmpty()) {
            endUser = settings.show(END_USER_SETTING).filter(name -> !name.isBlank());
        }
        return policies.actingFor(principal, endUser);
    }

    /** What the planner is told about this session. */
    public SessionContext context()
    {
        return policies.context(principal, settings.searchPath());
    }

    /**
     * Tells the session that the statements about to run came in one simple Query with several
     * statements. PostgreSQL runs those in one implicit transaction block, where DECLARE without
     * HOLD and SET LOCAL are allowed.
     */
    public void setImplicitTransactionBlock(boolean implicitTransactionBlock)
    {
        transaction.setImplicitTransactionBlock(implicitTransactionBlock);
    }

    /**
     * Parses and plans a statement and keeps it under {@code name} (empty: the unnamed statement,
     * which each parse replaces).
     *
     * @param parameterTypes types the client declared for $1..$n; null entries where unspecified
     */
    public void parse(String name, String sql, List<ColumnType> parameterTypes)
    {
        statements.parse(name, sql, parameterTypes);
    }

    /**
     * The statement {@link #parse(String, String, List)} would keep, when no planning is needed for
     * it (see {@code PreparedStatements.parsedWithoutPlanning}); nothing is kept. Never blocks.
     */
    public Optional<PreparedStatement> parsedWithoutPlanning(String name, String sql, List<ColumnType> parameterTypes)
    {
        return statements.parsedWithoutPlanning(name, sql, parameterTypes);
    }

    /** Keeps {@code statement}, which {@link #parsedWithoutPlanning} returned, under its name: the Parse it was checked for. */
    public void parseChecked(PreparedStatement statement)
    {
        statements.keep(statement);
    }

    /** Parses and plans the one statement of a simple Query whose text {@code sql} holds only it, lexed already, through the shape memo. */
    public void parseWhole(String name, String sql, SqlStatement lexed)
    {
        statements.parseWhole(name, sql, lexed);
    }

    /** Parses and plans one statement of a simple Query, lexed already with the others. */
    public void parse(String name, SqlStatement statement, List<ColumnType> parameterTypes)
    {
        statements.parse(name, statement, parameterTypes);
    }

    /** A statement's parameter types and result columns (Describe of a statement). */
    public PreparedStatement describeStatement(String name)
    {
        return statements.get(name);
    }

    /**
     * Makes a portal from a statement and its parameter values (Java values of the parameter
     * types); {@code portalName} empty is the unnamed portal, which each bind replaces. A statement
     * planned under another policy or search path is planned again first.
     *
     * @param resultFormats the front end's output formats, kept with the portal
     */
    public Portal bind(String portalName, String statementName, List<Object> parameters, List<Integer> resultFormats)
    {
        return bind(portalName, statementName, statements.current(statements.get(statementName)), parameters, resultFormats);
    }

    /**
     * Whether {@code statement} is planned for the session as it is now (policy snapshot, user,
     * search_path): a Bind of it would not plan it again. Never plans (a front door's I/O thread may ask).
     */
    public boolean isCurrent(PreparedStatement statement)
    {
        return statements.isCurrent(statement);
    }

    /**
     * Like {@link #bind(String, String, List, List)}, for {@code statement} as
     * {@link #isCurrent} found it current a moment ago: it is not planned again (the Bind counts as
     * having happened when it was checked), so no planning runs on the calling thread.
     */
    public Portal bindChecked(String portalName, PreparedStatement statement, List<Object> parameters, List<Integer> resultFormats)
    {
        return bind(portalName, statement.name(), statement, parameters, resultFormats);
    }

    private Portal bind(String portalName, String statementName, PreparedStatement statement, List<Object> parameters, List<Integer> resultFormats)
    {
        transaction.checkNotFailed(statement.kind());
        if (!portalName.isEmpty() && portals.contains(portalName)) {
            throw new QueryException(DUPLICATE_CURSOR, "cursor \"" + portalName + "\" already exists", "Close it first, or choose another name.", null);
        }
        int expected = statement.parameterTypes().size();
        if (parameters.size() != expected) {
            throw new QueryException(SqlStates.PROTOCOL_VIOLATION, "bind message supplies " + parameters.size() + " parameters, but prepared statement \""
                    + statementName + "\" requires " + expected);
        }
        List<Integer> formats = resultFormats;
        if (statement.kind() == StatementKind.FETCH) {
            // FETCH from a BINARY cursor returns binary values, whatever the Bind asked for
            Portal cursor = portals.find(((SessionStatement.Fetch) statement.command().orElseThrow()).cursor());
            if (cursor != null && !cursor.resultFormats().isEmpty()) {
                formats = cursor.resultFormats();
            }
        }
        Portal portal = new Portal(portalName, statement, parameters, formats);
        portals.add(portal);
        return portal;
    }

    /** The portal named {@code name} (Describe of a portal). */
    public Portal portal(String name)
    {
        return portals.get(name);
    }

    /**
     * Runs a portal. For a command, does it and sets its tag; for rows, opens the stream (blocking
     * until the source answers) unless an earlier execute already did. Call from a worker thread.
     */
    public Portal execute(String portalName, int fetchSizeHint)
    {
        return execute(portalName, fetchSizeHint, OptionalLong.empty(), bytes -> {});
    }

    /**
     * Runs a portal, telling its sources the most bytes they may bill it for and where to report
     * what they billed (the cost guard's reservation).
     */
    public Portal execute(String portalName, int fetchSizeHint, OptionalLong maximumBytesBilled, LongConsumer billed)
    {
        return execute(portalName, fetchSizeHint, maximumBytesBilled, billed, false);
    }

    /**
     * Like {@link #execute(String, int, OptionalLong, LongConsumer)}, for a statement the cost guard
     * admitted as a result-cache hit without estimating it ({@code admittedAsCacheHit}).
     */
    public Portal execute(String portalName, int fetchSizeHint, OptionalLong maximumBytesBilled, LongConsumer billed, boolean admittedAsCacheHit)
    {
        return execute(portalName, fetchSizeHint, maximumBytesBilled, billed, admittedAsCacheHit, Optional.empty());
    }

    /**
     * Like {@link #execute(String, int, OptionalLong, LongConsumer, boolean)}, for a run whose source
     * statement was computed and checked against the result cache before it ({@code checkedFragment}):
     * the plan sends that statement rather than building it again when it is the one it would send.
     */
    public Portal execute(String portalName, int fetchSizeHint, OptionalLong maximumBytesBilled, LongConsumer billed, boolean admittedAsCacheHit,
            Optional<BackendQuery> checkedFragment)
    {
        return execute(portalName, fetchSizeHint, maximumBytesBilled, billed, admittedAsCacheHit, checkedFragment, Optional.empty());
    }

    /**
     * Like {@link #execute(String, int, OptionalLong, LongConsumer, boolean, Optional)}, for a run
     * whose checked source statement was answered already on a front door's I/O thread
     * ({@code arrivedRows}): the plan reads those rows instead of sending the statement.
     */
    public Portal execute(String portalName, int fetchSizeHint, OptionalLong maximumBytesBilled, LongConsumer billed, boolean admittedAsCacheHit,
            Optional<BackendQuery> checkedFragment, Optional<ResultStream> arrivedRows)
    {
        Portal portal = portals.get(portalName);
        transaction.checkNotFailed(portal.kind());
        if (portal.isStarted()) {
            running.resume(portal.context());
            return portal;
        }
        PreparedStatement statement = portal.statement();
        switch (statement.kind()) {
            case EMPTY -> portal.startCommand("");
            case QUERY, OTHER -> running.open(portal, fetchSizeHint > 0 ? fetchSizeHint : 1000, maximumBytesBilled, billed, admittedAsCacheHit, checkedFragment,
                    arrivedRows);
            case SHOW -> portal.startRows(commands.show(command(statement, SessionStatement.Show.class)), null);
            case SET -> commands.set(portal, command(statement, SessionStatement.Set.class));
            case RESET -> commands.reset(portal, command(statement, SessionStatement.Reset.class));
            case DISCARD -> commands.discard(portal, command(statement, SessionStatement.Discard.class));
            case DEALLOCATE -> commands.deallocate(portal, command(statement, SessionStatement.Deallocate.class));
            case DECLARE -> cursors.declare(portal);
            case FETCH, MOVE -> cursors.fetch(portal, command(statement, SessionStatement.Fetch.class));
            case CLOSE -> cursors.close(portal, command(statement, SessionStatement.Close.class));
            case CREATE_TEMP_TABLE -> tempTables.create(portal, command(statement, SessionStatement.CreateTempTable.class));
            case DROP_TABLE -> tempTables.drop(portal, command(statement, SessionStatement.DropTable.class));
            case BEGIN -> transaction.begin(portal);
            case COMMIT -> transaction.commit(portal);
            case ROLLBACK -> transaction.rollback(portal);
            case SAVEPOINT -> transaction.savepoint(portal);
            case RELEASE -> transaction.release(portal);
            case ROLLBACK_TO -> transaction.rollbackTo(portal);
            case WRITE -> throw PreparedStatements.readOnly(statement.statement());
            default -> throw new IllegalStateException("unexpected statement kind " + statement.kind());
        }
        return portal;
    }

    /** Marks a portal's rows as all read; closes the portal's stream. */
    public void completed(Portal portal)
    {
        portals.completed(portal);
    }

    /**
     * The error to report for a failure while a portal's rows were read: when the statement was
     * cancelled, PostgreSQL's 57014 whatever the source said.
     */
    public Throwable translateFailure(Portal portal, Throwable failure)
    {
        SessionExecutionContext context = portal == null ? null : portal.context();
        return context == null ? failure : StatementCancellation.cancelled(context, failure);
    }

    /**
     * Throws the error a cancelled statement reports (57014, for a CancelRequest or a statement
     * timeout) when the statement of {@code portal} was cancelled: its run sends rows read before
     * it started, which the cancel must stop as it stops rows read from the source.
     */
    public void checkNotCancelled(Portal portal)
    {
        SessionExecutionContext context = portal.context();
        if (context != null && context.isCancelled()) {
            throw new QueryException(SqlStates.QUERY_CANCELED, context.cancelReason().orElse(StatementCancellation.USER_CANCEL));
        }
    }

    /**
     * The rows of {@code portal} are read ahead now, while no message runs (null: no longer): a
     * cancel for a message that waits meanwhile cancels that read too.
     */
    public void readingAhead(Portal portal)
    {
        cancellation.readingAhead(portal == null ? null : portal.context());
    }

    /**
     * A statement of a message that waits ({@link #statementReceived()}, not started) is being run
     * at its source on a front door's I/O thread, under {@code context} (null: no longer): a
     * CancelRequest or statement timeout meanwhile cancels {@code context}, and stays pending for the
     * message, so that it fails with 57014 when it runs.
     */
    public void waitingForSource(SessionExecutionContext context)
    {
        cancellation.readingAhead(context);
    }

    /** The session's statement_timeout passed while its statement waited for its source on a front door's I/O thread (see {@link #waitingForSource}). */
    public void statementTimedOut()
    {
        cancellation.cancel(StatementCancellation.STATEMENT_TIMEOUT);
    }

    /** The session's statement_timeout now; zero for none. */
    public Duration statementTimeout()
    {
        return settings.statementTimeout();
    }

    /** Closes a statement (Close 'S'); closing one that does not exist is not an error. */
    public void closeStatement(String name)
    {
        statements.close(name);
    }

    /** Closes a portal (Close 'P'); closing one that does not exist is not an error. */
    public void closePortal(String name)
    {
        portals.close(name);
    }

    /** Records that the current statement failed: a transaction block becomes failed. */
    public void fail()
    {
        transaction.fail();
    }

    /**
     * Sync: outside a transaction block, ends the implicit transaction (portals are closed, as
     * PostgreSQL drops them at transaction end, except WITH HOLD cursors; after an error, SETs of
     * the implicit transaction are undone).
     *
     * @return the status for ReadyForQuery
     */
    public TransactionStatus sync()
    {
        return transaction.sync();
    }

    /** The reported settings that changed outside a statement's own result (send before ReadyForQuery); clears them. */
    public Map<String, String> takeParameterChanges()
    {
        return transaction.takeParameterChanges();
    }

    /** The front end received a message that runs statements and queued it: a CancelRequest from now on is kept for it. */
    public void statementReceived()
    {
        cancellation.statementReceived();
    }

    /** A message that {@link #statementReceived()} announced is dropped without running. */
    public void statementSkipped()
    {
        cancellation.statementSkipped();
    }

    /**
     * The front end starts a message that runs statements (Query, Execute): from now until
     * {@link #statementFinished()}, a CancelRequest cancels what runs.
     */
    public void statementStarted()
    {
        cancellation.statementStarted(settings.statementTimeout());
    }

    /** The message that {@link #statementStarted()} announced is done; later cancels do nothing. */
    public void statementFinished()
    {
        cancellation.statementFinished();
    }

    /**
     * Cancels the statement running now (CancelRequest): its source work is cancelled and the client
     * gets 57014. Does nothing when the session is idle, as in PostgreSQL. Safe from any thread.
     *
     * @return whether a statement was running
     */
    public boolean cancel()
    {
        return cancellation.cancel();
    }

    /** Cancels the statement of {@code portal} at its sources, saying why (a statement timeout); safe from any thread. */
    public void cancelStatement(Portal portal, String reason)
    {
        SessionExecutionContext context = portal.context();
        if (context != null) {
            context.cancel(reason);
        }
    }

    /**
     * How long the session may now wait for its client before it is closed: the
     * {@code idle_in_transaction_session_timeout} inside a transaction block, the
     * {@code idle_session_timeout} outside one; zero for no limit.
     */
    public Duration idleTimeout()
    {
        return transaction.status() == TransactionStatus.IDLE ? settings.idleSessionTimeout() : settings.idleInTransactionSessionTimeout();
    }

    /** Cancels everything this session has open at its sources (the connection went away); safe from any thread. */
    public void terminate()
    {
        running.terminate();
    }

    /** Whether a statement of the session holds something at its sources now; safe from any thread. */
    public boolean holdsSourceConnections()
    {
        return running.any();
    }

    /** Closes every portal (cancelling work at the sources) and forgets every statement. */
    @Override
    public void close()
    {
        running.closing();
        portals.closeAll(null);
        statements.clear();
        running.finishAll();
    }

    private static <T extends SessionStatement> T command(PreparedStatement statement, Class<T> type)
    {
        return type.cast(statement.command().orElseThrow());
    }
}
