package dev.sekisho.planner.plan;

import dev.sekisho.planner.catalog.LocalJoins;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rules.ReduceExpressionsRule;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.tools.Programs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A local plan compiled to Java by Calcite's Enumerable convention, for the statements that read only
 * the catalog emulation: unlike the interpreter it runs window functions, every aggregate
 * ({@code string_agg}, {@code array_agg}), correlated sub-queries and set operations. Compiled once
 * per plan (Calcite caches the generated classes by source), bound per execution.
 *
 * @param internalParameters values the generated code reads from the data context besides the client's parameters
 * @param joins the plan's hash joins over source scans (dynamic filters, the memory limit)
 */
record CompiledPlan(Bindable<Object[]> bindable, Map<String, Object> internalParameters, int fieldCount, String explain,
        Map<String, org.apache.calcite.schema.Table> workTables, LocalJoins.Plan joins)
{
    /**
     * Most rows a recursive query ({@code WITH RECURSIVE}) may produce: it runs to the end in the
     * gateway's memory, so a recursion without a working stop condition must end with an error.
     */
    static final int MAX_SPOOLED_ROWS = 1_000_000;

    CompiledPlan
    {
        requireNonNull(bindable, "bindable is null");
        internalParameters = Map.copyOf(internalParameters);
        requireNonNull(explain, "explain is null");
        workTables = Map.copyOf(workTables);
        requireNonNull(joins, "joins is null");
    }

    /**
     * Whether the plan spools rows into work tables (a recursive query's): the generated code finds
     * them by name in the data context's root schema, and they belong to the plan, not to one execution.
     */
    boolean spools()
    {
        return !workTables.isEmpty();
    }

    /** Compiles {@code rel}, whose cluster's planner must be a fresh {@link VolcanoPlanner}, with no limit on what its joins hold. */
    static CompiledPlan compile(RelNode rel)
    {
        return compile(rel, Long.MAX_VALUE);
    }

    /**
     * Compiles {@code rel}, whose cluster's planner must be a fresh {@link VolcanoPlanner}.
     *
     * @param maxJoinRows the most rows a hash join over source scans may hold (its build side)
     */
    @SuppressWarnings("unchecked")
    static CompiledPlan compile(RelNode rel, long maxJoinRows)
    {
        RelOptPlanner planner = rel.getCluster().getPlanner();
        if (!(planner instanceof VolcanoPlanner)) {
            throw new IllegalArgumentException("the plan's cluster has no Volcano planner");
        }
        planner.clear();
        RelOptUtil.registerDefaultRules(planner, false, false);
        // the catalog functions answer per session (what it may see), never at plan time
        List.copyOf(planner.getRules()).stream().filter(ReduceExpressionsRule.class::isInstance).forEach(planner::removeRule);
        // joins over source scans are hash joins: a merge join sorts both sides in memory, a hash join holds
        // only its right side, which LocalJoins bounds and whose keys cut the left side's scan
        planner.removeRule(EnumerableRules.ENUMERABLE_MERGE_JOIN_RULE);
        RelTraitSet enumerable = rel.getTraitSet().replace(EnumerableConvention.INSTANCE);
        RelNode best = Programs.standard().run(planner, rel, enumerable, List.of(), List.of());
        Map<String, Object> internal = new HashMap<>();
        Bindable<Object[]> bindable = EnumerableInterpretable.toBindable(internal, null, (EnumerableRel) best, EnumerableRel.Prefer.ARRAY);
        Map<String, org.apache.calcite.schema.Table> workTables = new HashMap<>();
        new org.apache.calcite.rel.RelVisitor()
        {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent)
            {
                if (node instanceof org.apache.calcite.rel.core.TableSpool spool) {
                    org.apache.calcite.schema.TransientTable table = spool.getTable().unwrap(org.apache.calcite.schema.TransientTable.class);
                    List<String> name = spool.getTable().getQualifiedName();
                    if (table != null) {
                        workTables.put(name.get(name.size() - 1), table);
                    }
                }
                super.visit(node, ordinal, parent);
            }
        }.go(rel);
        LocalJoins.Plan joins = LocalJoinAnalysis.of(best, maxJoinRows);
        return new CompiledPlan(bindable, internal, rel.getRowType().getFieldCount(), ExplainText.compiledPlan(best, joins), workTables, joins);
    }

    /** The rows, each as an array (the generated code returns a single column's values bare). */
    Enumerator<Object[]> open(DataContext context)
    {
        if (spools()) {
            // a recursive query's work table belongs to the plan, not to one execution: run one at a time, to the end
            synchronized (this) {
                List<Object[]> rows = new java.util.ArrayList<>();
                try (Enumerator<Object[]> all = rows(context)) {
                    while (all.moveNext()) {
                        if (rows.size() >= MAX_SPOOLED_ROWS) {
                            throw new dev.sekisho.planner.spi.QueryException(dev.sekisho.planner.spi.SqlStates.PROGRAM_LIMIT_EXCEEDED,
                                    "the recursive query produced more than " + MAX_SPOOLED_ROWS + " rows",
                                    "Check the stop condition of the recursive part (WHERE n < ...).", null);
                        }
                        rows.add(all.current());
                    }
                }
                return org.apache.calcite.linq4j.Linq4j.enumerator(rows);
            }
        }
        return rows(context);
    }

    private Enumerator<Object[]> rows(DataContext context)
    {
        Enumerator<?> rows = bindable.bind(context).enumerator();
        if (fieldCount != 1) {
            return (Enumerator<Object[]>) rows;
        }
        return new Enumerator<>()
        {
            @Override
            public Object[] current()
            {
                Object value = rows.current();
                return value instanceof Object[] array && array.length == 1 ? array : new Object[] {value};
            }

            @Override
            public boolean moveNext()
            {
                return rows.moveNext();
            }

            @Override
            public void reset()
            {
                rows.reset();
            }

            @Override
            public void close()
            {
                rows.close();
            }
        };
    }
}
