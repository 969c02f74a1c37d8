package dev.sekisho.planner.plan;

import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

/**
 * {@code upper} and {@code lower} as PostgreSQL computes them in the {@code C} ctype its catalog
 * reports: only the ASCII letters change case ({@code upper('straße')} is {@code STRAßE}), where
 * Java and MySQL's collations map every letter. Each becomes the 26 case-sensitive
 * {@code REPLACE}s of the ASCII letters, which the gateway and every source compute alike (MySQL's
 * {@code REPLACE} compares exactly whatever the collation), so the statement still pushes down.
 */
final class AsciiCaseMapping
{
    private AsciiCaseMapping() {}

    static RelNode rewrite(RelNode rel)
    {
        RexBuilder rexBuilder = rel.getCluster().getRexBuilder();
        RexShuttle cases = new RexShuttle()
        {
            @Override
            public RexNode visitCall(RexCall call)
            {
                RexNode visited = super.visitCall(call);
                if (visited instanceof RexCall mapped && mapped.operands.size() == 1
                        && (mapped.getOperator() == SqlStdOperatorTable.UPPER || mapped.getOperator() == SqlStdOperatorTable.LOWER)) {
                    boolean upper = mapped.getOperator() == SqlStdOperatorTable.UPPER;
                    RexNode value = mapped.operands.get(0);
                    for (char letter = 'a'; letter <= 'z'; letter++) {
                        String small = String.valueOf(letter);
                        String capital = String.valueOf(Character.toUpperCase(letter));
                        value = rexBuilder.makeCall(SqlStdOperatorTable.REPLACE, value, rexBuilder.makeLiteral(upper ? small : capital),
                                rexBuilder.makeLiteral(upper ? capital : small));
                    }
                    return value.getType().equals(mapped.getType()) ? value : rexBuilder.makeCast(mapped.getType(), value, true, false);
                }
                return visited;
            }
        };
        return rel.accept(new RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                return super.visit(other).accept(cases);
            }
        });
    }
}
