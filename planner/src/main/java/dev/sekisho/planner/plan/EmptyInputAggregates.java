package dev.sekisho.planner.plan;

import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * Aggregates as Calcite's interpreter can run them with PostgreSQL's results: an aggregate without
 * GROUP BY returns its one row over an empty input (the interpreter returns none) by becoming
 * {@code (VALUES (0)) LEFT JOIN Aggregate ON TRUE} with counts turned from NULL into 0; and
 * {@code $SUM0} (from expanding DISTINCT aggregates, which the interpreter lacks) becomes
 * {@code COALESCE(SUM(x), 0)}. The row type stays the same.
 */
final class EmptyInputAggregates
{
    private EmptyInputAggregates() {}

    static RelNode rewrite(RelNode rel, RelBuilder relBuilder)
    {
        return rel.accept(new RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                RelNode visited = super.visit(other);
                if (visited instanceof Aggregate aggregate && aggregate.getGroupType() == Aggregate.Group.SIMPLE
                        && (aggregate.getGroupSet().isEmpty() || hasSum(aggregate))) {
                    return rewrite(aggregate, relBuilder);
                }
                return visited;
            }
        });
    }

    private static boolean hasSum(Aggregate aggregate)
    {
        return aggregate.getAggCallList().stream().anyMatch(call -> call.getAggregation().getKind() == SqlKind.SUM0 || call.getAggregation().getKind() == SqlKind.SUM);
    }

    private static RelNode rewrite(Aggregate aggregate, RelBuilder relBuilder)
    {
        RexBuilder rexBuilder = aggregate.getCluster().getRexBuilder();
        // sums of integers typed numeric: the interpreter adds in the result's type, so the input is cast to it
        RelNode input = aggregate.getInput();
        List<RexNode> inputs = new ArrayList<>(rexBuilder.identityProjects(input.getRowType()));
        List<AggregateCall> calls = new ArrayList<>();
        for (AggregateCall call : aggregate.getAggCallList()) {
            SqlKind kind = call.getAggregation().getKind();
            if (kind != SqlKind.SUM0 && kind != SqlKind.SUM) {
                calls.add(call);
                continue;
            }
            List<Integer> arguments = call.getArgList();
            RelDataType argument = input.getRowType().getFieldList().get(arguments.get(0)).getType();
            if (SqlTypeName.INT_TYPES.contains(argument.getSqlTypeName()) && call.getType().getSqlTypeName() == SqlTypeName.DECIMAL) {
                inputs.add(rexBuilder.makeCast(rexBuilder.getTypeFactory().createTypeWithNullability(call.getType(), argument.isNullable()),
                        rexBuilder.makeInputRef(input, arguments.get(0)), true, false));
                arguments = List.of(inputs.size() - 1);
            }
            calls.add(AggregateCall.create(kind == SqlKind.SUM0 ? SqlStdOperatorTable.SUM : call.getAggregation(), call.isDistinct(), call.isApproximate(),
                    call.ignoreNulls(), call.rexList, arguments, call.filterArg, call.distinctKeys, call.collation, aggregate.getGroupCount(),
                    inputs.size() > input.getRowType().getFieldCount() ? relBuilder.push(input).project(inputs).build() : input, null, call.getName()));
        }
        if (inputs.size() > input.getRowType().getFieldCount()) {
            input = relBuilder.push(input).project(inputs).build();
        }
        boolean global = aggregate.getGroupSet().isEmpty();
        RelNode summed = aggregate.copy(aggregate.getTraitSet(), input, aggregate.getGroupSet(), aggregate.getGroupSets(), calls);
        int offset = 0;
        if (!global) {
            relBuilder.push(summed);
        }
        else {
            relBuilder.values(new String[] {"one"}, 0);
            relBuilder.push(summed);
            relBuilder.join(JoinRelType.LEFT, rexBuilder.makeLiteral(true));
            offset = 1;
        }
        List<RexNode> projects = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < aggregate.getRowType().getFieldCount(); i++) {
            RelDataTypeField field = aggregate.getRowType().getFieldList().get(i);
            RexNode value = relBuilder.field(offset + i);
            int call = i - aggregate.getGroupCount();
            SqlKind kind = call >= 0 ? aggregate.getAggCallList().get(call).getAggregation().getKind() : null;
            if (kind == SqlKind.SUM0 || global && (kind == SqlKind.COUNT || kind == SqlKind.REGR_COUNT)) {
                value = rexBuilder.makeCall(SqlStdOperatorTable.COALESCE, value, rexBuilder.makeZeroLiteral(value.getType()));
            }
            projects.add(rexBuilder.makeCast(field.getType(), value, true, false));
            names.add(field.getName());
        }
        relBuilder.project(projects, names, true);
        return relBuilder.build();
    }
}
