package dev.sekisho.planner.plan;

import dev.sekisho.planner.catalog.ConnectorTable;
import dev.sekisho.planner.catalog.LocalJoins;
import org.apache.calcite.adapter.enumerable.EnumerableCalc;
import org.apache.calcite.adapter.enumerable.EnumerableHashJoin;
import org.apache.calcite.adapter.enumerable.EnumerableInterpreter;
import org.apache.calcite.interpreter.Bindables;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Finds the hash joins of a compiled plan whose two inputs are source scans (through projections),
 * for {@link LocalJoins}: which scan is read first and held (the right input), which scan can be
 * cut by its keys (the left input, for joins that keep only matching left rows), and on which columns.
 */
final class LocalJoinAnalysis
{
    private LocalJoinAnalysis() {}

    static LocalJoins.Plan of(RelNode best, long maxRows)
    {
        List<LocalJoins.Edge> edges = new ArrayList<>();
        new RelVisitor()
        {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent)
            {
                if (node instanceof EnumerableHashJoin join && join.analyzeCondition().isEqui()
                        && (join.getJoinType() == JoinRelType.INNER || join.getJoinType() == JoinRelType.SEMI)) {
                    List<Integer> leftKeys = join.analyzeCondition().leftKeys;
                    List<Integer> rightKeys = join.analyzeCondition().rightKeys;
                    for (int i = 0; i < leftKeys.size(); i++) {
                        Optional<Traced> probe = trace(join.getLeft(), leftKeys.get(i));
                        Optional<Traced> build = trace(join.getRight(), rightKeys.get(i));
                        if (probe.isPresent() && build.isPresent()) {
                            edges.add(new LocalJoins.Edge(build.get().scan(), build.get().field(), probe.get().scan(), probe.get().column()));
                            break;
                        }
                    }
                }
                super.visit(node, ordinal, parent);
            }
        }.go(best);
        return new LocalJoins.Plan(edges, maxRows);
    }

    /**
     * A field of a plan node traced to a source scan.
     *
     * @param field the field of the scan's rows
     * @param column the table's column
     */
    private record Traced(LocalJoins.Scan scan, int field, int column)
    {
    }

    private static Optional<Traced> trace(RelNode node, int field)
    {
        if (node instanceof EnumerableInterpreter interpreter) {
            return trace(interpreter.getInput(), field);
        }
        if (node instanceof EnumerableCalc calc) {
            RexNode expression = calc.getProgram().expandLocalRef(calc.getProgram().getProjectList().get(field));
            if (expression.getKind() == org.apache.calcite.sql.SqlKind.CAST) {
                // a widening for the comparison (INT to BIGINT): the key's value is the column's
                expression = ((org.apache.calcite.rex.RexCall) expression).getOperands().get(0);
            }
            return expression instanceof RexInputRef input ? trace(calc.getInput(), input.getIndex()) : Optional.empty();
        }
        if (node instanceof Bindables.BindableTableScan scan) {
            ConnectorTable table = scan.getTable().unwrap(ConnectorTable.class);
            if (table == null) {
                return Optional.empty();
            }
            int[] columns = columns(scan, table);
            return Optional.of(new Traced(new LocalJoins.Scan(table, LocalJoins.signature(columns, scan.filters)), field, columns[field]));
        }
        return Optional.empty();
    }

    /** The columns a scan asks for, as {@link ConnectorTable#scan} sees them (all when the projection is the identity). */
    static int[] columns(Bindables.BindableTableScan scan, ConnectorTable table)
    {
        int all = table.metadata().columns().size();
        int[] columns = scan.projects.isEmpty() ? IntStream.range(0, all).toArray() : scan.projects.toIntArray();
        return columns;
    }
}
