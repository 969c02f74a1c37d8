package dev.sekisho.planner.plan;

import dev.sekisho.planner.pg.catalog.PgTypeInfo;
import dev.sekisho.planner.types.TypeMapping;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;

/**
 * {@code pg_typeof(x)}: replaced, once the plan is typed, by the name of {@code x}'s type as
 * PostgreSQL prints it ({@code integer}, {@code character varying}, {@code timestamp with time zone}...),
 * the type a client sees for a column of that expression.
 */
final class PgTypeOf
{
    private PgTypeOf() {}

    static RelNode rewrite(RelNode plan, RexBuilder rexBuilder)
    {
        RexShuttle calls = new RexShuttle()
        {
            @Override
            public RexNode visitCall(RexCall call)
            {
                RexCall visited = (RexCall) super.visitCall(call);
                if (visited.getOperator().getName().equalsIgnoreCase("pg_typeof") && visited.getOperands().size() == 1) {
                    int oid = PgTypeInfo.oidOf(TypeMapping.toColumnType(visited.getOperands().get(0).getType()));
                    String name = PgTypeInfo.byOid(oid).map(PgTypeInfo::displayName).orElse("unknown");
                    return rexBuilder.makeLiteral(name, visited.getType(), true);
                }
                return visited;
            }
        };
        return plan.accept(new RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                return super.visit(other).accept(calls);
            }
        });
    }
}
