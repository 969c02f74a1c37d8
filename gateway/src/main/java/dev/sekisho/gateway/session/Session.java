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
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.Principal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 * {@link #fail()}. Not thread-safe, except {@link #cancel()}; every other call comes from the
 * connection's one task at a time.
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

    private final Principal principal;
    private final QueryPlanner planner;
    private final SessionSettings settings;
    private final Optional<String> database;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    private final Set<SessionExecutionContext> running = ConcurrentHashMap.newKeySet();
    private final List<String> savepoints = new ArrayList<>();
    private TransactionStatus transactionStatus = TransactionStatus.IDLE;
    private volatile boolean closed;

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
        return new SessionContext(principal.name(), settings.searchPath());
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
                PreparedQuery query = planner.prepare(text, parameterTypes, context());
                yield new PreparedStatement(name, sql, kind, Optional.of(query), Optional.empty(), query.parameterTypes(), Optional.of(query.columns()));
            }
            case SET, RESET -> new PreparedStatement(name, sql, kind, Optional.empty(), Optional.of(SessionStatement.parse(text)), parameterTypes,
                    Optional.empty());
            case SHOW -> {
                SessionStatement.Show show = (SessionStatement.Show) SessionStatement.parse(text);
                yield new PreparedStatement(name, sql, kind, Optional.empty(), Optional.of(show), parameterTypes, Optional.of(showColumns(show)));
            }
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
        PreparedStatement statement = describeStatement(statementName);
        checkNotFailed(statement.kind());
        if (!portalName.isEmpty() && portals.containsKey(portalName)) {
            throw new QueryException(DUPLICATE_CURSOR, "cursor \"" + portalName + "\" already exists", "Close it first, or choose another name.", null);
        }
        int expected = statement.parameterTypes().size();
        if (parameters.size() != expected) {
            throw new QueryException(SqlStates.PROTOCOL_VIOLATION, "bind message supplies " + parameters.size() + " parameters, but prepared statement \""
                    + statementName + "\" requires " + expected);
        }
        Portal previous = portals.remove(portalName);
        if (previous != null) {
            closePortal(previous);
        }
        Portal portal = new Portal(portalName, statement, parameters, resultFormats);
        portals.put(portalName, portal);
        return portal;
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
            return portal;
        }
        PreparedStatement statement = portal.statement();
        switch (statement.kind()) {
            case EMPTY -> portal.startCommand("");
            case QUERY, OTHER -> {
                SessionExecutionContext context = new SessionExecutionContext(principal.name(), fetchSizeHint > 0 ? fetchSizeHint : 1000);
                running.add(context);
                try {
                    if (closed) {
                        context.cancel("terminating connection");
                    }
                    portal.startRows(statement.query().orElseThrow().execute(portal.parameters(), context), context);
                }
                catch (RuntimeException e) {
                    running.remove(context);
                    throw e;
                }
            }
            case SHOW -> portal.startRows(show((SessionStatement.Show) statement.command().orElseThrow()), null);
            case SET -> {
                SessionStatement.Set set = (SessionStatement.Set) statement.command().orElseThrow();
                if (!set.name().isEmpty()) {
                    portal.parameterChanges().putAll(settings.set(set.name(), set.values()));
                }
                portal.startCommand("SET");
            }
            case RESET -> {
                SessionStatement.Reset reset = (SessionStatement.Reset) statement.command().orElseThrow();
                portal.parameterChanges().putAll(reset.name().map(settings::reset).orElseGet(settings::resetAll));
                portal.startCommand("RESET");
            }
            case DISCARD -> {
                portal.parameterChanges().putAll(settings.resetAll());
                portal.startCommand("DISCARD ALL");
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
                String tag = transactionStatus == TransactionStatus.FAILED ? "ROLLBACK" : "COMMIT";
                if (transactionStatus == TransactionStatus.IDLE) {
                    portal.notices().add(new Notice(NO_ACTIVE_TRANSACTION, "there is no transaction in progress"));
                }
                endTransaction(portal);
                portal.startCommand(tag);
            }
            case ROLLBACK -> {
                if (transactionStatus == TransactionStatus.IDLE) {
                    portal.notices().add(new Notice(NO_ACTIVE_TRANSACTION, "there is no transaction in progress"));
                }
                endTransaction(portal);
                portal.startCommand("ROLLBACK");
            }
            case SAVEPOINT -> {
                requireTransactionBlock("SAVEPOINT");
                savepoints.add(lastName(statement.sql()));
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
            running.remove(portal.context());
        }
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
    }

    /**
     * Sync: outside a transaction block, ends the implicit transaction (portals are closed, as
     * PostgreSQL drops them at transaction end).
     *
     * @return the status for ReadyForQuery
     */
    public TransactionStatus sync()
    {
        if (transactionStatus == TransactionStatus.IDLE) {
            closeAllPortals(null);
        }
        return transactionStatus;
    }

    /** Cancels whatever this session is running (CancelRequest); safe from any thread. */
    public void cancel()
    {
        for (SessionExecutionContext context : running) {
            context.cancel("canceling statement due to user request");
        }
    }

    /** Closes every portal (cancelling work at the sources) and forgets every statement. */
    @Override
    public void close()
    {
        closed = true;
        for (SessionExecutionContext context : running) {
            context.cancel("terminating connection");
        }
        closeAllPortals(null);
        statements.clear();
    }

    private void endTransaction(Portal keep)
    {
        transactionStatus = TransactionStatus.IDLE;
        savepoints.clear();
        closeAllPortals(keep);
    }

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
                running.remove(portal.context());
            }
        }
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
        int index = savepoints.lastIndexOf(name);
        if (index < 0) {
            throw new QueryException(INVALID_SAVEPOINT, "savepoint \"" + name + "\" does not exist");
        }
        return index;
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
