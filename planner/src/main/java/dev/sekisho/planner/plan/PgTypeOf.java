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

    /** The fields of the plan's row that are {@code pg_typeof(x)}, which PostgreSQL types {@code regtype}. */
    static java.util.Set<Integer> fields(RelNode plan)
    {
        RelNode node = plan;
        while (node instanceof org.apache.calcite.rel.core.Sort || node instanceof org.apache.calcite.rel.core.Filter) {
            node = node.getInput(0);
        }
        java.util.Set<Integer> fields = new java.util.HashSet<>();
        if (node instanceof org.apache.calcite.rel.core.Project project) {
            for (int i = 0; i < project.getProjects().size(); i++) {
                if (project.getProjects().get(i) instanceof RexCall call && call.getOperator().getName().equalsIgnoreCase("pg_typeof")) {
                    fields.add(i);
                }
            }
        }
        return fields;
    }

    /**
     * The name PostgreSQL gives the type of {@code operand}: a string literal or NULL is
     * {@code unknown}, text functions and operators over strings return {@code text}, the JSON
     * constructors {@code json}; else the name of the type the planner derived.
     */
    private static String typeName(RexNode operand)
    {
        if (operand instanceof org.apache.calcite.rex.RexLiteral literal
                && (literal.isNull() || org.apache.calcite.sql.type.SqlTypeUtil.inCharFamily(literal.getType()))) {
            return "unknown";
        }
        if (operand instanceof RexCall call) {
            if (call.getOperator() == org.apache.calcite.sql.fun.SqlStdOperatorTable.CURRENT_TIMESTAMP) {
                // PostgreSQL's is timestamp with time zone, which Sekisho does not have yet: an error, not another type's name
                throw new dev.sekisho.planner.spi.QueryException(dev.sekisho.planner.spi.SqlStates.FEATURE_NOT_SUPPORTED,
                        "pg_typeof(now()) is not supported: now() and current_timestamp are timestamp without time zone (UTC) in Sekisho",
                        "Use localtimestamp, which is timestamp without time zone in PostgreSQL too.", null);
            }
            String function = call.getOperator().getName().toLowerCase(java.util.Locale.ROOT);
            if (java.util.Set.of("json_build_object", "json_build_array", "to_json", "row_to_json", "pg_json_agg").contains(function)) {
                return "json";
            }
            if (org.apache.calcite.sql.type.SqlTypeUtil.inCharFamily(call.getType()) && call.getKind() != org.apache.calcite.sql.SqlKind.CAST) {
                return "text";
            }
        }
        int oid = PgTypeInfo.oidOf(TypeMapping.toColumnType(operand.getType()));
        return PgTypeInfo.byOid(oid).map(PgTypeInfo::displayName).orElse("unknown");
    }

    static RelNode rewrite(RelNode plan, RexBuilder rexBuilder)
    {
        RexShuttle calls = new RexShuttle()
        {
            @Override
            public RexNode visitCall(RexCall call)
            {
                RexCall visited = (RexCall) super.visitCall(call);
                if (visited.getOperator().getName().equalsIgnoreCase("pg_typeof") && visited.getOperands().size() == 1) {
                    return rexBuilder.makeLiteral(typeName(visited.getOperands().get(0)), visited.getType(), true);
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
