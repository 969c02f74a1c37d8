package dev.sekisho.gateway.session;

import dev.sekisho.gateway.sql.RedashAnnotation;
import dev.sekisho.gateway.sql.SessionStatement;
import dev.sekisho.gateway.sql.StatementKind;
import dev.sekisho.gateway.sql.StatementParser;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ReadOnlyStatements;
import dev.sekisho.planner.QueryPlanner;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.planner.statement.LiteralBoundQuery;
import dev.sekisho.planner.statement.NormalizedPlanning;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.sql.SqlStatement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The session's prepared statements by name: Parse reads and plans a statement (the planner for
 * queries; the gateway's own commands are parsed here, writes refused with 25006), and a
 * statement planned under another policy snapshot or search path is planned again before it runs.
 */
final class PreparedStatements
{
    private static final String DUPLICATE_PREPARED_STATEMENT = "42P05";

    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final QueryPlanner planner;
    private final Function<Optional<RedashAnnotation>, SessionContext> context;
    private final SessionSettings settings;
    private final TransactionEmulation transaction;
    private final Portals portals;
    /** The planner's door for statements normalised already; null when the planner has none (then every text is lexed). */
    private final NormalizedPlanning normalizedPlanner;
    private final ShapeMemo shapes = new ShapeMemo();

    /**
     * @param context what the planner is told about the session for a statement with this Redash
     *         annotation (it may name the end user), asked afresh for every plan
     */
    PreparedStatements(QueryPlanner planner, Function<Optional<RedashAnnotation>, SessionContext> context, SessionSettings settings, TransactionEmulation transaction, Portals portals)
    {
        this.planner = requireNonNull(planner, "planner is null");
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.transaction = requireNonNull(transaction, "transaction is null");
        this.portals = requireNonNull(portals, "portals is null");
        this.normalizedPlanner = planner instanceof NormalizedPlanning normalized ? normalized : null;
    }

    /**
     * Parses and plans a statement and keeps it under {@code name} (empty: the unnamed statement,
     * which each parse replaces).
     *
     * @param parameterTypes types the client declared for $1..$n; null entries where unspecified
     */
    void parse(String name, String sql, List<ColumnType> parameterTypes)
    {
        requireNonNull(sql, "sql is null");
        if (normalizedPlanner != null && parseRemembered(name, sql, parameterTypes)) {
            return;
        }
        List<SqlStatement> parts = StatementText.split(sql);
        if (parts.size() > 1) {
            throw new QueryException(SqlStates.SYNTAX_ERROR, "cannot insert multiple commands into a prepared statement",
                    "Send the statements one at a time, or as a simple query.", null);
        }
        PreparedStatement statement = parse(name, parts.isEmpty() ? new SqlStatement("", List.of()) : parts.get(0), parameterTypes);
        rememberShape(sql, statement, parameterTypes);
    }

    /**
     * The statement of a simple Query whose text {@code sql} holds only it, lexed already
     * ({@code lexed}): parsed as a Parse of {@code sql} would be, through the shape memo (so that
     * the next text of its shape is parsed without lexing, and may be checked without planning,
     * {@link #parsedWithoutPlanning}), but not lexed again when its shape is new.
     */
    void parseWhole(String name, String sql, SqlStatement lexed)
    {
        requireNonNull(sql, "sql is null");
        if (normalizedPlanner != null && parseRemembered(name, sql, List.of())) {
            return;
        }
        rememberShape(sql, parse(name, lexed, List.of()), List.of());
    }

    /** Remembers the shape of {@code sql}, planned as {@code statement}, when its literals were folded. */
    private void rememberShape(String sql, PreparedStatement statement, List<ColumnType> parameterTypes)
    {
        if (normalizedPlanner != null && sql.length() <= ShapeMemo.MAX_TEXT && statement.query().orElse(null) instanceof LiteralBoundQuery bound) {
            bound.normalized().flatMap(normalized -> StatementShape.of(sql, normalized, parameterTypes)).ifPresent(shapes::remember);
        }
    }

    /**
     * Parses a text of a shape this session saw last (the same statement with other literals and
     * another Redash annotation) without lexing and normalising it again; false when it is of no
     * remembered shape, or when the planner does not fold its literals this time.
     */
    private boolean parseRemembered(String name, String sql, List<ColumnType> parameterTypes)
    {
        Optional<StatementShape.Match> match = shapes.match(sql, parameterTypes);
        if (match.isEmpty()) {
            return false;
        }
        checkNameFree(name);
        transaction.checkNotFailed(StatementKind.QUERY);
        SessionContext now = context.apply(match.get().annotation());
        Optional<PreparedQuery> planned = normalizedPlanner.prepareNormalized(match.get().normalized(), parameterTypes, now);
        if (planned.isEmpty()) {
            return false;
        }
        PreparedQuery query = planned.get();
        PreparedStatement statement = new PreparedStatement(name, match.get().statement(), StatementKind.QUERY, Optional.of(query), Optional.empty(),
                query.parameterTypes(), Optional.of(query.columns()), Optional.of(now));
        statements.put(name, statement.withAnnotation(match.get().annotation(), match.get().clientSql()));
        return true;
    }

