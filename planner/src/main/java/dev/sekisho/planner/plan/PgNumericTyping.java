package dev.sekisho.planner.plan;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidatorScope;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * PostgreSQL's choice among a numeric function's or operator's overloads, where Calcite keeps the
 * operand's type: PostgreSQL has {@code real} arithmetic only with {@code real} and
 * {@code double precision} ({@code float4 / int} is {@code float8 / float8}); {@code sign},
 * {@code ceil}, {@code ceiling}, {@code floor} and {@code round} exist for
 * {@code double precision} and {@code numeric} only (an integer goes to double precision);
 * {@code ln}, {@code log}, {@code log10} and {@code sqrt} of {@code numeric} are numeric with PostgreSQL's scale
 * ({@link dev.sekisho.planner.pg.functions.PgMath}), {@code log(b, x)} exists for numeric only, and
 * {@code log}/{@code log10} of double precision are C's {@code log10} (exact for powers of ten).
 * Decided by the operands' types, before Calcite types the call.
 */
final class PgNumericTyping
{
    private static final Set<SqlKind> ARITHMETIC = Set.of(SqlKind.PLUS, SqlKind.MINUS, SqlKind.TIMES, SqlKind.DIVIDE);
    /** Functions PostgreSQL defines for double precision and numeric only, by name. */
    private static final Set<String> FLOAT_OR_NUMERIC = Set.of("sign", "round");

    private PgNumericTyping() {}

    static void resolve(SekishoValidator validator, SqlValidatorScope scope, SqlCall call)
    {
        if (call instanceof SqlCase caseCall) {
            SqlNodeList thens = caseCall.getThenOperands();
            List<SqlNode> values = new ArrayList<>(thens.getList());
            values.add(caseCall.getElseOperand());
            keepScales(validator, scope, values, (index, value) -> {
                if (index < thens.size()) {
                    thens.set(index, value);
                }
                else {
                    caseCall.setOperand(3, value);
                }
            });
            return;
        }
        String name = call.getOperator().getName().toLowerCase(Locale.ROOT);
        boolean arithmetic = ARITHMETIC.contains(call.getKind()) && call.operandCount() == 2;
        boolean rounding = call.operandCount() == 1 && (call.getKind() == SqlKind.CEIL || call.getKind() == SqlKind.FLOOR || FLOAT_OR_NUMERIC.contains(name));
        if (call.getKind() == SqlKind.COALESCE || name.equals("greatest") || name.equals("least")) {
            keepScales(validator, scope, call.getOperandList(), call::setOperand);
            return;
        }
        if (!(call instanceof SqlBasicCall basic)) {
            return;
        }
        boolean logarithm = Set.of("ln", "log", "log10", "sqrt").contains(name) && (call.operandCount() == 1 || call.operandCount() == 2 && name.equals("log"));
        if (!arithmetic && !rounding && !logarithm) {
            return;
        }
        List<SqlTypeName> types = new ArrayList<>();
        for (SqlNode operand : call.getOperandList()) {
            try {
                RelDataType type = validator.deriveType(scope, operand);
                types.add(type.getSqlTypeName());
            }
            catch (RuntimeException e) {
                return;
            }
        }
        if (arithmetic) {
            boolean real = types.contains(SqlTypeName.REAL);
            boolean allReal = types.stream().allMatch(type -> type == SqlTypeName.REAL);
            if (real && !allReal && types.stream().allMatch(PgNumericTyping::isNumber)) {
                // real op integer, real op numeric, real op double precision: float8 arithmetic over the widened real
                for (int i = 0; i < 2; i++) {
                    if (types.get(i) == SqlTypeName.REAL) {
                        call.setOperand(i, cast(call.operand(i), SqlTypeName.DOUBLE));
                    }
                }
            }
            return;
        }
        if (rounding) {
            if (isInteger(types.get(0))) {
                call.setOperand(0, cast(call.operand(0), SqlTypeName.DOUBLE));
            }
            return;
        }
        boolean numeric = types.contains(SqlTypeName.DECIMAL);
        boolean floating = types.stream().anyMatch(type -> type == SqlTypeName.DOUBLE || type == SqlTypeName.REAL || type == SqlTypeName.FLOAT);
        if (call.operandCount() == 2) {
            if (!floating && types.stream().allMatch(PgNumericTyping::isNumber)) {
                basic.setOperator(validator.function("pg_log"));
            }
        }
        else if (numeric) {
            basic.setOperator(validator.function(switch (name) {
                case "ln" -> "pg_ln";
                case "sqrt" -> "pg_sqrt";
                default -> "pg_log10";
            }));
        }
        else if (!name.equals("ln") && !name.equals("sqrt") && isNumber(types.get(0))) {
            basic.setOperator(validator.function("pg_log10_float"));
        }
    }

    /**
     * PostgreSQL's common type of numbers of different scales (or integers and numbers with a scale) is
     * {@code numeric} without a type modifier, and each value keeps its own scale: the values are
     * passed through {@code pg_numeric_value}, so that Calcite's common type is the unconstrained
     * numeric and no value is cast to the widest scale. Where all are of one type, nothing changes.
     *
     * @param values the value operands (a CASE's THEN results and ELSE, a COALESCE's arguments)
     * @param replace replaces the value operand at an index
     */
    private static void keepScales(SekishoValidator validator, SqlValidatorScope scope, List<SqlNode> values, BiConsumer<Integer, SqlNode> replace)
    {
        Set<String> types = new HashSet<>();
        boolean decimal = false;
        for (SqlNode operand : values) {
            if (operand == null || SqlUtil.isNullLiteral(operand, false)) {
                continue;
            }
            RelDataType type;
            try {
                type = validator.deriveType(scope, operand);
            }
            catch (RuntimeException e) {
                return;
            }
            SqlTypeName typeName = type.getSqlTypeName();
            if (typeName == SqlTypeName.NULL) {
                continue;
            }
            if (!isInteger(typeName) && typeName != SqlTypeName.DECIMAL) {
                return;
            }
            decimal |= typeName == SqlTypeName.DECIMAL;
            types.add(typeName + "(" + type.getPrecision() + "," + type.getScale() + ")");
        }
        if (!decimal || types.size() < 2) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            SqlNode operand = values.get(i);
            if (operand != null && !SqlUtil.isNullLiteral(operand, false)) {
                replace.accept(i, validator.function("pg_numeric_value").createCall(SqlParserPos.ZERO, operand));
            }
        }
    }

    private static boolean isNumber(SqlTypeName type)
    {
        return SqlTypeName.NUMERIC_TYPES.contains(type);
    }

    private static boolean isInteger(SqlTypeName type)
    {
        return type == SqlTypeName.INTEGER || type == SqlTypeName.SMALLINT || type == SqlTypeName.TINYINT || type == SqlTypeName.BIGINT;
    }

    private static SqlNode cast(SqlNode operand, SqlTypeName type)
    {
        return SqlStdOperatorTable.CAST.createCall(SqlParserPos.ZERO, operand,
                new SqlDataTypeSpec(new SqlBasicTypeNameSpec(type, SqlParserPos.ZERO), SqlParserPos.ZERO));
    }
}
