package dev.sekisho.planner.plan;

import dev.sekisho.planner.pg.functions.PgNumeric;
import dev.sekisho.planner.types.PostgresTypeSystem;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.rules.AggregateReduceFunctionsRule;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

import java.util.EnumSet;

/**
 * PostgreSQL's {@code numeric} semantics for plans the gateway runs itself: {@code avg} is
 * {@code sum / count}, and a division of exact numbers with a {@code numeric} result is
 * {@link PgNumeric#divide} (PostgreSQL's result scale, 22012 for zero) rather than Calcite's
 * {@code BigDecimal} division; a cast to {@code numeric} without a type modifier keeps the value's
 * digits instead of rounding to the planner's stand-in scale of 0; {@code power} (and so {@code sqrt})
 * and {@code ln} of double precision raise PostgreSQL's errors where Java answers NaN or an infinity.
 */
final class LocalNumericSemantics
{
    private static final SqlUserDefinedFunction DIVIDE = function("pg_numeric_div", "divide");
    private static final SqlUserDefinedFunction UNBOUNDED = function("pg_numeric", "unbounded");
    private static final SqlUserDefinedFunction POWER = function(dev.sekisho.planner.pg.functions.PgMath.class, "pg_power_float", "pg_power_float");
    private static final SqlUserDefinedFunction LN = function(dev.sekisho.planner.pg.functions.PgMath.class, "pg_ln_float", "pg_ln_float");

    private LocalNumericSemantics() {}

    static RelNode rewrite(RelNode rel)
    {
        RelNode reduced = reduceAverages(rel);
        RexBuilder rexBuilder = rel.getCluster().getRexBuilder();
        RelHomogeneousShuttle[] relShuttle = new RelHomogeneousShuttle[1];
        RexShuttle rexShuttle = new Expressions(rexBuilder)
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
                return super.visit(other).accept(rexShuttle);
            }
        };
        return reduced.accept(relShuttle[0]);
    }

    /** {@code avg(x)} as {@code sum(x) / count(x)}, so that the quotient is PostgreSQL's. */
    static RelNode reduceAverages(RelNode rel)
    {
        HepPlanner averages = new HepPlanner(new HepProgramBuilder()
                .addRuleInstance(AggregateReduceFunctionsRule.Config.DEFAULT.withFunctionsToReduce(EnumSet.of(SqlKind.AVG)).toRule())
                .build());
        averages.setRoot(rel);
        return averages.findBestExp();
    }

    /** An expression with PostgreSQL's numeric division and casts to {@code numeric}. */
    static RexNode rewrite(RexNode expression, RexBuilder rexBuilder)
    {
        return expression.accept(new Expressions(rexBuilder));
    }

    private static class Expressions
            extends RexShuttle
    {
        private final RexBuilder rexBuilder;

        Expressions(RexBuilder rexBuilder)
        {
            this.rexBuilder = rexBuilder;
        }

        @Override
        public RexNode visitCall(RexCall call)
        {
            RexNode visited = super.visitCall(call);
            if (!(visited instanceof RexCall result)) {
                return visited;
            }
            if (result.getKind() == SqlKind.DIVIDE && result.getType().getSqlTypeName() == SqlTypeName.DECIMAL
                    && result.getOperands().stream().allMatch(operand -> SqlTypeUtil.isExactNumeric(operand.getType()))) {
                RelDataType type = rexBuilder.getTypeFactory().createTypeWithNullability(unbounded(rexBuilder), result.getType().isNullable());
                return rexBuilder.makeCall(type, DIVIDE, result.getOperands().stream().map(operand -> asDecimal(rexBuilder, operand)).toList());
            }
            if ((result.getOperator() == SqlStdOperatorTable.POWER || result.getOperator() == SqlStdOperatorTable.LN)
                    && result.getType().getSqlTypeName() == SqlTypeName.DOUBLE) {
                // PostgreSQL's errors for the arguments it rejects, where Java answers NaN or an infinity (sqrt is a power of 0.5 here)
                return rexBuilder.makeCall(result.getType(), result.getOperator() == SqlStdOperatorTable.POWER ? POWER : LN,
                        result.getOperands().stream().map(operand -> asDouble(rexBuilder, operand)).toList());
            }
            if (result.getKind() == SqlKind.CAST && PostgresTypeSystem.isUnboundedNumeric(result.getType())
                    && SqlTypeUtil.isExactNumeric(result.getOperands().get(0).getType())) {
                return rexBuilder.makeCall(result.getType(), UNBOUNDED, java.util.List.of(asDecimal(rexBuilder, result.getOperands().get(0))));
            }
            return result;
        }
    }

    private static RexNode asDouble(RexBuilder rexBuilder, RexNode operand)
    {
        if (operand.getType().getSqlTypeName() == SqlTypeName.DOUBLE) {
            return operand;
        }
        RelDataType type = rexBuilder.getTypeFactory().createTypeWithNullability(
                rexBuilder.getTypeFactory().createSqlType(SqlTypeName.DOUBLE), operand.getType().isNullable());
        return rexBuilder.makeCast(type, operand);
    }

    private static RelDataType unbounded(RexBuilder rexBuilder)
    {
        return rexBuilder.getTypeFactory().createSqlType(SqlTypeName.DECIMAL, rexBuilder.getTypeFactory().getTypeSystem().getMaxPrecision(SqlTypeName.DECIMAL), 0);
    }

    /** An exact operand as a {@code BigDecimal} (integers keep scale 0, which is their display scale). */
    private static RexNode asDecimal(RexBuilder rexBuilder, RexNode operand)
    {
        if (operand.getType().getSqlTypeName() == SqlTypeName.DECIMAL) {
            return operand;
        }
        RelDataType type = rexBuilder.getTypeFactory().createTypeWithNullability(
                rexBuilder.getTypeFactory().createSqlType(SqlTypeName.DECIMAL, 19, 0), operand.getType().isNullable());
        return rexBuilder.makeCast(type, operand);
    }

    private static SqlUserDefinedFunction function(String name, String method)
    {
        return function(PgNumeric.class, name, method);
    }

    private static SqlUserDefinedFunction function(Class<?> owner, String name, String method)
    {
        java.lang.reflect.Method implementation = java.util.Arrays.stream(owner.getMethods())
                .filter(candidate -> candidate.getName().equals(method))
                .findFirst()
                .orElseThrow();
        return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, opBinding -> opBinding.getOperandType(0),
                null, null, ScalarFunctionImpl.create(implementation));
    }
}