    /**
     * What {@link #parse(String, String, List)} would keep under {@code name} for {@code sql}, when
     * nothing needs to be planned, lexed or normalised for it: a text of a shape this session saw
     * last whose folded plan the planner holds ({@link NormalizedPlanning#plannedNormalized}).
     * Empty otherwise (and when the name is taken or the transaction failed), having changed
     * nothing; nothing is kept either way: {@link #keep} keeps what this returned. Never blocks.
     */
    Optional<PreparedStatement> parsedWithoutPlanning(String name, String sql, List<ColumnType> parameterTypes)
    {
        if (normalizedPlanner == null || (!name.isEmpty() && statements.containsKey(name)) || transaction.status() == TransactionStatus.FAILED) {
            return Optional.empty();
        }
        Optional<StatementShape.Match> match = shapes.match(sql, parameterTypes);
        if (match.isEmpty()) {
            return Optional.empty();
        }
        SessionContext now = context.apply(match.get().annotation());
        return normalizedPlanner.plannedNormalized(match.get().normalized(), parameterTypes, now)
                .map(query -> new PreparedStatement(name, match.get().statement(), StatementKind.QUERY, Optional.of(query), Optional.empty(),
                        query.parameterTypes(), Optional.of(query.columns()), Optional.of(now))
                        .withAnnotation(match.get().annotation(), match.get().clientSql()));
    }

    /** Keeps {@code statement}, as {@link #parsedWithoutPlanning} made it a moment ago, under its name: the Parse that was checked. */
    void keep(PreparedStatement statement)
    {
        checkNameFree(statement.name());
        transaction.checkNotFailed(statement.kind());
        statements.put(statement.name(), statement);
    }

    private void checkNameFree(String name)
    {
        if (!name.isEmpty() && statements.containsKey(name)) {
            throw new QueryException(DUPLICATE_PREPARED_STATEMENT, "prepared statement \"" + name + "\" already exists",
                    "Close it first, or choose another name.", null);
        }
    }

    /**
     * Parses and plans one statement, lexed already (a statement of a simple Query), and keeps it
     * under {@code name}.
     *
     * @param parameterTypes types the client declared for $1..$n; null entries where unspecified
     */
    PreparedStatement parse(String name, SqlStatement text, List<ColumnType> parameterTypes)
    {
        requireNonNull(name, "name is null");
        requireNonNull(text, "text is null");
        checkNameFree(name);
        // Redash's annotation names the end user and changes with every run: it is read here and never planned
        Optional<RedashAnnotation> annotation = StatementText.redashAnnotation(text);
        StatementParser.Parsed parsed = StatementText.parse(StatementText.withoutRedashAnnotation(text, annotation));
        StatementKind kind = parsed.kind();
        SqlStatement sql = parsed.statement();
        transaction.checkNotFailed(kind);
        PreparedStatement statement = switch (kind) {
            case EMPTY -> new PreparedStatement(name, sql, kind, Optional.empty(), Optional.empty(), parameterTypes, Optional.empty());
            case WRITE -> throw readOnly(sql);
            case QUERY, OTHER -> {
                SessionContext now = context.apply(annotation);
                PreparedQuery query = planner.prepare(sql, parameterTypes, now);
                yield new PreparedStatement(name, sql, kind, Optional.of(query), Optional.empty(), query.parameterTypes(), Optional.of(query.columns()),
                        Optional.of(now));
            }
            case EXPLAIN -> {
                SessionContext now = context.apply(annotation);
                ExplainStatement explain = ExplainStatement.parse(sql);
                // as written: EXPLAIN shows what this statement's own values decide (not a normalised plan's)
                PreparedQuery inner = planner.prepareAsWritten(explain.query().text(), parameterTypes, now);
                PreparedQuery query = new ExplainQuery(sql.text(), inner, explain.analyze(), ExplainQuery.mayReadPolicies(now));
                yield new PreparedStatement(name, sql, StatementKind.QUERY, Optional.of(query), Optional.empty(), query.parameterTypes(),
                        Optional.of(query.columns()), Optional.of(now));
            }
            case SHOW -> {
                SessionStatement.Show show = (SessionStatement.Show) parsed.command().orElseThrow();
                yield new PreparedStatement(name, sql, kind, Optional.empty(), Optional.of(show), parameterTypes,
                        Optional.of(SessionCommands.showColumns(settings, show)));
            }
            case DECLARE -> {
                SessionStatement.Declare declare = (SessionStatement.Declare) parsed.command().orElseThrow();
                if (StatementText.parse(declare.statement()).kind() != StatementKind.QUERY) {
                    throw new QueryException(SqlStates.SYNTAX_ERROR, "DECLARE CURSOR needs a query (SELECT, WITH, VALUES or TABLE)",
                            "Write DECLARE name CURSOR FOR SELECT ...", null);
                }
                SessionContext now = context.apply(annotation);
                PreparedQuery query = planner.prepare(declare.statement(), parameterTypes, now);
                yield new PreparedStatement(name, sql, kind, Optional.of(query), Optional.of(declare), query.parameterTypes(), Optional.empty(),
                        Optional.of(now));
            }
            case FETCH -> {
                SessionStatement.Fetch fetch = (SessionStatement.Fetch) parsed.command().orElseThrow();
                Portal cursor = portals.cursor(fetch.cursor());
                yield new PreparedStatement(name, sql, kind, Optional.empty(), Optional.of(fetch), parameterTypes, cursor.columns());
            }
            case CREATE_TEMP_TABLE -> {
                SessionStatement.CreateTempTable create = (SessionStatement.CreateTempTable) parsed.command().orElseThrow();
                if (!TableauTempTables.isProbe(create.name()) || create.asQuery()) {
                    throw readOnly(sql);
                }
                yield new PreparedStatement(name, sql, kind, Optional.empty(), Optional.of(create), parameterTypes, Optional.empty());
            }
            case DROP_TABLE -> {
                SessionStatement.DropTable drop = (SessionStatement.DropTable) parsed.command().orElseThrow();
                if (!drop.names().stream().allMatch(TableauTempTables::isProbe)) {
                    throw readOnly(sql);
                }
                yield new PreparedStatement(name, sql, kind, Optional.empty(), Optional.of(drop), parameterTypes, Optional.empty());
            }
            case SET, RESET, MOVE, CLOSE, DEALLOCATE, DISCARD -> new PreparedStatement(name, sql, kind, Optional.empty(),
                    parsed.command(), parameterTypes, Optional.empty());
            default -> new PreparedStatement(name, sql, kind, Optional.empty(), Optional.empty(), parameterTypes, Optional.empty());
        };
        PreparedStatement annotated = statement.withAnnotation(annotation, text.text());
        statements.put(name, annotated);
        return annotated;
    }

