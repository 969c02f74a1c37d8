package dev.sekisho.gateway.session;

import dev.sekisho.gateway.sql.SessionStatement;
import dev.sekisho.gateway.sql.SqlLexer;
import dev.sekisho.gateway.sql.StatementKind;
import dev.sekisho.gateway.sql.StatementSplitter;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.QueryPlanner;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.Principal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * One client's session, independent of the wire protocol (the Postgres handler drives it now, an
 * Avatica front end later). The call order for a statement is
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
 * <p>Transactions are emulated (the sources stay autocommit), but what a client can observe
 * follows PostgreSQL: SETs are undone by ROLLBACK (and by an error in an implicit transaction),
 * SET LOCAL lasts until the end of the transaction, cursors without HOLD close at the end of their
 * transaction, and WITH HOLD cursors survive COMMIT (their rows keep streaming from the source;
 * nothing is materialised).
 */
public final class Session
        implements AutoCloseable
{
    private static final String IN_FAILED_TRANSACTION = "25P02";
    private static final String NO_ACTIVE_TRANSACTION = "25P01";
    private static final String ACTIVE_TRANSACTION = "25001";
    private static final String INVALID_SAVEPOINT = "3B001";
    private static final String DUPLICATE_PREPARED_STATEMENT = "42P05";
    private static final String DUPLICATE_CURSOR = "42P03";
    private static final String DUPLICATE_TABLE = "42P07";
    private static final String OBJECT_NOT_IN_PREREQUISITE_STATE = "55000";
    private static final String USER_CANCEL = "canceling statement due to user request";
    /** Tableau's temp-table probes; the gateway pretends to create these (and only these). */
    private static final String TABLEAU_TEMP_TABLE_PREFIX = "#tableau_";

    private final Principal principal;
    private final QueryPlanner planner;
    private final SessionSettings settings;
    private final Optional<String> database;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    private final Set<SessionExecutionContext> running = ConcurrentHashMap.newKeySet();
    private final List<Savepoint> savepoints = new ArrayList<>();
    /** Tableau probe tables: name to whether it was created in the transaction in progress. */
    private final Map<String, Boolean> tempTables = new LinkedHashMap<>();
    /** Settings made with SET LOCAL in the transaction in progress. */
    private final Set<String> localSettings = new LinkedHashSet<>();
    /** ParameterStatus to send before the next ReadyForQuery (settings a rollback put back). */
    private final Map<String, String> parameterChanges = new LinkedHashMap<>();
    private TransactionStatus transactionStatus = TransactionStatus.IDLE;
    /** The settings as they were when the transaction in progress first changed one; null if none did. */
    private SessionSettings.Snapshot transactionSettings;
    /** A statement failed in the implicit transaction (outside BEGIN) that the next Sync ends. */
    private boolean implicitTransactionFailed;
    /** The statements being run belong to one simple Query with several statements (an implicit block). */
    private boolean implicitTransactionBlock;
    private volatile boolean closed;

    // guarded by cancelLock: what a CancelRequest may cancel
    private final Object cancelLock = new Object();
    private boolean statementActive;
    private boolean cancelPending;
    private final SessionPolicies policies;
    private SessionExecutionContext activeContext;

    private record Savepoint(String name, SessionSettings.Snapshot settings) {}

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
        this.policies = requireNonNull(policies, "policies is null");
        this.principal = requireNonNull(principal, "principal is null");
        this.planner = requireNonNull(planner, "planner is null");
        this.database = requireNonNull(database, "database is null");
        this.settings = new SessionSettings(principal.name(), defaultSearchPath, settings);
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
        return transactionStatus;
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
        this.implicitTransactionBlock = implicitTransactionBlock;
    }

    /**
     * Parses and plans a statement and keeps it under {@code name} (empty: the unnamed statement,
     * which each parse replaces).
     *
     * @param parameterTypes types the client declared for $1..$n; null entries where unspecified
     */
    public void parse(String name, String sql, List<ColumnType> parameterTypes)
    {
        requireNonNull(name, "name is null");
        requireNonNull(sql, "sql is null");
        if (!name.isEmpty() && statements.containsKey(name)) {
            throw new QueryException(DUPLICATE_PREPARED_STATEMENT, "prepared statement \"" + name + "\" already exists",
                    "Close it first, or choose another name.", null);
        }
        List<String> parts = StatementSplitter.split(sql);
        if (parts.size() > 1) {
            throw new QueryException(SqlStates.SYNTAX_ERROR, "cannot insert multiple commands into a prepared statement",
                    "Send the statements one at a time, or as a simple query.", null);
        }
        String text = parts.isEmpty() ? "" : parts.get(0);
        StatementKind kind = StatementKind.classify(text);
        checkNotFailed(kind);
        PreparedStatement statement = switch (kind) {
            case EMPTY -> new PreparedStatement(name, sql, kind, Optional.empty(), Optional.empty(), parameterTypes, Optional.empty());
            case WRITE -> throw readOnly(text);
            case QUERY, OTHER -> {
                SessionContext context = context();
                PreparedQuery query = planner.prepare(text, parameterTypes, context);
                yield new PreparedStatement(name, sql, kind, Optional.of(query), Optional.empty(), query.parameterTypes(), Optional.of(query.columns()),
                        Optional.of(context));
            }
            case SHOW -> {
                SessionStatement.Show show = (SessionStatement.Show) SessionStatement.parse(text);
                yield new PreparedStatement(name, sql, kind, Optional.empty(), Optional.of(show), parameterTypes, Optional.of(showColumns(show)));
            }
            case DECLARE -> {
                SessionStatement.Declare declare = (SessionStatement.Declare) SessionStatement.parse(text);
                StatementKind inner = StatementKind.classify(declare.query());
                if (inner != StatementKind.QUERY) {
                    throw new QueryException(SqlStates.SYNTAX_ERROR, "DECLARE CURSOR needs a query (SELECT, WITH, VALUES or TABLE)",
                            "Write DECLARE name CURSOR FOR SELECT ...", null);
                }
                SessionContext context = context();
                PreparedQuery query = planner.prepare(declare.query(), parameterTypes, context);
                yield new PreparedStatement(name, sql, kind, Optional.of(query), Optional.of(declare), query.parameterTypes(), Optional.empty(),
                        Optional.of(context));
            }
            case FETCH -> {
                SessionStatement.Fetch fetch = (SessionStatement.Fetch) SessionStatement.parse(text);
                Portal cursor = cursor(fetch.cursor());
                yield new PreparedStatement(name, sql, kind, Optional.empty(), Optional.of(fetch), parameterTypes, cursor.columns());
            }
            case CREATE_TEMP_TABLE -> {
                SessionStatement.CreateTempTable create = (SessionStatement.CreateTempTable) SessionStatement.parse(text);
                if (!isTableauTempTable(create.name()) || create.asQuery()) {
                    throw readOnly(text);
                }
                yield new PreparedStatement(name, sql, kind, Optional.empty(), Optional.of(create), parameterTypes, Optional.empty());
            }
            case DROP_TABLE -> {
                SessionStatement.DropTable drop = (SessionStatement.DropTable) SessionStatement.parse(text);
                if (!drop.names().stream().allMatch(Session::isTableauTempTable)) {
                    throw readOnly(text);
                }
                yield new PreparedStatement(name, sql, kind, Optional.empty(), Optional.of(drop), parameterTypes, Optional.empty());
            }
            case SET, RESET, MOVE, CLOSE, DEALLOCATE, DISCARD -> new PreparedStatement(name, sql, kind, Optional.empty(),
                    Optional.of(SessionStatement.parse(text)), parameterTypes, Optional.empty());
            default -> new PreparedStatement(name, sql, kind, Optional.empty(), Optional.empty(), parameterTypes, Optional.empty());
        };
        statements.put(name, statement);
    }

    /** A statement's parameter types and result columns (Describe of a statement). */
    public PreparedStatement describeStatement(String name)
    {
        PreparedStatement statement = statements.get(name);
        if (statement == null) {
            throw new QueryException(SqlStates.INVALID_SQL_STATEMENT_NAME, "prepared statement \"" + name + "\" does not exist");
        }
        return statement;
    }

    /**
     * Makes a portal from a statement and its parameter values (Java values of the parameter
     * types); {@code portalName} empty is the unnamed portal, which each bind replaces.
     *
     * @param resultFormats the front end's output formats, kept with the portal
     */
    public Portal bind(String portalName, String statementName, List<Object> parameters, List<Integer> resultFormats)
    {
        PreparedStatement statement = current(describeStatement(statementName));
        checkNotFailed(statement.kind());
        if (!portalName.isEmpty() && portals.containsKey(portalName)) {
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
            Portal cursor = portals.get(((SessionStatement.Fetch) statement.command().orElseThrow()).cursor());
            if (cursor != null && !cursor.resultFormats().isEmpty()) {
                formats = cursor.resultFormats();
            }
        }
        Portal previous = portals.remove(portalName);
        if (previous != null) {
            closePortal(previous);
        }
        Portal portal = new Portal(portalName, statement, parameters, formats);
        portals.put(portalName, portal);
        return portal;
    }

    /**
     * The statement planned for this session as it is now. A plan made under another policy
     * snapshot (the policy was reloaded) or another search path is made again, so that a statement
     * prepared long ago by a connection pool never runs under an old policy. Like PostgreSQL, a new
     * plan whose result columns differ is refused rather than returned under the old description.
     */
    private PreparedStatement current(PreparedStatement statement)
    {
        if (statement.plannedFor().isEmpty()) {
            return statement;
        }
        SessionContext now = context();
        if (samePlanningInput(statement.plannedFor().get(), now)) {
            return statement;
        }
        String text = statement.command()
                .filter(SessionStatement.Declare.class::isInstance)
                .map(command -> ((SessionStatement.Declare) command).query())
                .orElseGet(() -> StatementSplitter.split(statement.sql()).get(0));
        PreparedQuery query = planner.prepare(text, statement.parameterTypes(), now);
        if (statement.columns().isPresent() && !shape(statement.columns().get()).equals(shape(query.columns()))) {
            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "cached plan must not change result type",
                    "The policy or search_path changed since the statement was prepared; prepare it again.", null);
        }
        PreparedStatement replanned = new PreparedStatement(statement.name(), statement.sql(), statement.kind(), Optional.of(query), statement.command(),
                query.parameterTypes(), statement.columns(), Optional.of(now));
        statements.put(statement.name(), replanned);
        return replanned;
    }

    /**
     * What a client decodes the columns by: names and type OIDs. Lengths and scales (typmods) may
     * change under another policy (a mask's result is no longer a varchar(200)); the values still
     * decode the same way.
     */
    private static List<List<Object>> shape(List<ResultColumn> columns)
    {
        return columns.stream().map(column -> List.<Object>of(column.name(), column.type().kind(), column.pgTypeOid())).toList();
    }

    private static boolean samePlanningInput(SessionContext planned, SessionContext now)
    {
        if (!planned.user().equals(now.user()) || !planned.searchPath().equals(now.searchPath())) {
            return false;
        }
        if (planned.policy().isEmpty() || now.policy().isEmpty()) {
            return planned.policy().isEmpty() && now.policy().isEmpty();
        }
        // the store hands out one snapshot object until a reload applies: identity is the cheap test
        return planned.policy().get().policies() == now.policy().get().policies()
                && planned.policy().get().principal().equals(now.policy().get().principal());
    }

    /** The portal named {@code name} (Describe of a portal). */
    public Portal portal(String name)
    {
        Portal portal = portals.get(name);
        if (portal == null) {
            throw new QueryException(SqlStates.INVALID_CURSOR_NAME, "portal \"" + name + "\" does not exist");
        }
        return portal;
    }

    /**
     * Runs a portal. For a command, does it and sets its tag; for rows, opens the stream (blocking
     * until the source answers) unless an earlier execute already did. Call from a worker thread.
     */
    public Portal execute(String portalName, int fetchSizeHint)
    {
        Portal portal = portal(portalName);
        checkNotFailed(portal.kind());
        if (portal.isStarted()) {
            activate(portal.context());
            return portal;
        }
        PreparedStatement statement = portal.statement();
        switch (statement.kind()) {
            case EMPTY -> portal.startCommand("");
            case QUERY, OTHER -> openRows(portal, fetchSizeHint > 0 ? fetchSizeHint : 1000);
            case SHOW -> portal.startRows(show((SessionStatement.Show) statement.command().orElseThrow()), null);
            case SET -> {
                SessionStatement.Set set = (SessionStatement.Set) statement.command().orElseThrow();
                if (set.local() && transactionStatus == TransactionStatus.IDLE && !implicitTransactionBlock) {
                    portal.notices().add(new Notice(NO_ACTIVE_TRANSACTION, "SET LOCAL can only be used in transaction blocks"));
                }
                else if (!set.name().isEmpty()) {
                    settingsChanging();
                    if (set.local()) {
                        localSettings.add(settings.canonicalName(set.name()));
                    }
                    else {
                        localSettings.remove(settings.canonicalName(set.name()));
                    }
                    portal.parameterChanges().putAll(settings.set(set.name(), set.values()));
                }
                portal.startCommand("SET");
            }
            case RESET -> {
                SessionStatement.Reset reset = (SessionStatement.Reset) statement.command().orElseThrow();
                settingsChanging();
                portal.parameterChanges().putAll(reset.name().map(settings::reset).orElseGet(settings::resetAll));
                portal.startCommand("RESET");
            }
            case DISCARD -> discard(portal, (SessionStatement.Discard) statement.command().orElseThrow());
            case DECLARE -> declare(portal);
            case FETCH, MOVE -> fetch(portal, (SessionStatement.Fetch) statement.command().orElseThrow());
            case CLOSE -> {
                Optional<String> name = ((SessionStatement.Close) statement.command().orElseThrow()).cursor();
                if (name.isPresent()) {
                    Portal cursor = cursor(name.get());
                    portals.remove(cursor.name());
                    closePortal(cursor);
                    portal.startCommand("CLOSE CURSOR");
                }
                else {
                    closeAllPortals(portal);
                    portal.startCommand("CLOSE CURSOR ALL");
                }
            }
            case DEALLOCATE -> {
                Optional<String> name = ((SessionStatement.Deallocate) statement.command().orElseThrow()).statement();
                if (name.isPresent()) {
                    if (name.get().isEmpty() || statements.remove(name.get()) == null) {
                        throw new QueryException(SqlStates.INVALID_SQL_STATEMENT_NAME, "prepared statement \"" + name.get() + "\" does not exist");
                    }
                    portal.startCommand("DEALLOCATE");
                }
                else {
                    statements.keySet().removeIf(key -> !key.isEmpty());
                    portal.startCommand("DEALLOCATE ALL");
                }
            }
            case CREATE_TEMP_TABLE -> {
                SessionStatement.CreateTempTable create = (SessionStatement.CreateTempTable) statement.command().orElseThrow();
                if (tempTables.containsKey(create.name())) {
                    if (!create.ifNotExists()) {
                        throw new QueryException(DUPLICATE_TABLE, "relation \"" + create.name() + "\" already exists");
                    }
                    portal.notices().add(new Notice(DUPLICATE_TABLE, "relation \"" + create.name() + "\" already exists, skipping"));
                }
                else {
                    tempTables.put(create.name(), true);
                }
                portal.startCommand("CREATE TABLE");
            }
            case DROP_TABLE -> {
                SessionStatement.DropTable drop = (SessionStatement.DropTable) statement.command().orElseThrow();
                for (String table : drop.names()) {
                    if (!tempTables.containsKey(table)) {
                        if (!drop.ifExists()) {
                            throw new QueryException(SqlStates.UNDEFINED_TABLE, "table \"" + table + "\" does not exist");
                        }
                        portal.notices().add(new Notice(SqlStates.SUCCESSFUL_COMPLETION, "table \"" + table + "\" does not exist, skipping"));
                    }
                }
                drop.names().forEach(tempTables::remove);
                portal.startCommand("DROP TABLE");
            }
            case BEGIN -> {
                if (transactionStatus == TransactionStatus.IDLE) {
                    transactionStatus = TransactionStatus.IN_BLOCK;
                }
                else {
                    portal.notices().add(new Notice(ACTIVE_TRANSACTION, "there is already a transaction in progress"));
                }
                portal.startCommand("BEGIN");
            }
            case COMMIT -> {
                boolean failed = transactionStatus == TransactionStatus.FAILED;
                if (transactionStatus == TransactionStatus.IDLE) {
                    portal.notices().add(new Notice(NO_ACTIVE_TRANSACTION, "there is no transaction in progress"));
                }
                portal.parameterChanges().putAll(endTransaction(!failed, portal));
                portal.startCommand(failed ? "ROLLBACK" : "COMMIT");
            }
            case ROLLBACK -> {
                if (transactionStatus == TransactionStatus.IDLE) {
                    portal.notices().add(new Notice(NO_ACTIVE_TRANSACTION, "there is no transaction in progress"));
                }
                portal.parameterChanges().putAll(endTransaction(false, portal));
                portal.startCommand("ROLLBACK");
            }
            case SAVEPOINT -> {
                requireTransactionBlock("SAVEPOINT");
                savepoints.add(new Savepoint(lastName(statement.sql()), settings.snapshot()));
                portal.startCommand("SAVEPOINT");
            }
            case RELEASE -> {
                requireTransactionBlock("RELEASE SAVEPOINT");
                int index = findSavepoint(lastName(statement.sql()));
                savepoints.subList(index, savepoints.size()).clear();
                portal.startCommand("RELEASE");
            }
            case ROLLBACK_TO -> {
                requireTransactionBlock("ROLLBACK TO SAVEPOINT");
                int index = findSavepoint(lastName(statement.sql()));
                savepoints.subList(index + 1, savepoints.size()).clear();
                portal.parameterChanges().putAll(settings.restore(savepoints.get(index).settings()));
                transactionStatus = TransactionStatus.IN_BLOCK;
                portal.startCommand("ROLLBACK");
            }
            case WRITE -> throw readOnly(statement.sql());
            default -> throw new IllegalStateException("unexpected statement kind " + statement.kind());
        }
        return portal;
    }

    /** Marks a portal's rows as all read; closes the portal's stream. */
    public void completed(Portal portal)
    {
        portal.markExhausted();
        if (portal.context() != null) {
            finish(portal.context());
        }
    }

    /**
     * The error to report for a failure while a portal's rows were read: when the statement was
     * cancelled, PostgreSQL's 57014 whatever the source said.
     */
    public Throwable translateFailure(Portal portal, Throwable failure)
    {
        SessionExecutionContext context = portal == null ? null : portal.context();
        return context == null ? failure : cancelled(context, failure);
    }

    /** Closes a statement (Close 'S'); closing one that does not exist is not an error. */
    public void closeStatement(String name)
    {
        statements.remove(name);
    }

    /** Closes a portal (Close 'P'); closing one that does not exist is not an error. */
    public void closePortal(String name)
    {
        Portal portal = portals.remove(name);
        if (portal != null) {
            closePortal(portal);
        }
    }

    /** Records that the current statement failed: a transaction block becomes failed. */
    public void fail()
    {
        if (transactionStatus == TransactionStatus.IN_BLOCK) {
            transactionStatus = TransactionStatus.FAILED;
        }
        else if (transactionStatus == TransactionStatus.IDLE) {
            implicitTransactionFailed = true;
        }
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
        if (transactionStatus == TransactionStatus.IDLE) {
            parameterChanges.putAll(endTransaction(!implicitTransactionFailed, null));
        }
        implicitTransactionFailed = false;
        return transactionStatus;
    }

    /** The reported settings that changed outside a statement's own result (send before ReadyForQuery); clears them. */
    public Map<String, String> takeParameterChanges()
    {
        Map<String, String> changes = new LinkedHashMap<>(parameterChanges);
        parameterChanges.clear();
        return changes;
    }

    /**
     * The front end starts a message that runs statements (Query, Execute): from now until
     * {@link #statementFinished()}, a CancelRequest cancels what runs.
     */
    public void statementStarted()
    {
        synchronized (cancelLock) {
            statementActive = true;
            cancelPending = false;
            activeContext = null;
        }
    }

    /** The message that {@link #statementStarted()} announced is done; later cancels do nothing. */
    public void statementFinished()
    {
        synchronized (cancelLock) {
            statementActive = false;
            cancelPending = false;
            activeContext = null;
        }
    }

    /**
     * Cancels the statement running now (CancelRequest): its source work is cancelled and the client
     * gets 57014. Does nothing when the session is idle, as in PostgreSQL. Safe from any thread.
     *
     * @return whether a statement was running
     */
    public boolean cancel()
    {
        SessionExecutionContext context;
        synchronized (cancelLock) {
            if (!statementActive) {
                return false;
            }
            context = activeContext;
            if (context == null) {
                // not at the source yet (planning, or between statements of one Query): cancel when it gets there
                cancelPending = true;
                return true;
            }
        }
        context.cancel(USER_CANCEL);
        return true;
    }

    /** Cancels everything this session has open at its sources (the connection went away); safe from any thread. */
    public void terminate()
    {
        for (SessionExecutionContext context : running) {
            context.cancel("terminating connection");
        }
    }

    /** Closes every portal (cancelling work at the sources) and forgets every statement. */
    @Override
    public void close()
    {
        closed = true;
        terminate();
        for (Portal portal : List.copyOf(portals.values())) {
            portals.remove(portal.name());
            closePortal(portal);
        }
        statements.clear();
        for (SessionExecutionContext context : List.copyOf(running)) {
            finish(context);
        }
    }

    private void openRows(Portal portal, int fetchSizeHint)
    {
        SessionExecutionContext context = new SessionExecutionContext(principal.name(), fetchSizeHint, settings::show)
                .describedAs(portal.statement().sql());
        running.add(context);
        try {
            activate(context);
            if (closed) {
                context.cancel("terminating connection");
            }
            portal.startRows(portal.statement().query().orElseThrow().execute(portal.parameters(), context), context);
        }
        catch (RuntimeException | Error e) {
            // whatever the plan opened before it failed goes back to its source now
            finish(context);
            throw unchecked(cancelled(context, e));
        }
    }

    /** Makes {@code context} what a CancelRequest cancels now. */
    private void activate(SessionExecutionContext context)
    {
        if (context == null) {
            return;
        }
        boolean cancelNow;
        synchronized (cancelLock) {
            if (!statementActive) {
                return;
            }
            activeContext = context;
            cancelNow = cancelPending;
            cancelPending = false;
        }
        if (cancelNow) {
            context.cancel(USER_CANCEL);
        }
    }

    /** {@code failure}, known to be a RuntimeException or an Error, to throw as it is. */
    private static RuntimeException unchecked(Throwable failure)
    {
        if (failure instanceof Error error) {
            throw error;
        }
        return (RuntimeException) failure;
    }

    private static <T extends Throwable> Throwable cancelled(SessionExecutionContext context, T failure)
    {
        if (!context.isCancelled() || failure instanceof QueryException query && query.sqlState().equals(SqlStates.QUERY_CANCELED)) {
            return failure;
        }
        return new QueryException(SqlStates.QUERY_CANCELED, context.cancelReason().orElse(USER_CANCEL), null, failure);
    }

    private void declare(Portal portal)
    {
        PreparedStatement statement = portal.statement();
        SessionStatement.Declare declare = (SessionStatement.Declare) statement.command().orElseThrow();
        if (!declare.hold() && transactionStatus == TransactionStatus.IDLE && !implicitTransactionBlock) {
            throw new QueryException(NO_ACTIVE_TRANSACTION, "DECLARE CURSOR can only be used in transaction blocks",
                    "Send BEGIN first, or declare the cursor WITH HOLD.", null);
        }
        if (portals.containsKey(declare.name())) {
            throw new QueryException(DUPLICATE_CURSOR, "cursor \"" + declare.name() + "\" already exists", "Close it first, or choose another name.", null);
        }
        PreparedQuery query = statement.query().orElseThrow();
        PreparedStatement rows = new PreparedStatement(declare.name(), declare.query(), StatementKind.QUERY, Optional.of(query), Optional.empty(),
                query.parameterTypes(), Optional.of(query.columns()));
        Portal cursor = new Portal(declare.name(), rows, portal.parameters(), declare.binary() ? List.of(1) : List.of());
        cursor.markCursor(declare.hold());
        portals.put(declare.name(), cursor);
        portal.startCommand("DECLARE CURSOR");
    }

    /** FETCH and MOVE: rows stream from the cursor's own stream, no more than asked for. */
    private void fetch(Portal portal, SessionStatement.Fetch fetch)
    {
        Portal cursor = cursor(fetch.cursor());
        long skip;
        long count;
        switch (fetch.direction()) {
            case FORWARD -> {
                skip = 0;
                count = fetch.count();
            }
            case ABSOLUTE, RELATIVE -> {
                long target = fetch.direction() == SessionStatement.Fetch.Direction.ABSOLUTE ? fetch.count() : cursor.position() + fetch.count();
                if (target <= cursor.position() || fetch.direction() == SessionStatement.Fetch.Direction.ABSOLUTE && fetch.count() <= 0) {
                    throw backward(cursor);
                }
                skip = target - cursor.position() - 1;
                count = 1;
            }
            default -> throw backward(cursor);
        }
        if (count == 0) {
            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "Sekisho cursors cannot fetch the current row again (FETCH 0, FETCH RELATIVE 0)",
                    "Fetch forward: FETCH n or FETCH NEXT.", null);
        }
        if (!cursor.isStarted()) {
            openRows(cursor, (int) Math.max(1, Math.min(count, 10_000)));
        }
        else {
            activate(cursor.context());
        }
        CursorRows rows = new CursorRows(cursor);
        long skipped = 0;
        while (skipped < skip && rows.next()) {
            skipped++;
        }
        if (fetch.move()) {
            long moved = 0;
            if (skipped == skip) {
                while (moved < count && rows.next()) {
                    moved++;
                }
            }
            // MOVE ABSOLUTE / RELATIVE report whether they landed on a row; MOVE n how many rows it passed
            portal.startCommand("MOVE " + (fetch.direction() == SessionStatement.Fetch.Direction.FORWARD ? moved : Math.min(moved, 1)));
            return;
        }
        portal.startRows(skipped == skip ? rows.limit(count) : rows.limit(0), null);
    }

    private QueryException backward(Portal cursor)
    {
        return new QueryException(OBJECT_NOT_IN_PREREQUISITE_STATE, "cursor can only scan forward",
                "Sekisho cursors read their rows once, from the source: fetch forward only (FETCH n, FETCH NEXT, FETCH ALL).", null);
    }

    /** The rows of a cursor seen through one FETCH: reading them advances the cursor. */
    private final class CursorRows
            implements ResultStream
    {
        private final Portal cursor;
        private long limit = Long.MAX_VALUE;
        private long returned;

        CursorRows(Portal cursor)
        {
            this.cursor = cursor;
        }

        CursorRows limit(long limit)
        {
            this.limit = limit;
            this.returned = 0;
            return this;
        }

        @Override
        public List<ColumnMetadata> columns()
        {
            return cursor.stream().columns();
        }

        @Override
        public boolean next()
        {
            if (returned >= limit || cursor.isExhausted() || cursor.isClosed()) {
                return false;
            }
            boolean more;
            try {
                more = cursor.stream().next();
            }
            catch (RuntimeException | Error e) {
                // as in PostgreSQL, a cursor whose execution failed cannot be used again
                Throwable failure = translateFailure(cursor, e);
                if (portals.get(cursor.name()) == cursor) {
                    portals.remove(cursor.name());
                }
                closePortal(cursor);
                throw unchecked(failure);
            }
            if (!more) {
                completed(cursor);
                return false;
            }
            returned++;
            cursor.advance();
            return true;
        }

        @Override
        public Object value(int column)
        {
            return cursor.stream().value(column);
        }

        @Override
        public void close()
        {
            // the cursor stays open until CLOSE or the end of its transaction
            limit = 0;
        }
    }

    private void discard(Portal portal, SessionStatement.Discard discard)
    {
        switch (discard.what()) {
            case "ALL" -> {
                if (transactionStatus != TransactionStatus.IDLE || implicitTransactionBlock) {
                    throw new QueryException(ACTIVE_TRANSACTION, "DISCARD ALL cannot run inside a transaction block");
                }
                closeAllPortals(portal);
                statements.keySet().removeIf(key -> !key.isEmpty());
                tempTables.clear();
                settingsChanging();
                portal.parameterChanges().putAll(settings.resetAll());
                portal.startCommand("DISCARD ALL");
            }
            case "TEMP" -> {
                tempTables.clear();
                portal.startCommand("DISCARD TEMP");
            }
            default -> portal.startCommand("DISCARD " + discard.what());
        }
    }

    /** Before a SET or RESET: remembers the settings as they were, so that a rollback can put them back. */
    private void settingsChanging()
    {
        if (transactionSettings == null) {
            transactionSettings = settings.snapshot();
        }
    }

    /**
     * Ends the transaction (explicit or implicit). Commit keeps WITH HOLD cursors and the temp tables;
     * rollback also drops the holdable cursors and temp tables made in this transaction and puts the
     * settings back. Every other portal closes, except {@code keep} (the statement ending it).
     *
     * @return the reported settings whose value changed
     */
    private Map<String, String> endTransaction(boolean commit, Portal keep)
    {
        Map<String, String> changes = new LinkedHashMap<>();
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
        if (commit) {
            tempTables.replaceAll((name, pending) -> false);
        }
        else {
            tempTables.values().removeIf(pending -> pending);
        }
        for (Portal portal : List.copyOf(portals.values())) {
            if (portal == keep) {
                continue;
            }
            if (portal.isHoldable() && (commit || !portal.isPending())) {
                portal.committed();
                continue;
            }
            portals.remove(portal.name());
            closePortal(portal);
        }
        transactionStatus = TransactionStatus.IDLE;
        return changes;
    }

    /** CLOSE ALL: every portal but {@code keep}. */
    private void closeAllPortals(Portal keep)
    {
        for (Portal portal : List.copyOf(portals.values())) {
            if (portal != keep) {
                portals.remove(portal.name());
                closePortal(portal);
            }
        }
    }

    private void closePortal(Portal portal)
    {
        try {
            portal.close();
        }
        finally {
            if (portal.context() != null) {
                finish(portal.context());
            }
        }
    }

    /** The statement of {@code context} ended: what it still holds at its sources is released. */
    private void finish(SessionExecutionContext context)
    {
        running.remove(context);
        context.finish();
    }

    private Portal cursor(String name)
    {
        Portal cursor = portals.get(name);
        if (cursor == null || name.isEmpty()) {
            throw new QueryException(SqlStates.INVALID_CURSOR_NAME, "cursor \"" + name + "\" does not exist");
        }
        return cursor;
    }

    private static boolean isTableauTempTable(String name)
    {
        return name.toLowerCase(Locale.ROOT).startsWith(TABLEAU_TEMP_TABLE_PREFIX);
    }

    private void checkNotFailed(StatementKind kind)
    {
        if (transactionStatus == TransactionStatus.FAILED && !kind.endsFailedTransaction()) {
            throw new QueryException(IN_FAILED_TRANSACTION, "current transaction is aborted, commands ignored until end of transaction block",
                    "Send ROLLBACK.", null);
        }
    }

    private void requireTransactionBlock(String command)
    {
        if (transactionStatus == TransactionStatus.IDLE) {
            throw new QueryException(NO_ACTIVE_TRANSACTION, command + " can only be used in transaction blocks");
        }
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

    private static String lastName(String sql)
    {
        List<SqlLexer.Token> tokens = SqlLexer.tokenize(sql);
        for (int i = tokens.size() - 1; i >= 0; i--) {
            SqlLexer.Token token = tokens.get(i);
            if (token.type() == SqlLexer.TokenType.WORD || token.type() == SqlLexer.TokenType.QUOTED_IDENTIFIER) {
                return token.name();
            }
        }
        throw new QueryException(SqlStates.SYNTAX_ERROR, "savepoint name missing in: " + sql.strip());
    }

    private List<ResultColumn> showColumns(SessionStatement.Show show)
    {
        if (show.name().equals("all")) {
            return List.of(ResultColumn.of("name", ColumnType.of(ColumnType.Kind.TEXT)), ResultColumn.of("setting", ColumnType.of(ColumnType.Kind.TEXT)),
                    ResultColumn.of("description", ColumnType.of(ColumnType.Kind.TEXT)));
        }
        if (settings.show(show.name()).isEmpty()) {
            throw unknownSetting(show.name());
        }
        return List.of(ResultColumn.of(settings.canonicalName(show.name()), ColumnType.of(ColumnType.Kind.TEXT)));
    }

    private ListResultStream show(SessionStatement.Show show)
    {
        ColumnType text = ColumnType.of(ColumnType.Kind.TEXT);
        if (show.name().equals("all")) {
            List<List<Object>> rows = new ArrayList<>();
            settings.all().forEach((name, value) -> rows.add(List.of(name, value, "")));
            return new ListResultStream(List.of(new ColumnMetadata("name", text, false, "text"), new ColumnMetadata("setting", text, false, "text"),
                    new ColumnMetadata("description", text, false, "text")), rows);
        }
        String value = settings.show(show.name()).orElseThrow(() -> unknownSetting(show.name()));
        return new ListResultStream(List.of(new ColumnMetadata(settings.canonicalName(show.name()), text, false, "text")), List.of(List.of(value)));
    }

    private static QueryException unknownSetting(String name)
    {
        return new QueryException(SqlStates.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + name + "\"");
    }

    private static QueryException readOnly(String sql)
    {
        String keyword = SqlLexer.tokenize(sql).stream().filter(token -> token.type() == SqlLexer.TokenType.WORD).findFirst()
                .map(token -> token.text().toUpperCase(java.util.Locale.ROOT)).orElse("this statement");
        return new QueryException(SqlStates.READ_ONLY_SQL_TRANSACTION, "Sekisho is read-only: cannot execute " + keyword,
                "Sekisho answers queries (SELECT, WITH, VALUES, SHOW); run changes directly against the source database.", null);
    }
}
