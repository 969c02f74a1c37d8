package dev.sekisho.planner.plan;

import dev.sekisho.planner.catalog.ConnectorTable;
import dev.sekisho.planner.catalog.ReplicatedTable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.prepare.RelOptTableImpl;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.logical.LogicalTableScan;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A plan's scans of replicated tables replaced by scans of their copies, each read with the table's
 * column names, order and types ({@link ConnectorTable#readAs}), so that everything above the scans,
 * the policy's masks and row filters included, stays as it was, and the copy's SQL needs no casts.
 * The copy's values are converted to the table's types as they are read ({@link ReplicatedRoute}).
 */
final class CopyScans
{
    private CopyScans() {}

    /** The plan on the copies; empty when a copy is missing from the catalog or lacks one of the table's columns. */
    static Optional<RelNode> replace(RelNode rel, List<ReplicatedTable> replicated)
    {
        try {
            return Optional.of(rel.accept(new RelHomogeneousShuttle()
            {
                @Override
                public RelNode visit(RelNode other)
                {
                    if (other instanceof TableScan scan) {
                        return copyScan(scan, replicated);
                    }
                    return super.visit(other);
                }
            }));
        }
        catch (MissingCopy e) {
            return Optional.empty();
        }
    }

    private static RelNode copyScan(TableScan scan, List<ReplicatedTable> replicated)
    {
        ConnectorTable table = scan.getTable().unwrap(ConnectorTable.class);
        if (table == null) {
            throw new MissingCopy();
        }
        String name = (table.exposedSchema() + "." + table.metadata().name()).toLowerCase(Locale.ROOT);
        ReplicatedTable rule = replicated.stream().filter(candidate -> candidate.table().equals(name)).findFirst().orElseThrow(MissingCopy::new);
        RelOptTable copy = scan.getTable().getRelOptSchema().getTableForMember(List.of(rule.copySchema(), rule.copyName()));
        ConnectorTable copyTable = copy == null ? null : copy.unwrap(ConnectorTable.class);
        if (copyTable == null) {
            throw new MissingCopy();
        }
        ConnectorTable readAs = copyTable.readAs(table).orElseThrow(MissingCopy::new);
        // the plan on the copy is only ever written as SQL, never compiled: the expression is the copy's own
        Expression expression = copy.getExpression(Object[].class);
        RelOptTable copyAsTable = RelOptTableImpl.create(scan.getTable().getRelOptSchema(), scan.getRowType(), List.of(rule.copySchema(), rule.copyName()),
                readAs, expression == null ? Expressions.constant(null) : expression);
        return LogicalTableScan.create(scan.getCluster(), copyAsTable, scan.getHints());
    }

    /** A table without a usable copy: the statement is not routed. */
    private static final class MissingCopy
            extends RuntimeException
    {
        MissingCopy()
        {
            super(null, null, false, false);
        }
    }
}