    /** The statement named {@code name} (Describe of a statement, Bind). */
    PreparedStatement get(String name)
    {
        PreparedStatement statement = statements.get(name);
        if (statement == null) {
            throw new QueryException(SqlStates.INVALID_SQL_STATEMENT_NAME, "prepared statement \"" + name + "\" does not exist");
        }
        return statement;
    }

    /**
     * The statement planned for this session as it is now. A plan made under another policy
     * snapshot (the policy was reloaded) or another search path is made again, so that a statement
     * prepared long ago by a connection pool never runs under an old policy. Like PostgreSQL, a new
     * plan whose result columns differ is refused rather than returned under the old description.
     */
    PreparedStatement current(PreparedStatement statement)
    {
        if (statement.plannedFor().isEmpty()) {
            return statement;
        }
        SessionContext now = context.apply(statement.annotation());
        if (samePlanningInput(statement.plannedFor().get(), now)) {
            return statement;
        }
        SqlStatement text = statement.command()
                .filter(SessionStatement.Declare.class::isInstance)
                .map(command -> ((SessionStatement.Declare) command).statement())
                .orElse(statement.statement());
        PreparedQuery query = planner.prepare(text, statement.parameterTypes(), now);
        if (statement.columns().isPresent() && !shape(statement.columns().get()).equals(shape(query.columns()))) {
            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "cached plan must not change result type",
                    "The policy or search_path changed since the statement was prepared; prepare it again.", null);
        }
        PreparedStatement replanned = new PreparedStatement(statement.name(), statement.statement(), statement.kind(), Optional.of(query), statement.command(),
                query.parameterTypes(), statement.columns(), Optional.of(now), statement.annotation(), statement.clientSql());
        statements.put(statement.name(), replanned);
        return replanned;
    }

    /**
     * Whether {@link #current} would return {@code statement} itself, without planning it again
     * (a check that never plans: for a front door's I/O thread).
     */
    boolean isCurrent(PreparedStatement statement)
    {
        return statement.plannedFor().isEmpty() || samePlanningInput(statement.plannedFor().get(), context.apply(statement.annotation()));
    }

    /** Close of a statement; closing one that does not exist is not an error. */
    void close(String name)
    {
        statements.remove(name);
    }

    /** DEALLOCATE name: unlike Close, an unknown name is an error. */
    void deallocate(String name)
    {
        if (name.isEmpty() || statements.remove(name) == null) {
            throw new QueryException(SqlStates.INVALID_SQL_STATEMENT_NAME, "prepared statement \"" + name + "\" does not exist");
        }
    }

    /** DEALLOCATE ALL, DISCARD ALL: every named statement (the unnamed one stays). */
    void deallocateAll()
    {
        statements.keySet().removeIf(key -> !key.isEmpty());
    }

    /** Forgets every statement (the session closes). */
    void clear()
    {
        statements.clear();
        shapes.clear();
    }

    /** 25006 for a statement that would change something: Sekisho only reads. */
    static QueryException readOnly(SqlStatement sql)
    {
        return ReadOnlyStatements.refusal(sql);
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
        Principal plannedFor = planned.policy().get().principal();
        Principal principal = now.policy().get().principal();
        return planned.policy().get().policies() == now.policy().get().policies() && (plannedFor == principal || plannedFor.equals(principal));
    }
}
