package dev.sekisho.planner.policy;

import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Enforces policies in the plan (ARCHITECTURE.md, step 3): right after SQL-to-Rel and before any
 * optimisation, every scan of a {@link SecuredTable}, including scans inside sub-queries, becomes
 * {@code Project(masks) <- Filter(row filter) <- Scan(whole table)}. Everything above the leaves
 * (WHERE, JOIN, GROUP BY, ORDER BY, windows, set operations, sub-queries) therefore sees only
 * masked values of permitted rows. Fails closed: a plan that still scans a secured table after the
 * rewrite is an error.
 */
final class PolicyRewriter
{
    private PolicyRewriter() {}

    /**
     * @param wholeTable the table to scan under a secured table: the same source table with every column
     */
    static RelNode rewrite(RelNode rel, Function<SecuredTable, RelOptTable> wholeTable)
    {
        RelNode rewritten = rel.accept(shuttle(scan -> {
            SecuredTable secured = scan.getTable().unwrap(SecuredTable.class);
            if (secured == null) {
                return scan;
            }
            RelNode input = LogicalTableScan.create(scan.getCluster(), wholeTable.apply(secured), scan.getHints());
            if (secured.condition().isPresent()) {
                input = LogicalFilter.create(input, secured.condition().get());
            }
            return LogicalProject.create(input, List.of(), secured.projects(), secured.names(), Set.of());
        }));
        rewritten.accept(shuttle(scan -> {
            if (scan.getTable().unwrap(SecuredTable.class) != null) {
                throw new IllegalStateException("a scan of a protected table escaped the policy rewrite: " + scan.getTable().getQualifiedName());
            }
            return scan;
        }));
        return rewritten;
    }

    /** Applies {@code onScan} to every table scan, in sub-queries too. */
    private static RelHomogeneousShuttle shuttle(Function<TableScan, RelNode> onScan)
    {
        RelHomogeneousShuttle[] relShuttle = new RelHomogeneousShuttle[1];
        RexShuttle subQueries = new RexShuttle()
        {
            @Override
            public RexNode visitSubQuery(RexSubQuery subQuery)
            {
                RexSubQuery visited = (RexSubQuery) super.visitSubQuery(subQuery);
                RelNode inner = visited.rel.accept(relShuttle[0]);
                return inner == visited.rel ? visited : visited.clone(inner);
            }
        };
        relShuttle[0] = new RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                if (other instanceof TableScan scan) {
                    return onScan.apply(scan);
                }
                return super.visit(other).accept(subQueries);
            }
        };
        return relShuttle[0];
    }
}
