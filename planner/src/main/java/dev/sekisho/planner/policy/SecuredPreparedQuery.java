package dev.sekisho.planner.policy;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SourceStatement;
import dev.sekisho.planner.pg.catalog.CatalogView;
import dev.sekisho.planner.plan.Parameters;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.RouteExplanation;
import dev.sekisho.policies.FiredRule;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * A shared, policy-secured plan as one principal runs it: the client binds its own parameters,
 * and this binds the policy's values (user attributes, the hash salt) after them. The shared plan
 * holds no identity; this thin wrapper is made per prepare and holds the principal's values and
 * the rules that fired for it.
 */
final class SecuredPreparedQuery
        implements PreparedQuery
{
    private final PreparedQuery plan;
    private final int clientParameterCount;
    private final List<PolicyParameter> policyParameters;
    private final List<Object> policyValues;
    private final List<FiredRule> firedRules;
    private final List<String> notes;
    private final String policyVersion;
    private final String user;
    private final Supplier<CatalogView> catalogViews;
    private final boolean rowsHiddenByPolicy;

    /**
     * @param plan the shared plan, whose parameters are the client's followed by {@code policyParameters}
     * @param policyValues the principal's value of each policy parameter
     * @param catalogViews makes, per execution, what the principal sees of the catalog emulation
     * @param rowsHiddenByPolicy whether a row filter of the policy applies to a table the plan reads
     */
    SecuredPreparedQuery(PreparedQuery plan, List<PolicyParameter> policyParameters, List<Object> policyValues, List<FiredRule> firedRules,
            List<String> notes, String policyVersion, String user, Supplier<CatalogView> catalogViews,
            boolean rowsHiddenByPolicy)
    {
        this.plan = requireNonNull(plan, "plan is null");
        this.policyParameters = List.copyOf(policyParameters);
        this.policyValues = List.copyOf(policyValues);
        if (policyValues.size() != policyParameters.size()) {
            throw new IllegalArgumentException("one value per policy parameter");
        }
        this.clientParameterCount = plan.parameterTypes().size() - policyParameters.size();
        this.firedRules = List.copyOf(firedRules);
        this.notes = List.copyOf(notes);
        this.policyVersion = requireNonNull(policyVersion, "policyVersion is null");
        this.user = requireNonNull(user, "user is null");
        this.catalogViews = requireNonNull(catalogViews, "catalogViews is null");
        this.rowsHiddenByPolicy = rowsHiddenByPolicy;
    }

    /** The shared plan. */
    PreparedQuery plan()
    {
        return plan;
    }

    @Override
    public String sql()
    {
        return plan.sql();
    }

    @Override
    public List<ResultColumn> columns()
    {
        return plan.columns();
    }

    @Override
    public List<ColumnType> parameterTypes()
    {
        return plan.parameterTypes().subList(0, clientParameterCount);
    }

    @Override
    public ResultStream execute(List<Object> parameters, ExecutionContext context)
    {
        Parameters.check(parameters, clientParameterCount);
        List<Object> all = new ArrayList<>(parameters);
        all.addAll(policyValues);
        // pg_catalog and information_schema show only what the principal may see
        return plan.execute(all, new PolicyExecutionContext(context, new LazyCatalogView(catalogViews), rowsHiddenByPolicy));
    }

    @Override
    public List<BackendQuery> fragments(List<Object> parameters)
    {
        Parameters.check(parameters, clientParameterCount);
        List<Object> all = new ArrayList<>(parameters);
        all.addAll(policyValues);
        return plan.fragments(all);
    }

    @Override
    public String explain()
    {
        StringBuilder explain = new StringBuilder(plan.explain());
        if (explain.length() > 0 && explain.charAt(explain.length() - 1) != '\n') {
            explain.append('\n');
        }
        explain.append("Policy ").append(policyVersion).append(" for user ").append(user).append(":\n");
        for (FiredRule rule : firedRules) {
            explain.append("  ").append(rule).append('\n');
        }
        for (String note : notes) {
            explain.append("  not applied as written: ").append(note).append('\n');
        }
        if (!policyParameters.isEmpty()) {
            explain.append("Bound by the policy after the client's parameters:");
            for (int i = 0; i < policyParameters.size(); i++) {
                PolicyParameter parameter = policyParameters.get(i);
                explain.append(i == 0 ? " " : ", ").append(parameter);
                if (!parameter.isSalt()) {
                    explain.append(" = '").append(policyValues.get(i)).append('\'');
                }
            }
            explain.append('\n');
        }
        return explain.toString();
    }

    @Override
    public List<RouteExplanation> routes()
    {
        return plan.routes();
    }

    @Override
    public List<SourceStatement> sourceStatements()
    {
        return plan.sourceStatements();
    }

    @Override
    public List<String> tablesRead()
    {
        return plan.tablesRead();
    }

    @Override
    public boolean isFullyPushedDown()
    {
        return plan.isFullyPushedDown();
    }

    @Override
    public List<FiredRule> firedRules()
    {
        return firedRules;
    }
}
