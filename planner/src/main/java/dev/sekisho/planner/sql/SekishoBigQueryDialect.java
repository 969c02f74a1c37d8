package dev.sekisho.planner.sql;

import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.BigQuerySqlDialect;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * GoogleSQL (BigQuery) that keeps the meaning the planner gives an expression, in particular the
 * values of the built-in masks (see the planner's {@code MaskExpressions}):
 * <ul>
 * <li>{@code SHA256(x)} is {@code TO_HEX(SHA256(x))}: BigQuery's SHA256 gives BYTES;</li>
 * <li>{@code FLOOR(x TO YEAR)} is {@code DATE_TRUNC(x, YEAR)}, which keeps DATE, DATETIME and TIMESTAMP;</li>
 * <li>the phone mask's look-ahead pattern, which RE2 cannot run, becomes a split at the fourth
 *     digit from the end (see {@link Dialects#PHONE_MASK_PATTERN} and {@link #PHONE_SUFFIX});</li>
 * <li>decimal literals are {@code NUMERIC '0.5'} (a bare {@code 0.5} is FLOAT64 in BigQuery) and
 *     casts to DECIMAL(p, s) are casts to {@code NUMERIC(p, s)} or {@code BIGNUMERIC(p, s)}, so
 *     that arithmetic stays exact and rounds halves away from zero;</li>
 * <li>PostgreSQL's {@code concat}, which skips NULL arguments, coalesces each argument to {@code ''};</li>
 * <li>string literals use BigQuery's escapes and no character-set prefix.</li>
 * </ul>
 */
final class SekishoBigQueryDialect
        extends BigQuerySqlDialect
{
    static final SekishoBigQueryDialect INSTANCE = new SekishoBigQueryDialect(BigQuerySqlDialect.DEFAULT_CONTEXT);

    /**
     * The last four digits of a value and everything after them (or from its first digit, if it has
     * four or fewer): the leftmost match of this pattern anchored at the end. What comes before it
     * has its digits masked.
     */
    static final String PHONE_SUFFIX = "(?:[0-9][^0-9]*){0,4}$";

    /** Functions, by name, that BigQuery runs with PostgreSQL's meaning (or that unparsing here maps). */
    private static final java.util.Set<String> PUSHABLE_FUNCTIONS = java.util.Set.of(
            "||", "CONCAT", "UPPER", "LOWER", "SUBSTRING", "SUBSTR", "CHAR_LENGTH", "CHARACTER_LENGTH", "LENGTH", "REPLACE", "LEFT", "RIGHT",
            "REPEAT", "LPAD", "RPAD", "MD5", "SHA256", "ABS", "ROUND", "POWER", "SQRT", "EXP", "LN", "LOG10", "SIGN", "REGEXP_REPLACE", "REVERSE",
            "CURRENT_DATE", "CURRENT_TIMESTAMP");

    /** Only what BigQuery runs as PostgreSQL does; a statement using anything else runs in the gateway. */
    @Override
    public boolean supportsFunction(org.apache.calcite.sql.SqlOperator operator, org.apache.calcite.rel.type.RelDataType type,
            java.util.List<org.apache.calcite.rel.type.RelDataType> paramTypes)
    {
        return SourcePushdown.isStandardOperator(operator) || PUSHABLE_FUNCTIONS.contains(operator.getName().toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public boolean supportsAggregateFunction(SqlKind kind)
    {
        return switch (kind) {
            case COUNT, SUM, SUM0, MIN, MAX, AVG, SINGLE_VALUE -> true;
            default -> false;
        };
    }

    private SekishoBigQueryDialect(SqlDialect.Context context)
    {
        super(context);
    }

    @Override
    public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec)
    {
        if (call.getOperator() == SqlLibraryOperators.SHA256) {
            // the hash mask: lower-case hex SHA-256 of the string's UTF-8 bytes
            SqlWriter.Frame hex = writer.startFunCall("TO_HEX");
            SqlWriter.Frame sha = writer.startFunCall("SHA256");
            call.operand(0).unparse(writer, 0, 0);
            writer.endFunCall(sha);
            writer.endFunCall(hex);
            return;
        }
        if (call.getKind() == SqlKind.FLOOR && call.operandCount() == 2 && isYear(call.operand(1))) {
            // the year mask: DATE_TRUNC keeps the operand's type (DATE, DATETIME or TIMESTAMP)
            SqlWriter.Frame frame = writer.startFunCall("DATE_TRUNC");
            call.operand(0).unparse(writer, 0, 0);
            writer.sep(",");
            writer.keyword("YEAR");
            writer.endFunCall(frame);
            return;
        }
        if (isPhoneMask(call)) {
            unparsePhoneMask(writer, call.operand(0));
            return;
        }
        if (call.getOperator() == SqlLibraryOperators.CONCAT_FUNCTION_WITH_NULL) {
            // PostgreSQL's concat() treats NULL arguments as empty; BigQuery's CONCAT returns NULL
            SqlWriter.Frame frame = writer.startFunCall("CONCAT");
            for (SqlNode operand : call.getOperandList()) {
                writer.sep(",");
                SqlWriter.Frame coalesce = writer.startFunCall("COALESCE");
                SqlWriter.Frame cast = writer.startFunCall("CAST");
                operand.unparse(writer, 0, 0);
                writer.sep("AS");
                writer.keyword("STRING");
                writer.endFunCall(cast);
                writer.sep(",");
                writer.literal("''");
                writer.endFunCall(coalesce);
            }
            writer.endFunCall(frame);
            return;
        }
        super.unparseCall(writer, call, leftPrec, rightPrec);
    }

    private static boolean isPhoneMask(SqlCall call)
    {
        return call.getOperator().getName().equalsIgnoreCase("REGEXP_REPLACE")
                && call.operandCount() == 3
                && call.operand(1) instanceof SqlLiteral pattern
                && Dialects.PHONE_MASK_PATTERN.equals(pattern.toValue())
                && call.operand(2) instanceof SqlLiteral replacement
                && "*".equals(replacement.toValue());
    }

    /**
     * {@code CONCAT(REGEXP_REPLACE(REGEXP_REPLACE(v, suffix, ''), '[0-9]', '*'), REGEXP_EXTRACT(v, suffix))}:
     * the digits before the last four are masked, the rest is kept, without look-ahead.
     */
    private void unparsePhoneMask(SqlWriter writer, SqlNode value)
    {
        SqlWriter.Frame concat = writer.startFunCall("CONCAT");
        SqlWriter.Frame mask = writer.startFunCall("REGEXP_REPLACE");
        SqlWriter.Frame prefix = writer.startFunCall("REGEXP_REPLACE");
        value.unparse(writer, 0, 0);
        writer.sep(",");
        writer.literal(quoteStringLiteral(PHONE_SUFFIX));
        writer.sep(",");
        writer.literal("''");
        writer.endFunCall(prefix);
        writer.sep(",");
        writer.literal("'[0-9]'");
        writer.sep(",");
        writer.literal("'*'");
        writer.endFunCall(mask);
        writer.sep(",");
        SqlWriter.Frame suffix = writer.startFunCall("REGEXP_EXTRACT");
        value.unparse(writer, 0, 0);
        writer.sep(",");
        writer.literal(quoteStringLiteral(PHONE_SUFFIX));
        writer.endFunCall(suffix);
        writer.endFunCall(concat);
    }

    private static boolean isYear(SqlNode unit)
    {
        if (unit instanceof SqlIntervalQualifier qualifier) {
            return qualifier.timeUnitRange == TimeUnitRange.YEAR;
        }
        return unit instanceof SqlLiteral literal && literal.getValue() == TimeUnitRange.YEAR;
    }

    @Override
    public void unparseNumericLiteral(SqlWriter writer, String toString, int leftPrec, int rightPrec)
    {
        if (toString.indexOf('.') >= 0 && toString.toUpperCase(Locale.ROOT).indexOf('E') < 0) {
            // an exact decimal: in BigQuery a bare 1.5 is FLOAT64
            writer.literal((fitsNumeric(new BigDecimal(toString)) ? "NUMERIC '" : "BIGNUMERIC '") + toString + "'");
            return;
        }
        super.unparseNumericLiteral(writer, toString, leftPrec, rightPrec);
    }

    /** NUMERIC holds 29 integer and 9 fractional digits; BIGNUMERIC 38 and 38. */
    private static boolean fitsNumeric(BigDecimal value)
    {
        return value.scale() <= 9 && value.precision() - value.scale() <= 29;
    }

    @Override
    public void quoteStringLiteral(StringBuilder buf, String charsetName, String val)
    {
        buf.append('\'');
        for (int i = 0; i < val.length(); i++) {
            char c = val.charAt(i);
            switch (c) {
                case '\\' -> buf.append("\\\\");
                case '\'' -> buf.append("\\'");
                case '\n' -> buf.append("\\n");
                case '\r' -> buf.append("\\r");
                case '\t' -> buf.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        buf.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    }
                    else {
                        buf.append(c);
                    }
                }
            }
        }
        buf.append('\'');
    }

    @Override
    public SqlNode getCastSpec(RelDataType type)
    {
        if (type.getSqlTypeName() == SqlTypeName.DECIMAL) {
            // parameterized types round to the scale (halves away from zero), like PostgreSQL's numeric(p, s)
            int scale = Math.max(0, type.getScale());
            int precision = Math.max(Math.max(1, scale), type.getPrecision());
            boolean numeric = scale <= 9 && precision - scale <= 29;
            String name = numeric ? "NUMERIC" : "BIGNUMERIC";
            if (!numeric && (scale > 38 || precision - scale > 38)) {
                return alien(name, type);
            }
            return alien(name + "(" + precision + ", " + scale + ")", type);
        }
        return super.getCastSpec(type);
    }

    private static SqlNode alien(String name, RelDataType type)
    {
        return new SqlDataTypeSpec(new SqlAlienSystemTypeNameSpec(name, type.getSqlTypeName(), SqlParserPos.ZERO), SqlParserPos.ZERO);
    }
}
