package dev.sekisho.planner.sql;

import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;

/**
 * Text comparisons for MySQL with the meaning of PostgreSQL's C collation. MySQL's collations
 * (utf8mb4_unicode_ci, 0900_ai_ci, ...) ignore case, accents and trailing spaces, so
 * {@code segment = 'BUSINESS'} matches {@code business} there and not in PostgreSQL. Comparing the
 * values' bytes is exact (UTF-8's byte order is code point order, and binary strings are not
 * padded), but a predicate on {@code CAST(col AS BINARY)} cannot use an index on {@code col}. So an
 * equality keeps the collation's comparison and adds the exact one ({@code col = 'x' AND
 * CAST(col AS BINARY) = CAST('x' AS BINARY)}): the index finds the candidates, the second test drops
 * the ones that differ in case or trailing spaces (measured in {@code TestTextCollation}); LIKE
 * does the same with a binary collation. Between two {@code char(n)} values trailing spaces do not
 * count, as in PostgreSQL's {@code bpchar}.
 */
final class TextComparisons
{
    /** The value's bytes: {@code CAST(x AS BINARY)} in MySQL. */
    static final SqlFunction BYTES = new SqlFunction("SEKISHO_TEXT_BYTES", SqlKind.OTHER_FUNCTION, ReturnTypes.explicit(SqlTypeName.VARBINARY),
            null, OperandTypes.CHARACTER, SqlFunctionCategory.SYSTEM);

    /** A {@code char(n)} value's bytes without trailing spaces: {@code CAST(RTRIM(x) AS BINARY)}. */
    static final SqlFunction PADDED_BYTES = new SqlFunction("SEKISHO_BPCHAR_BYTES", SqlKind.OTHER_FUNCTION, ReturnTypes.explicit(SqlTypeName.VARBINARY),
            null, OperandTypes.CHARACTER, SqlFunctionCategory.SYSTEM);

    /** The value under a binary collation, for LIKE: {@code CONVERT(x USING utf8mb4) COLLATE utf8mb4_bin}. */
    static final SqlFunction BINARY_COLLATED = new SqlFunction("SEKISHO_BINARY_COLLATED", SqlKind.OTHER_FUNCTION, ReturnTypes.ARG0,
            null, OperandTypes.CHARACTER, SqlFunctionCategory.SYSTEM);

    private TextComparisons() {}

    /** The bytes of a text value ({@code char(n)} without trailing spaces). */
    static RexNode bytes(RexBuilder rexBuilder, RexNode text)
    {
        return rexBuilder.makeCall(text.getType().getSqlTypeName() == SqlTypeName.CHAR ? PADDED_BYTES : BYTES, text);
    }

    /** {@code comparison} of two text operands, exact. */
    static RexNode exact(RexBuilder rexBuilder, RexCall comparison)
    {
        RexNode left = comparison.getOperands().get(0);
        RexNode right = comparison.getOperands().get(1);
        // PostgreSQL compares as bpchar (trailing spaces do not count) when a char(n) meets another char(n) or a literal
        boolean padded = isBpchar(left) && (isBpchar(right) || right instanceof org.apache.calcite.rex.RexLiteral)
                || isBpchar(right) && left instanceof org.apache.calcite.rex.RexLiteral;
        SqlFunction bytes = padded ? PADDED_BYTES : BYTES;
        RexNode exact = rexBuilder.makeCall(comparison.getOperator(), rexBuilder.makeCall(bytes, left), rexBuilder.makeCall(bytes, right));
        if (comparison.getKind() == SqlKind.EQUALS) {
            return org.apache.calcite.rex.RexUtil.composeConjunction(rexBuilder, List.of(comparison, exact));
        }
        return exact;
    }

    /** A char(n) value, or one widened to another char length for the comparison. */
    private static boolean isBpchar(RexNode node)
    {
        if (node instanceof RexCall cast && cast.getKind() == SqlKind.CAST) {
            return cast.getOperands().get(0).getType().getSqlTypeName() == SqlTypeName.CHAR && !(cast.getOperands().get(0) instanceof org.apache.calcite.rex.RexLiteral);
        }
        return node.getType().getSqlTypeName() == SqlTypeName.CHAR && !(node instanceof org.apache.calcite.rex.RexLiteral);
    }

    /** A case-sensitive LIKE, exact: the collation's LIKE (which an index can serve for a prefix) and the binary one. */
    static RexNode exactLike(RexBuilder rexBuilder, RexCall like)
    {
        List<RexNode> operands = new ArrayList<>(like.getOperands());
        operands.set(0, rexBuilder.makeCall(BINARY_COLLATED, operands.get(0)));
        RexNode exact = rexBuilder.makeCall(like.getType(), like.getOperator(), operands);
        if (((org.apache.calcite.sql.fun.SqlLikeOperator) like.getOperator()).isNegated()) {
            return exact;
        }
        return org.apache.calcite.rex.RexUtil.composeConjunction(rexBuilder, List.of(like, exact));
    }
}
