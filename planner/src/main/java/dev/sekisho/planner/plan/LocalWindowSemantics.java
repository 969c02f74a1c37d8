package dev.sekisho.planner.plan;

import com.google.common.collect.ImmutableList;
import dev.sekisho.planner.pg.functions.PgNtile;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexWindow;
import org.apache.calcite.rex.RexWindowBounds;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

import java.util.List;

/**
 * PostgreSQL's window semantics for plans the gateway runs itself, where Calcite's differ:
 * {@code ntile(n)} is {@link PgNtile#bucket} of the row's {@code row_number()} and the partition's
 * {@code count(*)} (a source that runs the window itself, MariaDB's NTILE, already distributes as
 * PostgreSQL does).
 */
final class LocalWindowSemantics
{
    private static final SqlUserDefinedFunction NTILE = new SqlUserDefinedFunction(new SqlIdentifier("pg_ntile", SqlParserPos.ZERO),
            SqlKind.OTHER_FUNCTION, opBinding -> opBinding.getTypeFactory().createTypeWithNullability(
                    opBinding.getTypeFactory().createSqlType(SqlTypeName.INTEGER), opBinding.getOperandType(0).isNullable()),
            null, null, ScalarFunctionImpl.create(java.util.Arrays.stream(PgNtile.class.getMethods())
                    .filter(method -> method.getName().equals("bucket")).findFirst().orElseThrow()));

    private LocalWindowSemantics() {}

    static RelNode rewrite(RelNode rel)
    {
        RexBuilder rexBuilder = rel.getCluster().getRexBuilder();
        RelHomogeneousShuttle[] relShuttle = new RelHomogeneousShuttle[1];
        RexShuttle rexShuttle = new RexShuttle()
        {
            @Override
            public RexNode visitOver(RexOver over)
            {
                RexNode visited = super.visitOver(over);
                return visited instanceof RexOver window && window.getAggOperator().getKind() == SqlKind.NTILE ? ntile(rexBuilder, window) : visited;
            }

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
                return super.visit(other).accept(rexShuttle);
            }
        };
        return rel.accept(relShuttle[0]);
    }

    /** {@code ntile(n) OVER w} as {@code pg_ntile(n, row_number() OVER w, count(*) OVER (PARTITION BY w's partition))}. */
    private static RexNode ntile(RexBuilder rexBuilder, RexOver over)
    {
        RexWindow window = over.getWindow();
        RelDataType bigint = rexBuilder.getTypeFactory().createSqlType(SqlTypeName.BIGINT);
        RexNode rowNumber = rexBuilder.makeOver(bigint, SqlStdOperatorTable.ROW_NUMBER, List.of(), window.partitionKeys, window.orderKeys,
                RexWindowBounds.UNBOUNDED_PRECEDING, RexWindowBounds.CURRENT_ROW, true, true, false, false, false);
        RexNode rows = rexBuilder.makeOver(bigint, SqlStdOperatorTable.COUNT, List.of(), window.partitionKeys, ImmutableList.of(),
                RexWindowBounds.UNBOUNDED_PRECEDING, RexWindowBounds.UNBOUNDED_FOLLOWING, true, true, false, false, false);
        RexNode buckets = over.getOperands().get(0);
        if (buckets.getType().getSqlTypeName() != SqlTypeName.INTEGER) {
            buckets = rexBuilder.makeCast(rexBuilder.getTypeFactory().createTypeWithNullability(
                    rexBuilder.getTypeFactory().createSqlType(SqlTypeName.INTEGER), buckets.getType().isNullable()), buckets);
        }
        RexNode bucket = rexBuilder.makeCall(NTILE, buckets, rowNumber, rows);
        return rexBuilder.makeCast(over.getType(), bucket, true, false);
    }
}
