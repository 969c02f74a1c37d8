package dev.sekisho.planner.calcite;

import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
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
 */
record CompiledPlan(Bindable<Object[]> bindable, Map<String, Object> internalParameters, int fieldCount, String explain)
{
    CompiledPlan
    {
        requireNonNull(bindable, "bindable is null");
        internalParameters = Map.copyOf(internalParameters);
        requireNonNull(explain, "explain is null");
    }

    /** Compiles {@code rel}, whose cluster's planner must be a fresh {@link VolcanoPlanner}. */
    @SuppressWarnings("unchecked")
    static CompiledPlan compile(RelNode rel)
    {
        RelOptPlanner planner = rel.getCluster().getPlanner();
        if (!(planner instanceof VolcanoPlanner)) {
            throw new IllegalArgumentException("the plan's cluster has no Volcano planner");
        }
        planner.clear();
        RelOptUtil.registerDefaultRules(planner, false, false);
        // the catalog functions answer per session (what it may see), never at plan time
        List.copyOf(planner.getRules()).stream().filter(ReduceExpressionsRule.class::isInstance).forEach(planner::removeRule);
        RelTraitSet enumerable = rel.getTraitSet().replace(EnumerableConvention.INSTANCE);
        RelNode best = Programs.standard().run(planner, rel, enumerable, List.of(), List.of());
        Map<String, Object> internal = new HashMap<>();
        Bindable<Object[]> bindable = EnumerableInterpretable.toBindable(internal, null, (EnumerableRel) best, EnumerableRel.Prefer.ARRAY);
        return new CompiledPlan(bindable, internal, rel.getRowType().getFieldCount(), RelOptUtil.toString(best));
    }

    /** The rows, each as an array (the generated code returns a single column's values bare). */
    Enumerator<Object[]> open(DataContext context)
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
