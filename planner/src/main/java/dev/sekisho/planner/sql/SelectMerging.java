package dev.sekisho.planner.sql;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * Filters and projections over a projection, merged into one SELECT before the SQL is written.
 * {@code RelToSqlConverter} writes a filter or projection over a projection as a derived table:
 * a policy's mask (a projection directly above the table, beside its row filter) puts every
 * client's statement on the table into {@code SELECT ... FROM (SELECT <every column, masked> FROM
 * t WHERE <row filter>) AS t0 WHERE ...}. MariaDB merges such a derived table itself, so the rows
 * and the order of the predicates are MariaDB's choice either way, but parsing and preparing the
 * derived table and its full column list costs it about as much as the point lookup it wraps
 * (docs/benchmarks.md, "Masked + row-filtered point lookup: one SELECT").
 *
 * <p>The merge substitutes the projection's expressions for the references to its columns
 * ({@link RelOptUtil#pushPastProjectUnlessBloat}), so a predicate or an expression on a masked column reads
 * the mask's expression, never the column beneath it: exactly what the derived table gave. A
 * filter over a filter becomes one conjunction, the inner (the policy's row filter) first. Only
 * deterministic projections without window functions, sub-queries or correlation are merged (a
 * merge would evaluate a random value twice, or a window over other rows); aggregates, DISTINCT,
 * sorts with a LIMIT, set operations and joins are not crossed, so what they compute keeps its
 * derived table.
 */
final class SelectMerging
{
    /** How much larger (in expression nodes) a merge may make the expressions, as Calcite's {@code ProjectMergeRule} allows by default. */
    private static final int BLOAT = 100;

    private SelectMerging() {}

    static RelNode merge(RelNode root)
    {
        return root.accept(new RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                RelNode visited = super.visit(other);
                if (visited instanceof Filter filter && filter.getInput() instanceof Project project && mergeable(project)
                        && filter.getVariablesSet().isEmpty() && mergeable(List.of(filter.getCondition()))) {
                    List<RexNode> condition = RelOptUtil.pushPastProjectUnlessBloat(List.of(filter.getCondition()), project, BLOAT);
                    return condition == null ? visited : overFilter(filter, project, condition.get(0));
                }
                if (visited instanceof Project top && top.getInput() instanceof Project bottom && mergeable(bottom)
                        && mergeable(top)) {
                    List<RexNode> expressions = RelOptUtil.pushPastProjectUnlessBloat(top.getProjects(), bottom, BLOAT);
                    return expressions == null ? visited : merged(top, bottom, expressions);
                }
                return visited;
            }
        });
    }

    /** {@code Filter(Project(x))} as {@code Project(Filter(x))}, the filter's condition over the projection's expressions. */
    private static RelNode overFilter(Filter filter, Project project, RexNode condition)
    {
        RelNode input = project.getInput();
        RelNode filtered;
        if (input instanceof Filter inner && inner.getVariablesSet().isEmpty()) {
            // the row filter first, then the client's predicates
            filtered = inner.copy(inner.getTraitSet(), inner.getInput(),
                    RexUtil.composeConjunction(filter.getCluster().getRexBuilder(), List.of(inner.getCondition(), condition)));
        }
        else {
            filtered = filter.copy(filter.getTraitSet(), input, condition);
        }
        return project.copy(project.getTraitSet(), filtered, project.getProjects(), project.getRowType());
    }

    /** {@code Project(Project(x))} as one projection of {@code x}, with the upper projection's names. */
    private static RelNode merged(Project top, Project bottom, List<RexNode> expressions)
    {
        List<String> names = top.getRowType().getFieldNames();
        List<RelDataType> types = new ArrayList<>();
        for (RexNode expression : expressions) {
            types.add(expression.getType());
        }
        RelDataType rowType = top.getCluster().getTypeFactory().createStructType(types, names);
        return top.copy(top.getTraitSet(), bottom.getInput(), expressions, rowType);
    }

    private static boolean mergeable(Project project)
    {
        return project.getVariablesSet().isEmpty() && mergeable(project.getProjects());
    }

    /** Deterministic, and without a window, a sub-query or a correlation variable. */
    private static boolean mergeable(List<RexNode> expressions)
    {
        for (RexNode expression : expressions) {
            if (!RexUtil.isDeterministic(expression) || RexOver.containsOver(expression) || RexUtil.SubQueryFinder.find(expression) != null
                    || RexUtil.containsCorrelation(expression)) {
                return false;
            }
        }
        return true;
    }
}
