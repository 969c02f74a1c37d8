package dev.sekisho.planner.plan;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sekisho.planner.PlanCacheStats;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.QueryPlanner;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.catalog.Catalog;
import dev.sekisho.planner.catalog.ReplicatedTable;
import dev.sekisho.planner.pg.catalog.Descriptions;
import dev.sekisho.planner.policy.SecuredPlanner;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.statement.LiteralBoundQuery;
import dev.sekisho.planner.statement.NormalizedPlanning;
import dev.sekisho.planner.statement.NormalizedStatement;
import dev.sekisho.planner.statement.StatementNormalizer;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.SqlToken;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ServerStatus;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * The Calcite-based {@link QueryPlanner}: a federated catalog built from the connectors' metadata,
 * PostgreSQL-flavoured parsing and validation, full pushdown of single-source statements, local
 * execution of the rest, and a bounded plan cache. Thread-safe.
 *
 * <p>The constructor reads each connector's schema list (it may block on the network).
 */
public final class CalciteQueryPlanner
        implements QueryPlanner, NormalizedPlanning
{
    private final List<Connector> connectors;
    private final Cache<PlanKey, PreparedQuery> plans;
    /** Normalised statements whose folded form does not plan, or does not run whole at one source. */
    private final Cache<PlanKey, Boolean> unfoldable;
    private final boolean cachePlans;
    private final boolean normalizeStatements;
    private final SecuredPlanner securedPlanner;
    private final AtomicLong versions = new AtomicLong();
    private final AtomicLong planCount = new AtomicLong();
    /** Plan-cache lookups: each is a hit or a plan made ({@link #planCount}). */
    private final AtomicLong planLookups = new AtomicLong();
    private volatile Catalog catalog;
    private final long localJoinMaxRows;
    private final List<ReplicatedTable> replicatedTables;
    /** The data dictionary; replaced whole when it is reloaded. */
    private volatile Descriptions descriptions = Descriptions.NONE;
    private volatile long catalogBuiltNanos = System.nanoTime();

    /** How often a catalog missing a source that was down is built again. */
    private static final long UNANSWERED_RETRY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    /**
     * @throws IllegalArgumentException if two connectors expose the same schema name
     */
    /**
     * Replaces the data dictionary that {@code pg_description}, {@code obj_description} and
     * {@code col_description} show (its descriptions win over the sources' comments); statements
     * that start after this see it.
     */
    public void setDescriptions(Descriptions descriptions)
    {
        this.descriptions = requireNonNull(descriptions, "descriptions is null");
    }

    public CalciteQueryPlanner(Collection<Connector> connectors, PlannerOptions options)
    {
        this.connectors = List.copyOf(requireNonNull(connectors, "connectors is null"));
        requireNonNull(options, "options is null");
        this.plans = Caffeine.newBuilder()
                .maximumWeight(PlanWeigher.maximumWeight(options.planCacheSize()))
                .weigher(PlanWeigher::weigh)
                .executor(Runnable::run)
                .recordStats()
                .build();
        this.unfoldable = Caffeine.newBuilder().maximumSize(Math.max(1, options.planCacheSize())).executor(Runnable::run).build();
        this.cachePlans = options.planCacheSize() > 0;
        this.normalizeStatements = options.normalizeStatements();
        this.securedPlanner = new SecuredPlanner(options);
        this.localJoinMaxRows = options.localJoinMaxRows();
        this.replicatedTables = options.replicatedTables();
        this.catalog = new Catalog(this.connectors, versions.incrementAndGet(), SecuredPlanner.CATALOG_VIEWS, localJoinMaxRows, replicatedTables, () -> descriptions);
    }

    @Override
    public PreparedQuery prepare(String sql, List<ColumnType> declaredParameterTypes, SessionContext session)
    {
        requireNonNull(sql, "sql is null");
        return prepare(SqlStatement.of(sql), declaredParameterTypes, session);
    }

    /**
     * Plans the statement through the plan cache, normalised first ({@link StatementNormalizer}):
     * with its row-selecting literals folded into parameters when the plan of that form runs whole
     * at one source and every literal reads as its parameter's type; else without its comments;
     * else (when either form fails to plan) exactly as written, so that errors and positions are
     * those of the client's text.
     */
    @Override
    public PreparedQuery prepare(SqlStatement statement, List<ColumnType> declaredParameterTypes, SessionContext session)
    {
        requireNonNull(statement, "statement is null");
        requireNonNull(declaredParameterTypes, "declaredParameterTypes is null");
        requireNonNull(session, "session is null");
        Catalog current = catalogWithAnsweringSources();
        if (!cachePlans || !normalizeStatements || hasDirective(statement)) {
            return prepareExact(current, statement, declaredParameterTypes, session);
        }
        int clientParameters = Math.max(declaredParameterTypes.size(), highestParameter(statement));
        NormalizedStatement folded = StatementNormalizer.normalize(statement, clientParameters);
        if (!folded.literals().isEmpty()) {
            Optional<PreparedQuery> bound = prepareFolded(current, folded, declaredParameterTypes, session);
            if (bound.isPresent()) {
                return bound.get();
            }
        }
        NormalizedStatement stripped = folded.literals().isEmpty() ? folded : StatementNormalizer.withoutComments(statement, clientParameters);
        if (stripped.changed()) {
            try {
                PreparedQuery plan = prepareExact(current, stripped.statement(), declaredParameterTypes, session);
                return new LiteralBoundQuery(statement.text(), plan, plan.parameterTypes().size(), List.of(), stripped.annotation());
            }
            catch (QueryException e) {
                // planned again as written below: the error then names the client's text and positions
            }
        }
        return prepareExact(current, statement, declaredParameterTypes, session);
    }

    @Override
    public Optional<PreparedQuery> prepareNormalized(NormalizedStatement statement, List<ColumnType> declaredParameterTypes, SessionContext session)
    {
        requireNonNull(statement, "statement is null");
        requireNonNull(declaredParameterTypes, "declaredParameterTypes is null");
        requireNonNull(session, "session is null");
        if (!cachePlans || !normalizeStatements || statement.literals().isEmpty() || hasDirective(statement.original())) {
            return Optional.empty();
        }
        return prepareFolded(catalogWithAnsweringSources(), statement, declaredParameterTypes, session);
    }

    @Override
    public Optional<PreparedQuery> plannedNormalized(NormalizedStatement statement, List<ColumnType> declaredParameterTypes, SessionContext session)
    {
        requireNonNull(statement, "statement is null");
        requireNonNull(declaredParameterTypes, "declaredParameterTypes is null");
        requireNonNull(session, "session is null");
        Catalog current = catalog;
        if (!cachePlans || !normalizeStatements || statement.literals().isEmpty() || hasDirective(statement.original())
                || !current.unansweredSources().isEmpty()) {
            // a catalog missing a source may be rebuilt by the next plan: that is a worker's to do
            return Optional.empty();
        }
        List<ColumnType> declared = statement.declaredTypes(declaredParameterTypes);
        PlanKey foldedKey = new PlanKey(statement.statement().text(), declared, session.searchPath(), current.version(), PlanKey.NO_POLICY);
        if (unfoldable.getIfPresent(foldedKey) != null) {
            return Optional.empty();
        }
        Optional<PreparedQuery> cached = session.policy().isPresent()
                ? securedPlanner.planned(current, statement.statement(), declared, session)
                : Optional.ofNullable(plans.getIfPresent(foldedKey));
        if (cached.isEmpty() || !cached.get().isFullyPushedDown()) {
            return Optional.empty();
        }
        planLookups.incrementAndGet();
        return LiteralBoundQuery.bind(statement, cached.get());
    }

    /** The plan of the folded form with the literals bound; empty when that form does not run whole at one source or a literal does not fit. */
    private Optional<PreparedQuery> prepareFolded(Catalog current, NormalizedStatement folded, List<ColumnType> declaredParameterTypes, SessionContext session)
    {
        List<ColumnType> declared = folded.declaredTypes(declaredParameterTypes);
        PlanKey foldedKey = new PlanKey(folded.statement().text(), declared, session.searchPath(), current.version(), PlanKey.NO_POLICY);
        if (unfoldable.getIfPresent(foldedKey) != null) {
            return Optional.empty();
        }
        try {
            // the key just built is the plan cache's key of this text too: made and hashed once
            PreparedQuery plan = prepareExact(current, folded.statement(), declared, session, foldedKey);
            if (plan.isFullyPushedDown()) {
                return LiteralBoundQuery.bind(folded, plan);
            }
            unfoldable.put(foldedKey, Boolean.TRUE);
        }
        catch (QueryException e) {
            unfoldable.put(foldedKey, Boolean.TRUE);
        }
        return Optional.empty();
    }

    /**
     * Whether a comment of the statement tells the gateway something ({@code /* sekisho: max_staleness=10m *}{@code /}
     * routes a replicated table): such a comment changes the plan, so it is not stripped.
     */
    private static boolean hasDirective(SqlStatement statement)
    {
        for (SqlToken token : statement.tokens()) {
            if (token.kind() == SqlToken.Kind.COMMENT && token.text().toLowerCase(java.util.Locale.ROOT).contains("sekisho:")) {
                return true;
            }
        }
        return false;
    }

    private static int highestParameter(SqlStatement statement)
    {
        int highest = 0;
        for (SqlToken token : statement.tokens()) {
            if (token.kind() == SqlToken.Kind.PARAMETER) {
                try {
                    highest = Math.max(highest, Integer.parseInt(token.value()));
                }
                catch (NumberFormatException e) {
                    // the planner reports it
                }
            }
        }
        return highest;
    }

    /** Plans the statement as given, through the plan cache. */
    @Override
    public PreparedQuery prepareAsWritten(String sql, List<ColumnType> declaredParameterTypes, SessionContext session)
    {
        requireNonNull(sql, "sql is null");
        requireNonNull(declaredParameterTypes, "declaredParameterTypes is null");
        requireNonNull(session, "session is null");
        return prepareExact(catalogWithAnsweringSources(), SqlStatement.of(sql), declaredParameterTypes, session);
    }

    private PreparedQuery prepareExact(Catalog current, SqlStatement statement, List<ColumnType> declaredParameterTypes, SessionContext session)
    {
        return prepareExact(current, statement, declaredParameterTypes, session, null);
    }

    /** @param knownKey the statement's key without a policy, when the caller made it already; else null */
    private PreparedQuery prepareExact(Catalog current, SqlStatement statement, List<ColumnType> declaredParameterTypes, SessionContext session, PlanKey knownKey)
    {
        planLookups.incrementAndGet();
        if (session.policy().isPresent()) {
            return securedPlanner.prepare(current, statement, declaredParameterTypes, session, planCount::incrementAndGet);
        }
        PlanKey key = knownKey != null ? knownKey : new PlanKey(statement.text(), declaredParameterTypes, session.searchPath(), current.version(), PlanKey.NO_POLICY);
        PreparedQuery cached = cachePlans ? plans.getIfPresent(key) : null;
        if (cached != null) {
            return cached;
        }
        PreparedQuery plan = new StatementPlanner(current, session.searchPath()).plan(statement, declaredParameterTypes);
        planCount.incrementAndGet();
        if (cachePlans) {
            plans.put(key, plan);
        }
        return plan;
    }

    /**
     * The current catalog; when a source was down as it was built, a new generation is tried now and
     * then (every {@link #UNANSWERED_RETRY_NANOS}), so that the source's tables appear once it answers.
     */
    private Catalog catalogWithAnsweringSources()
    {
        Catalog current = catalog;
        if (current.unansweredSources().isEmpty() || System.nanoTime() - catalogBuiltNanos < UNANSWERED_RETRY_NANOS) {
            return current;
        }
        synchronized (this) {
            if (catalog == current) {
                catalogBuiltNanos = System.nanoTime();
                refresh();
            }
            return catalog;
        }
    }

    @Override
    public void refresh()
    {
        for (Connector connector : connectors) {
            connector.metadata().refresh();
        }
        catalog = new Catalog(connectors, versions.incrementAndGet(), SecuredPlanner.CATALOG_VIEWS, localJoinMaxRows, replicatedTables, () -> descriptions);
        plans.invalidateAll();
        unfoldable.invalidateAll();
        securedPlanner.invalidateAll();
    }

    /** Both plan caches (statements without a policy, and secured plans) as one: a gateway uses one of them. */
    @Override
    public PlanCacheStats planCacheStats()
    {
        PlanCacheStats open = PlanWeigher.contents(plans);
        PlanCacheStats secured = securedPlanner.contents();
        long made = planCount.get();
        long hits = Math.max(0, planLookups.get() - made);
        return new PlanCacheStats(open.entries() + secured.entries(), open.bytes() + secured.bytes(), open.maxBytes(), hits, made,
                open.evictions() + secured.evictions());
    }

    @Override
    public Map<String, List<ServerStatus>> servers()
    {
        Map<String, List<ServerStatus>> servers = new LinkedHashMap<>();
        for (Connector connector : connectors) {
            servers.put(connector.name(), connector.servers());
        }
        return servers;
    }

    /** The current catalog generation (for the semantic policy check). */
    public Catalog currentCatalog()
    {
        return catalog;
    }

    /** Whether the {@code hash} mask's salt is configured (for the semantic policy check). */
    public boolean hasHashSalt()
    {
        return securedPlanner.hasHashSalt();
    }

    /** How many statements were planned (cache misses) since start; for tests and metrics. */
    public long planCount()
    {
        return planCount.get();
    }
}
