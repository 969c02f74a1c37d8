package dev.sekisho.planner.plan;

import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Booleans as text the way PostgreSQL writes them, {@code true} and {@code false}: Calcite's cast
 * writes {@code TRUE}, MySQL's {@code 1}. A cast of a boolean to text becomes
 * {@code CASE WHEN b THEN 'true' WHEN NOT b THEN 'false' END}, which every engine computes alike.
 */
final class BooleanText
{
    private BooleanText() {}

    static RelNode rewrite(RelNode rel)
    {
        RexBuilder rexBuilder = rel.getCluster().getRexBuilder();
        RexShuttle casts = new RexShuttle()
        {
            @Override
            public RexNode visitCall(RexCall call)
            {
                RexNode visited = super.visitCall(call);
                if (visited instanceof RexCall cast && cast.getKind() == SqlKind.CAST && SqlTypeUtil.inCharFamily(cast.getType())
                        && cast.getOperands().get(0).getType().getSqlTypeName() == SqlTypeName.BOOLEAN) {
                    RexNode value = cast.getOperands().get(0);
                    RexNode text = rexBuilder.makeCall(SqlStdOperatorTable.CASE, value, rexBuilder.makeLiteral("true"),
                            rexBuilder.makeCall(SqlStdOperatorTable.NOT, value), rexBuilder.makeLiteral("false"),
                            rexBuilder.makeNullLiteral(cast.getType()));
                    return rexBuilder.makeCast(cast.getType(), text, true, false);
                }
                return visited;
            }
        };
        return rel.accept(new RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                return super.visit(other).accept(casts);
            }
        });
    }
}
