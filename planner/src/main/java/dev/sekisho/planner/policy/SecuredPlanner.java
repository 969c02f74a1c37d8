package dev.sekisho.planner.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sekisho.planner.PlanCacheStats;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.SessionPolicy;
import dev.sekisho.planner.catalog.Catalog;
import dev.sekisho.planner.pg.catalog.CatalogView;
import dev.sekisho.planner.plan.PlanKey;
import dev.sekisho.planner.plan.PlanWeigher;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.plan.StatementPlanner;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.EffectivePolicy;
import dev.sekisho.policies.FiredRule;
import dev.sekisho.policies.PolicyEvaluator;
import dev.sekisho.policies.model.TableName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Prepares statements under a policy, with a plan cache keyed by the effective policy rather than
 * by the user: the key is (statement, declared types, search path, catalog generation,
 * {@link PolicyShapes#fingerprint} of the tables the statement looks at). Which tables a statement
 * looks at is learnt when it is first planned (name resolution can depend on what the principal
 * sees, so the set only grows: the union over all principals) and kept per statement. Principals
 * with the same effective policy on those tables share one plan; a policy change that alters any
 * of them changes the key at once. Thread-safe.
 */
public final class SecuredPlanner
{
    /**
     * What the catalog emulation shows the session running a statement: under a policy, what its
     * principal may see (the view a {@link SecuredPreparedQuery} executes with); else everything.
     */
    public static final CatalogView.Provider CATALOG_VIEWS = PolicyExecutionContext.VIEWS;

    /** A shared secured plan: no identity in it, only references to what is bound per principal. */
    private record SecuredPlan(PreparedQuery query, List<PolicyParameter> parameters, List<String> notes)
    {
    }

    private final Cache<PlanKey, Set<TableName>> tablesOfStatement;
    private final Cache<PlanKey, SecuredPlan> plans;
    private final boolean cachePlans;
    private final Optional<String> hashSalt;

    public SecuredPlanner(PlannerOptions options)
    {
        requireNonNull(options, "options is null");
        this.cachePlans = options.planCacheSize() > 0;
        this.tablesOfStatement = Caffeine.newBuilder().maximumSize(options.planCacheSize()).executor(Runnable::run).build();
        this.plans = Caffeine.newBuilder()
                .maximumWeight(PlanWeigher.maximumWeight(options.planCacheSize()))
                .<PlanKey, SecuredPlan>weigher((key, plan) -> PlanWeigher.weigh(key, plan.query()))
                .executor(Runnable::run)
                .recordStats()
                .build();
        this.hashSalt = options.hashSalt();
    }

    /** Whether the {@code hash} mask's salt is configured. */
    public boolean hasHashSalt()
    {
        return hashSalt.isPresent();
    }

    /**
     * @param planned counts a plan made (a cache miss)
     */
    public PreparedQuery prepare(Catalog catalog, SqlStatement text, List<ColumnType> declaredParameterTypes, SessionContext session, Runnable planned)
    {
        Optional<PreparedQuery> cached = planned(catalog, text, declaredParameterTypes, session);
        if (cached.isPresent()) {
            return cached.get();
        }
        String sql = text.text();
        SessionPolicy policy = session.policy().orElseThrow();
        PolicyEvaluator evaluator = new PolicyEvaluator(policy.policies());
        PlanKey statement = new PlanKey(sql, declaredParameterTypes, session.searchPath(), catalog.version(), "tables");
        StatementPlanner.Planned result = new StatementPlanner(catalog, session.searchPath(), session.policy(), hashSalt.isPresent())
                .planWithPolicy(text, declaredParameterTypes);
        planned.run();
        SecuredPlan plan = new SecuredPlan(result.query(), result.policyParameters(), result.notes());
        Set<TableName> union = new LinkedHashSet<>(result.evaluated().keySet());
        if (cachePlans) {
            union = tablesOfStatement.asMap().merge(statement, union, (old, added) -> {
                Set<TableName> merged = new LinkedHashSet<>(old);
                merged.addAll(added);
                return Set.copyOf(merged);
            });
        }
        Map<TableName, EffectivePolicy> effective = evaluate(evaluator, policy, union, result.evaluated());
        if (cachePlans) {
            plans.put(key(statement, effective), plan);
        }
        return bind(plan, effective, policy, catalog);
    }

    /**
     * What {@link #prepare} returns when the plan cache holds the statement's plan for the session's
     * effective policies: that plan bound to them, planning nothing; empty on a miss (then
     * {@link #prepare} plans it). Never blocks.
     */
    public Optional<PreparedQuery> planned(Catalog catalog, SqlStatement text, List<ColumnType> declaredParameterTypes, SessionContext session)
    {
        if (!cachePlans) {
            return Optional.empty();
        }
        SessionPolicy policy = session.policy().orElseThrow();
        PlanKey statement = new PlanKey(text.text(), declaredParameterTypes, session.searchPath(), catalog.version(), "tables");
        Set<TableName> tables = tablesOfStatement.getIfPresent(statement);
        if (tables == null) {
            return Optional.empty();
        }
        Map<TableName, EffectivePolicy> effective = evaluate(new PolicyEvaluator(policy.policies()), policy, tables, Map.of());
        SecuredPlan cached = plans.getIfPresent(key(statement, effective));
        return cached == null ? Optional.empty() : Optional.of(bind(cached, effective, policy, catalog));
    }

    /** The secured plans held now, their weight and evictions; hits and misses are the caller's to count. */
    public PlanCacheStats contents()
    {
        return PlanWeigher.contents(plans);
    }

    /** Forgets every cached plan and statement: the catalog changed. */
    public void invalidateAll()
    {
        tablesOfStatement.invalidateAll();
        plans.invalidateAll();
    }

    private PlanKey key(PlanKey statement, Map<TableName, EffectivePolicy> effective)
    {
        return new PlanKey(statement.sql(), statement.declaredParameterTypes(), statement.searchPath(), statement.catalogVersion(),
                PolicyShapes.fingerprint(effective, hashSalt.isPresent()));
    }

    private static Map<TableName, EffectivePolicy> evaluate(PolicyEvaluator evaluator, SessionPolicy policy, Set<TableName> tables, Map<TableName, EffectivePolicy> known)
    {
        Map<TableName, EffectivePolicy> effective = new LinkedHashMap<>();
        for (TableName table : tables) {
            EffectivePolicy found = known.get(table);
            effective.put(table, found != null ? found : evaluator.evaluate(policy.principal(), table));
        }
        return effective;
    }

    private PreparedQuery bind(SecuredPlan plan, Map<TableName, EffectivePolicy> effective, SessionPolicy policy, Catalog catalog)
    {
        List<Object> values = new ArrayList<>();
        for (PolicyParameter parameter : plan.parameters()) {
            Optional<String> value = parameter.value(policy.principal(), hashSalt);
            if (value.isEmpty()) {
                // cannot happen when the fingerprint matched; never run a plan with a missing policy value
                throw new QueryException(SqlStates.INTERNAL_ERROR, "the policy needs %s, which is not available".formatted(parameter),
                        parameter.isSalt() ? "Configure the hash salt of the gateway." : null, null);
            }
            values.add(value.get());
        }
        List<FiredRule> fired = new ArrayList<>();
        effective.values().forEach(table -> fired.addAll(table.firedRules()));
        return new SecuredPreparedQuery(plan.query(), plan.parameters(), values, fired, plan.notes(), policy.policies().version(), policy.principal().name(),
                () -> new PolicyCatalogView(catalog, policy), effective.values().stream().anyMatch(SecuredPlanner::hidesRows));
    }

    private static boolean hidesRows(EffectivePolicy table)
    {
        return table.noRows() || !table.permissiveFilters().isEmpty() || !table.restrictiveFilters().isEmpty();
    }
}
