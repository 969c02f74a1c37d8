package dev.sekisho.planner.sql;

import org.apache.calcite.rel.RelCollations;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelShuttleImpl;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.util.ImmutableBitSet;

import java.util.ArrayList;
import java.util.List;

/**
 * GROUP BY, DISTINCT and ORDER BY over text for MySQL with PostgreSQL's C collation: MySQL's
 * collations merge and sort values that differ in case or trailing spaces. Each text key is paired
 * with its bytes ({@code CAST(x AS BINARY)}, whose order is code point order): a GROUP BY groups by
 * both ({@code GROUP BY x, CAST(x AS BINARY)}, so every group holds byte-identical values and
 * {@code x} stays a group key), and an ORDER BY sorts by the bytes. The statement's own ORDER BY
 * adds the bytes as trailing columns that the gateway does not read; a sort inside a sub-query
 * drops them again.
 */
final class TextOrdering
{
    private TextOrdering() {}

    static RelNode rewrite(RelNode root)
    {
        RelNode rewritten = root.accept(new Shuttle(root));
        return rewritten;
    }

    private static final class Shuttle
            extends RelShuttleImpl
    {
        private final RelNode root;

        Shuttle(RelNode root)
        {
            this.root = root;
        }

        @Override
        public RelNode visit(RelNode other)
        {
            RelNode visited = super.visit(other);
            if (visited instanceof Sort sort && sort.getCollation().getFieldCollations().stream()
                    .anyMatch(field -> SourcePushdown.isText(sort.getRowType().getFieldList().get(field.getFieldIndex()).getType()))) {
                return sort(sort, other == root);
            }
            if (visited instanceof Aggregate aggregate && aggregate.getGroupType() == Aggregate.Group.SIMPLE
                    && aggregate.getGroupSet().asList().stream().anyMatch(key -> SourcePushdown.isText(aggregate.getInput().getRowType().getFieldList().get(key).getType()))) {
                return aggregate(aggregate);
            }
            return visited;
        }

        @Override
        public RelNode visit(org.apache.calcite.rel.logical.LogicalSort sort)
        {
            return visit((RelNode) sort);
        }

        @Override
        public RelNode visit(LogicalAggregate aggregate)
        {
            return visit((RelNode) aggregate);
        }
    }

    /** The input with the bytes of {@code keys} appended: their indexes are input width + position in {@code keys}. */
    private static RelNode withBytes(RelNode input, List<Integer> keys)
    {
        RexBuilder rexBuilder = input.getCluster().getRexBuilder();
        List<RexNode> projects = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < input.getRowType().getFieldCount(); i++) {
            projects.add(RexInputRef.of(i, input.getRowType()));
            names.add(input.getRowType().getFieldNames().get(i));
        }
        for (int key : keys) {
            RexNode field = RexInputRef.of(key, input.getRowType());
            projects.add(rexBuilder.makeCall(field.getType().getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.CHAR
                    ? TextComparisons.PADDED_BYTES : TextComparisons.BYTES, field));
            names.add("sekisho_bytes_" + names.size());
        }
        return LogicalProject.create(input, List.of(), projects, names, java.util.Set.of());
    }

    private static RelNode sort(Sort sort, boolean isRoot)
    {
        List<Integer> textKeys = new ArrayList<>();
        for (RelFieldCollation field : sort.getCollation().getFieldCollations()) {
            if (SourcePushdown.isText(sort.getRowType().getFieldList().get(field.getFieldIndex()).getType()) && !textKeys.contains(field.getFieldIndex())) {
                textKeys.add(field.getFieldIndex());
            }
        }
        RelNode input = withBytes(sort.getInput(), textKeys);
        int width = sort.getInput().getRowType().getFieldCount();
        List<RelFieldCollation> fields = new ArrayList<>();
        for (RelFieldCollation field : sort.getCollation().getFieldCollations()) {
            int text = textKeys.indexOf(field.getFieldIndex());
            fields.add(text < 0 ? field : field.withFieldIndex(width + text));
        }
        RelNode sorted = LogicalSort.create(input, RelCollations.of(fields), sort.offset, sort.fetch);
        if (isRoot) {
            // the bytes are trailing columns the gateway does not read
            return sorted;
        }
        List<RexNode> original = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            original.add(RexInputRef.of(i, sorted.getRowType()));
        }
        return LogicalProject.create(sorted, List.of(), original, sort.getRowType().getFieldNames(), java.util.Set.of());
    }

    private static RelNode aggregate(Aggregate aggregate)
    {
        List<Integer> textKeys = new ArrayList<>();
        for (int key : aggregate.getGroupSet()) {
            if (SourcePushdown.isText(aggregate.getInput().getRowType().getFieldList().get(key).getType())) {
                textKeys.add(key);
            }
        }
        RelNode input = withBytes(aggregate.getInput(), textKeys);
        int width = aggregate.getInput().getRowType().getFieldCount();
        ImmutableBitSet.Builder groups = aggregate.getGroupSet().rebuild();
        for (int i = 0; i < textKeys.size(); i++) {
            groups.set(width + i);
        }
        LogicalAggregate grouped = LogicalAggregate.create(input, List.of(), groups.build(), null, aggregate.getAggCallList());
        int groupCount = aggregate.getGroupCount();
        List<RexNode> original = new ArrayList<>();
        for (int i = 0; i < groupCount; i++) {
            original.add(RexInputRef.of(i, grouped.getRowType()));
        }
        for (int i = 0; i < aggregate.getAggCallList().size(); i++) {
            original.add(RexInputRef.of(groupCount + textKeys.size() + i, grouped.getRowType()));
        }
        return LogicalProject.create(grouped, List.of(), original, aggregate.getRowType().getFieldNames(), java.util.Set.of());
    }
}
