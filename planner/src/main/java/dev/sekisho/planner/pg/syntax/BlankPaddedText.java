package dev.sekisho.planner.pg.syntax;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

import java.util.Locale;
import java.util.Set;

/**
 * PostgreSQL's {@code char(n)} (bpchar) as text: its trailing spaces do not count, so
 * {@code 'x'::char(3) || 'y'} is {@code xy} and {@code length('a  '::char(3))} is 1. Calcite pads a
 * cast to {@code CHAR(n)} and keeps the padding where it concatenates or counts, so a value cast
 * to {@code char(n)} that is concatenated or measured has its trailing spaces trimmed first. Source
 * columns need nothing: MySQL returns {@code CHAR} columns without their padding.
 */
public final class BlankPaddedText
{
    private static final Set<String> TEXT_OF_OPERANDS = Set.of("||", "concat", "concat_ws", "length", "char_length", "character_length");
    private static final Set<String> BLANK_PADDED = Set.of("char", "character", "bpchar");

    private BlankPaddedText() {}

    public static SqlNode rewrite(SqlNode node)
    {
        return node.accept(new SqlShuttle()
        {
            @Override
            public SqlNode visit(SqlCall call)
            {
                SqlNode visited = super.visit(call);
                if (visited instanceof SqlCall rewritten && TEXT_OF_OPERANDS.contains(rewritten.getOperator().getName().toLowerCase(Locale.ROOT))) {
                    for (int i = 0; i < rewritten.operandCount(); i++) {
                        if (isBlankPaddedCast(rewritten.operand(i))) {
                            rewritten.setOperand(i, trimTrailing(rewritten.operand(i)));
                        }
                    }
                }
                return visited;
            }
        });
    }

    private static boolean isBlankPaddedCast(SqlNode node)
    {
        return node instanceof SqlCall cast && cast.getKind() == SqlKind.CAST && cast.operandCount() == 2
                && cast.operand(1) instanceof SqlDataTypeSpec spec && spec.getTypeName().isSimple()
                && BLANK_PADDED.contains(spec.getTypeName().getSimple().toLowerCase(Locale.ROOT));
    }

    private static SqlNode trimTrailing(SqlNode value)
    {
        SqlParserPos pos = value.getParserPosition();
        return SqlStdOperatorTable.TRIM.createCall(pos, SqlTrimFunction.Flag.TRAILING.symbol(pos), SqlLiteral.createCharString(" ", pos), value);
    }
}
