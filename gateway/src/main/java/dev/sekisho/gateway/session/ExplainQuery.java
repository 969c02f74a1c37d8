package dev.sekisho.gateway.session;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.SessionPolicy;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.policies.PolicyEvaluator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The answer to {@code EXPLAIN}: one text column, {@code QUERY PLAN}, one row per line of the
 * planned query's {@link PreparedQuery#explain()} (where it runs, the plan, the SQL each source is
 * sent, the policy's rules and the route). With ANALYZE the query runs to its end first and the
 * rows it returned and the time it took are added.
 *
 * <p>What a policy put into the plan is for admins only (principals with the policy role
 * {@code admin}, or everyone when policies are off): the source SQL carries the row filters' and
 * masks' expressions. Everyone else sees where the statement runs and how many rules applied, never
 * an expression, a filter value or a salt.
 */
final class ExplainQuery
        implements PreparedQuery
{
    private static final ColumnType TEXT = ColumnType.of(ColumnType.Kind.TEXT);

    private final String sql;
    private final PreparedQuery query;
    private final boolean analyze;
    private final boolean mayReadPolicies;

    ExplainQuery(String sql, PreparedQuery query, boolean analyze, boolean mayReadPolicies)
    {
        this.sql = requireNonNull(sql, "sql is null");
        this.query = requireNonNull(query, "query is null");
        this.analyze = analyze;
        this.mayReadPolicies = mayReadPolicies;
    }

    /** Whether the session may see the policy's part of a plan: no policy, or the policy role {@code admin}. */
    static boolean mayReadPolicies(SessionContext session)
    {
        if (session.policy().isEmpty()) {
            return true;
        }
        SessionPolicy policy = session.policy().get();
        return new PolicyEvaluator(policy.policies()).rolesOf(policy.principal()).contains("admin");
    }

    @Override
    public String sql()
    {
        return sql;
    }

    @Override
    public List<ResultColumn> columns()
    {
        return List.of(ResultColumn.of("QUERY PLAN", TEXT));
    }

    @Override
    public List<ColumnType> parameterTypes()
    {
        return query.parameterTypes();
    }

    @Override
    public ResultStream execute(List<Object> parameters, ExecutionContext context)
    {
        List<String> lines = new ArrayList<>(lines());
        if (analyze) {
            long started = System.nanoTime();
            long rows = 0;
            try (ResultStream stream = query.execute(parameters, context)) {
                while (stream.next()) {
                    rows++;
                }
            }
            lines.add(String.format(Locale.ROOT, "Rows: %d", rows));
            lines.add(String.format(Locale.ROOT, "Execution Time: %.3f ms", (System.nanoTime() - started) / 1e6));
        }
        List<List<Object>> rows = new ArrayList<>();
        lines.forEach(line -> rows.add(List.of(line)));
        return new ListResultStream(List.of(new ColumnMetadata("QUERY PLAN", TEXT, false, "text")), rows);
    }

    private List<String> lines()
    {
        String explain = query.explain();
        if (mayReadPolicies || query.firedRules().isEmpty()) {
            return explain.lines().toList();
        }
        // where it runs, without any text a policy put into the plan
        List<String> lines = new ArrayList<>();
        String first = explain.lines().findFirst().orElse("");
        // "Pushed down to source shop (mysql)" or "Runs locally (compiled)": never the reason, which can name a mask's function
        lines.add(first.replaceAll("( because .*)?:?$", ""));
        lines.add("Policy applied: " + query.firedRules().size() + " rule(s); the rewritten statement and the rules are shown to admins");
        return lines;
    }

    @Override
    public String explain()
    {
        return query.explain();
    }

    @Override
    public boolean isFullyPushedDown()
    {
        return query.isFullyPushedDown();
    }
}
