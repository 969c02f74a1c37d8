// Over 600 lines: the MySQL spelling of every pushed-down PostgreSQL function in one dialect, as Calcite dialects are; to be split by function family.
package dev.sekisho.planner.sql;

import dev.sekisho.planner.pg.functions.PgDateFunctions;
import dev.sekisho.planner.spi.RaisedErrors;
import dev.sekisho.planner.types.PostgresTypeSystem;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.dialect.MysqlSqlDialect;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.InferTypes;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * MySQL/MariaDB SQL that keeps PostgreSQL's meaning: {@code ||} is {@code CONCAT}, {@code ILIKE}
 * compares lower-cased operands, integer division is {@code DIV} (see {@link #INTEGER_DIVIDE}),
 * backslashes in literals are escaped, and casts use the target types MySQL accepts.
 * NULL ordering is emulated by {@link MysqlSqlDialect} ({@code x IS NULL, x}).
 */
final class SekishoMysqlDialect
        extends MysqlSqlDialect
{
    static final SekishoMysqlDialect INSTANCE = new SekishoMysqlDialect(MysqlSqlDialect.DEFAULT_CONTEXT.withDatabaseMajorVersion(8));

    /** MySQL's integer division, which truncates like PostgreSQL's {@code int / int}. */
    static final SqlBinaryOperator INTEGER_DIVIDE = new SqlBinaryOperator("DIV", SqlKind.OTHER, 60, true,
            ReturnTypes.ARG0_NULLABLE, InferTypes.FIRST_KNOWN, OperandTypes.EXACT_NUMERIC_EXACT_NUMERIC);

    private static final java.util.Set<SqlKind> UNSUPPORTED = java.util.EnumSet.of(
            SqlKind.SIMILAR, SqlKind.POSIX_REGEX_CASE_SENSITIVE, SqlKind.POSIX_REGEX_CASE_INSENSITIVE);

    /** Functions, by name, that MySQL runs with PostgreSQL's meaning (or that {@link #unparseCall} maps). */
    private static final java.util.Set<String> PUSHABLE_FUNCTIONS = java.util.Set.of(
            "||", "DIV", "CONCAT", "UPPER", "LOWER", "SUBSTRING", "SUBSTR", "CHAR_LENGTH", "CHARACTER_LENGTH", "LENGTH", "OCTET_LENGTH",
            "REPLACE", "LEFT", "RIGHT", "REPEAT", "LPAD", "RPAD", "MD5", "SHA256", "ASCII", "ABS", "ROUND", "POWER", "SQRT", "EXP", "LN",
            "LOG10", "SIGN", "PI", "SIN", "COS", "TAN", "ASIN", "ACOS", "ATAN", "ATAN2", "DEGREES", "RADIANS", "PG_DATE_TRUNC", "CURRENT_DATE",
            "REGEXP_REPLACE", "PG_DATE_ADD_DAYS", "PG_DATE_SUB_DAYS", "PG_DATE_DIFF_DAYS", "TRUNC",
            "CURRENT_TIMESTAMP", "LOCALTIMESTAMP", "LOCALTIME", "CURRENT_TIME", "ILIKE", "NOT ILIKE", "PG_NUMERIC_VALUE");

    private SekishoMysqlDialect(SqlDialect.Context context)
    {
        super(context);
    }

    /**
     * Only what MySQL runs as PostgreSQL does: a statement using anything else runs in the gateway
     * (see {@code SourcePushdown}); MySQL never receives a function it lacks, such as
     * {@code array_agg} or {@code json_build_object}.
     */
    @Override
    public boolean supportsFunction(org.apache.calcite.sql.SqlOperator operator, RelDataType type, java.util.List<RelDataType> paramTypes)
    {
        if (UNSUPPORTED.contains(operator.getKind()) || operator.getName().equalsIgnoreCase("TO_CHAR")) {
            return false;
        }
        if ((operator.getKind() == SqlKind.LAG || operator.getKind() == SqlKind.LEAD) && paramTypes.size() > 2) {
            // MariaDB's LAG and LEAD have no default value (the rewriter spells it out as a CASE)
            return false;
        }
        return SourcePushdown.isStandardOperator(operator) || PUSHABLE_FUNCTIONS.contains(operator.getName().toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * Whether MySQL computes {@code call} as PostgreSQL does, beyond its operator: a quotient of exact
     * numbers that is {@code numeric} gets a scale MySQL cannot give (PostgreSQL keeps at least 16
     * significant digits), and so does a cast of text or a float to {@code numeric}: they run in the gateway.
     */
    static boolean computesAsPostgres(org.apache.calcite.rex.RexCall call)
    {
        if (call.getKind() == SqlKind.DIVIDE && call.getType().getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.DECIMAL) {
            return false;
        }
        if (call.getOperator().getName().equalsIgnoreCase("REGEXP_REPLACE") && call.getOperator() != SqlLibraryOperators.REGEXP_REPLACE_3) {
            // MySQL replaces every match (as the phone mask's REGEXP_REPLACE_3 means): PostgreSQL's regexp_replace, as a client
            // writes it, only the first one unless the flag is 'g'
            return call.getOperands().size() == 4 && call.getOperands().get(3) instanceof org.apache.calcite.rex.RexLiteral flags
                    && "g".equals(flags.getValueAs(String.class));
        }
        // numeric without a modifier keeps an exact value's scale (SourceSqlGenerator casts to it); of text or a float the scale is the value's own
        return !(call.getKind() == SqlKind.CAST && PostgresTypeSystem.isUnboundedNumeric(call.getType())
                && !org.apache.calcite.sql.type.SqlTypeUtil.isExactNumeric(call.getOperands().get(0).getType()));
    }

    @Override
    public boolean supportsAggregateFunction(SqlKind kind)
    {
        return switch (kind) {
            case COUNT, SUM, SUM0, MIN, MAX, AVG, SINGLE_VALUE -> true;
            default -> false;
        };
    }

    @Override
    public void unparseCall(SqlWriter writer, SqlCall call, int leftPrec, int rightPrec)
    {
        if (UNSUPPORTED.contains(call.getKind()) || call.getOperator().getName().equalsIgnoreCase("TO_CHAR")) {
            // no MySQL equivalent with PostgreSQL's meaning: the planner runs the statement locally instead
            throw new UnsupportedOperationException("MySQL has no equivalent of " + call.getOperator().getName());
        }
        if (MathGuards.unparse(writer, call)) {
            return;
        }
        if (call.getKind() == SqlKind.OVER && (call.operand(0).getKind() == SqlKind.CUME_DIST || call.operand(0).getKind() == SqlKind.PERCENT_RANK)) {
            // MariaDB prints these doubles with 10 decimals (0.3333333333); as a DOUBLE cast, with every digit as PostgreSQL does
            SqlWriter.Frame cast = writer.startFunCall("CAST");
            super.unparseCall(writer, call, 0, 0);
            writer.sep("AS");
            writer.keyword("DOUBLE");
            writer.endFunCall(cast);
            return;
        }
        if (call.getOperator().getName().equalsIgnoreCase("PG_NUMERIC_VALUE")) {
            // the value itself (its own scale is kept only where the gateway computes it: see SourcePushdown)
            call.operand(0).unparse(writer, leftPrec, rightPrec);
            return;
        }
        if (call.getOperator() == TextComparisons.BYTES || call.getOperator() == TextComparisons.PADDED_BYTES) {
            SqlWriter.Frame cast = writer.startFunCall("CAST");
            if (call.getOperator() == TextComparisons.PADDED_BYTES) {
                SqlWriter.Frame rtrim = writer.startFunCall("RTRIM");
                call.operand(0).unparse(writer, 0, 0);
                writer.endFunCall(rtrim);
            }
            else {
                call.operand(0).unparse(writer, 0, 0);
            }
            writer.sep("AS");
            writer.keyword("BINARY");
            writer.endFunCall(cast);
            return;
        }
        if (call.getOperator() == TextComparisons.BINARY_COLLATED) {
            SqlWriter.Frame frame = writer.startList("(", ")");
            SqlWriter.Frame convert = writer.startFunCall("CONVERT");
            call.operand(0).unparse(writer, 0, 0);
            writer.sep("USING");
            writer.keyword("utf8mb4");
            writer.endFunCall(convert);
            writer.keyword("COLLATE");
            writer.keyword("utf8mb4_bin");
            writer.endList(frame);
            return;
        }
        if (call.getKind() == SqlKind.IS_NOT_DISTINCT_FROM || call.getKind() == SqlKind.IS_DISTINCT_FROM) {
            // MySQL's null-safe equality
            SqlWriter.Frame frame = writer.startList("(", ")");
            if (call.getKind() == SqlKind.IS_DISTINCT_FROM) {
                writer.keyword("NOT");
                writer.print("(");
            }
            call.operand(0).unparse(writer, 0, 0);
            writer.sep("<=>");
            call.operand(1).unparse(writer, 0, 0);
            if (call.getKind() == SqlKind.IS_DISTINCT_FROM) {
                writer.print(")");
            }
            writer.endList(frame);
            return;
        }
        if (call.getOperator() == SqlStdOperatorTable.CONCAT) {
            SqlWriter.Frame frame = writer.startFunCall("CONCAT");
            for (SqlNode operand : call.getOperandList()) {
                writer.sep(",");
                operand.unparse(writer, 0, 0);
            }
            writer.endFunCall(frame);
            return;
        }
        if (call.getOperator() == SqlLibraryOperators.CONCAT_FUNCTION_WITH_NULL) {
            // PostgreSQL's concat() skips NULL arguments, as CONCAT_WS does; MySQL's CONCAT returns NULL
            SqlWriter.Frame frame = writer.startFunCall("CONCAT_WS");
            writer.sep(",");
            writer.literal("''");
            for (SqlNode operand : call.getOperandList()) {
                writer.sep(",");
                operand.unparse(writer, 0, 0);
            }
            writer.endFunCall(frame);
            return;
        }
        if (call.getOperator().getName().equalsIgnoreCase(PgDateFunctions.DATE_TRUNC) && call.operandCount() == 2
                && call.operand(0) instanceof SqlLiteral unit) {
            unparseDateTrunc(writer, unit.getValueAs(String.class), call.operand(1));
            return;
        }
        if (call.getKind() == SqlKind.TIMES && call.operandCount() == 2
                && (call.operand(0) instanceof SqlIntervalLiteral || call.operand(1) instanceof SqlIntervalLiteral)) {
            boolean first = call.operand(0) instanceof SqlIntervalLiteral;
            unparseIntervalTimes(writer, (SqlIntervalLiteral) call.operand(first ? 0 : 1), call.operand(first ? 1 : 0));
            return;
        }
        if (call.getOperator().getName().equalsIgnoreCase("PI") && call.operandCount() == 0) {
            // MySQL's PI() prints 6 decimals; as a double it has them all
            writer.print("(PI() + 0E0)");
            return;
        }
        if ((call.getOperator().getName().equalsIgnoreCase("LEFT") || call.getOperator().getName().equalsIgnoreCase("RIGHT")) && call.operandCount() == 2) {
            unparseLeftRight(writer, call.getOperator().getName().equalsIgnoreCase("LEFT"), call.operand(0), call.operand(1));
            return;
        }
        if ((call.getOperator().getName().equalsIgnoreCase("SUBSTRING") || call.getOperator().getName().equalsIgnoreCase("SUBSTR")) && (call.operandCount() == 2 || call.operandCount() == 3)
                && !(call.operand(1) instanceof org.apache.calcite.sql.SqlCharStringLiteral)) {
            unparseSubstring(writer, call);
            return;
        }
        if (call.getOperator() == SqlLibraryOperators.LENGTH) {
            // PostgreSQL's length counts characters; MySQL's LENGTH counts bytes
            SqlWriter.Frame frame = writer.startFunCall("CHAR_LENGTH");
            call.operand(0).unparse(writer, 0, 0);
            writer.endFunCall(frame);
            return;
        }
        if (call.getOperator() == SqlLibraryOperators.SHA256) {
            // the hash mask: lower-case hex SHA-256 of the text's UTF-8 bytes
            SqlWriter.Frame frame = writer.startFunCall("SHA2");
            call.operand(0).unparse(writer, 0, 0);
            writer.sep(",", true);
            writer.literal("256");
            writer.endFunCall(frame);
            return;
        }
        if (call.getKind() == SqlKind.FLOOR && call.operandCount() == 2 && isYear(call.operand(1))) {
            // the year mask: a DATE in MySQL, where DATE_FORMAT would give text
            SqlWriter.Frame frame = writer.startFunCall("MAKEDATE");
            SqlWriter.Frame year = writer.startFunCall("YEAR");
            call.operand(0).unparse(writer, 0, 0);
            writer.endFunCall(year);
            writer.sep(",", true);
            writer.literal("1");
            writer.endFunCall(frame);
            return;
        }
        if (call.getKind() == SqlKind.CAST && call.operandCount() == 2 && call.operand(1) instanceof SqlDataTypeSpec spec
                && spec.getTypeName().getSimple().equalsIgnoreCase("BOOLEAN")) {
            unparseBooleanCast(writer, call.operand(0));
            return;
        }
        if (call.getOperator().getName().equalsIgnoreCase("REGEXP_REPLACE") && call.operandCount() == 4) {
            // with the flag 'g' (see computesAsPostgres): MySQL's three-argument form replaces every match
            SqlWriter.Frame frame = writer.startFunCall("REGEXP_REPLACE");
            for (int i = 0; i < 3; i++) {
                writer.sep(",");
                call.operand(i).unparse(writer, 0, 0);
            }
            writer.endFunCall(frame);
            return;
        }
        if ((call.getOperator().getName().equalsIgnoreCase("pg_date_add_days") || call.getOperator().getName().equalsIgnoreCase("pg_date_sub_days"))
                && call.operandCount() == 2) {
            // date + integer: MySQL's DATE plus an interval of days stays a DATE
            SqlWriter.Frame frame = writer.startList("(", ")");
            call.operand(0).unparse(writer, SqlStdOperatorTable.PLUS.getLeftPrec(), SqlStdOperatorTable.PLUS.getRightPrec());
            writer.sep(call.getOperator().getName().equalsIgnoreCase("pg_date_add_days") ? "+" : "-");
            writer.keyword("INTERVAL");
            SqlWriter.Frame days = writer.startList("(", ")");
            call.operand(1).unparse(writer, 0, 0);
            writer.endList(days);
            writer.keyword("DAY");
            writer.endList(frame);
            return;
        }
        if (call.getOperator() instanceof org.apache.calcite.sql.validate.SqlUserDefinedFunction && call.getOperator().getName().equalsIgnoreCase("DIV")
                && call.operandCount() == 2) {
            // PostgreSQL's div(y, x): the quotient truncated toward zero, as MySQL's DIV
            SqlWriter.Frame frame = writer.startList("(", ")");
            call.operand(0).unparse(writer, INTEGER_DIVIDE.getLeftPrec(), INTEGER_DIVIDE.getRightPrec());
            writer.sep("DIV");
            call.operand(1).unparse(writer, INTEGER_DIVIDE.getLeftPrec(), INTEGER_DIVIDE.getRightPrec());
            writer.endList(frame);
            return;
        }
        if (call.getOperator().getName().equalsIgnoreCase("TRUNC") && (call.operandCount() == 1 || call.operandCount() == 2)) {
            SqlWriter.Frame frame = writer.startFunCall("TRUNCATE");
            call.operand(0).unparse(writer, 0, 0);
            writer.sep(",", true);
            if (call.operandCount() == 2) {
                call.operand(1).unparse(writer, 0, 0);
            }
            else {
                writer.literal("0");
            }
            writer.endFunCall(frame);
            return;
        }
        if (call.getOperator().getName().equalsIgnoreCase("pg_date_diff_days") && call.operandCount() == 2) {
            SqlWriter.Frame frame = writer.startFunCall("DATEDIFF");
            call.operand(0).unparse(writer, 0, 0);
            writer.sep(",", true);
            call.operand(1).unparse(writer, 0, 0);
            writer.endFunCall(frame);
            return;
        }
        if ((call.getKind() == SqlKind.MIN || call.getKind() == SqlKind.MAX) && call.getOperator() instanceof org.apache.calcite.sql.SqlAggFunction
                && !call.getOperator().getName().equalsIgnoreCase(call.getKind().name())) {
            // bool_and and every are min over booleans, bool_or is max (MySQL's booleans are 0 and 1)
            SqlWriter.Frame frame = writer.startFunCall(call.getKind().name());
            call.operand(0).unparse(writer, 0, 0);
            writer.endFunCall(frame);
            return;
        }
        if (call.getKind() == SqlKind.EXTRACT && call.operandCount() == 2 && unparseExtractMySqlLacks(writer, call.operand(0), call.operand(1))) {
            return;
        }
        if (call.getKind() == SqlKind.EXTRACT && call.operandCount() == 2 && isTimeUnit(call.operand(0), TimeUnitRange.ISODOW)) {
            // ISO day of week, 1 (Monday) to 7: MySQL's WEEKDAY counts from 0 (Monday)
            SqlWriter.Frame frame = writer.startList("(", ")");
            SqlWriter.Frame weekday = writer.startFunCall("WEEKDAY");
            call.operand(1).unparse(writer, 0, 0);
            writer.endFunCall(weekday);
            writer.sep("+");
            writer.literal("1");
            writer.endList(frame);
            return;
        }
        if (call.getKind() == SqlKind.EXTRACT && call.operandCount() == 2 && isTimeUnit(call.operand(0), TimeUnitRange.WEEK)) {
            // ISO 8601 week number, as PostgreSQL's week: MySQL's WEEK in mode 3 (EXTRACT(WEEK) is mode 0, weeks from Sunday)
            SqlWriter.Frame frame = writer.startFunCall("WEEK");
            call.operand(1).unparse(writer, 0, 0);
            writer.sep(",", true);
            writer.literal("3");
            writer.endFunCall(frame);
            return;
        }
        if (call.getOperator() instanceof SqlLikeOperator like && !like.isCaseSensitive()) {
            unparseCaseInsensitiveLike(writer, call, like, leftPrec, rightPrec);
            return;
        }
        if (call.getKind() == SqlKind.OVER && call.operand(0).getKind() == SqlKind.NTILE && call.operand(1) instanceof org.apache.calcite.sql.SqlWindow window
                && window.getLowerBound() != null) {
            // MariaDB refuses a frame with NTILE (4017), which Calcite writes out; NTILE ignores the frame anyway
            org.apache.calcite.sql.SqlWindow unframed = org.apache.calcite.sql.SqlWindow.create(null, null, window.getPartitionList(), window.getOrderList(),
                    SqlLiteral.createBoolean(false, SqlParserPos.ZERO), null, null, null, SqlParserPos.ZERO);
            super.unparseCall(writer, SqlStdOperatorTable.OVER.createCall(SqlParserPos.ZERO, call.operand(0), unframed), leftPrec, rightPrec);
            return;
        }
        super.unparseCall(writer, call, leftPrec, rightPrec);
    }

    /**
     * A cast to boolean, which MySQL lacks (its booleans are integers): NULL stays NULL, a number is
     * true when it is not 0, a boolean stays itself; text runs in the gateway, which reads it as
     * PostgreSQL does.
     */
    private static void unparseBooleanCast(SqlWriter writer, SqlNode operand)
    {
        if (operand instanceof SqlLiteral literal && literal.getValue() == null) {
            writer.keyword("NULL");
            return;
        }
        if (operand instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.BOOLEAN) {
            literal.unparse(writer, 0, 0);
            return;
        }
        if (operand instanceof org.apache.calcite.sql.SqlNumericLiteral) {
            SqlWriter.Frame frame = writer.startList("(", ")");
            operand.unparse(writer, 0, 0);
            writer.sep("<>");
            writer.literal("0");
            writer.endList(frame);
            return;
        }
        throw new UnsupportedOperationException("MySQL has no cast to boolean of " + operand);
    }

    /**
     * The fields of {@code extract} that MySQL's EXTRACT lacks: the epoch (seconds since 1970-01-01
     * of the value as written, as PostgreSQL counts a timestamp without time zone), century, decade
     * and millennium. False for the other fields.
     */
    private static boolean unparseExtractMySqlLacks(SqlWriter writer, SqlNode unit, SqlNode value)
    {
        if (isTimeUnit(unit, TimeUnitRange.EPOCH)) {
            SqlWriter.Frame frame = writer.startFunCall("TIMESTAMPDIFF");
            writer.keyword("SECOND");
            writer.sep(",", true);
            writer.literal("'1970-01-01 00:00:00'");
            writer.sep(",", true);
            value.unparse(writer, 0, 0);
            writer.endFunCall(frame);
            return true;
        }
        String year;
        if (isTimeUnit(unit, TimeUnitRange.CENTURY)) {
            year = "FLOOR((YEAR(%s) - 1) / 100) + 1";
        }
        else if (isTimeUnit(unit, TimeUnitRange.MILLENNIUM)) {
            year = "FLOOR((YEAR(%s) - 1) / 1000) + 1";
        }
        else if (isTimeUnit(unit, TimeUnitRange.DECADE)) {
            year = "FLOOR(YEAR(%s) / 10)";
        }
        else {
            return false;
        }
        int at = year.indexOf("%s");
        writer.print("(" + year.substring(0, at));
        value.unparse(writer, 0, 0);
        writer.print(year.substring(at + 2) + ")");
        return true;
    }

    /**
     * PostgreSQL's {@code date_trunc} as a MySQL DATETIME (never text): the truncated value's
     * {@code DATE_FORMAT} cast back to DATETIME, from the year's first day plus whole quarters for a
     * quarter, and from the day minus {@code WEEKDAY} days (weeks from Monday) for a week.
     */
    private static void unparseDateTrunc(SqlWriter writer, String unit, SqlNode value)
    {
        String format = switch (PgDateFunctions.dateTruncUnit(unit)) {
            case "year" -> "%Y-01-01";
            case "month" -> "%Y-%m-01";
            case "day" -> "%Y-%m-%d";
            case "hour" -> "%Y-%m-%d %H:00:00";
            case "minute" -> "%Y-%m-%d %H:%i:00";
            case "second" -> "%Y-%m-%d %H:%i:%s";
            default -> null;
        };
        if (format != null) {
            SqlWriter.Frame cast = writer.startFunCall("CAST");
            SqlWriter.Frame dateFormat = writer.startFunCall("DATE_FORMAT");
            value.unparse(writer, 0, 0);
            writer.sep(",", true);
            writer.literal("'" + format + "'");
            writer.endFunCall(dateFormat);
            writer.sep("AS");
            writer.keyword("DATETIME");
            writer.endFunCall(cast);
            return;
        }
        SqlWriter.Frame frame = writer.startList("(", ")");
        SqlWriter.Frame timestamp = writer.startFunCall("TIMESTAMP");
        if (unit.equalsIgnoreCase("quarter")) {
            SqlWriter.Frame makeDate = writer.startFunCall("MAKEDATE");
            SqlWriter.Frame year = writer.startFunCall("YEAR");
            value.unparse(writer, 0, 0);
            writer.endFunCall(year);
            writer.sep(",", true);
            writer.literal("1");
            writer.endFunCall(makeDate);
            writer.endFunCall(timestamp);
            writer.sep("+");
            writer.keyword("INTERVAL");
            SqlWriter.Frame quarters = writer.startList("(", ")");
            SqlWriter.Frame quarter = writer.startFunCall("QUARTER");
            value.unparse(writer, 0, 0);
            writer.endFunCall(quarter);
            writer.sep("-");
            writer.literal("1");
            writer.endList(quarters);
            writer.keyword("QUARTER");
        }
        else {
            SqlWriter.Frame date = writer.startFunCall("DATE");
            value.unparse(writer, 0, 0);
            writer.endFunCall(date);
            writer.endFunCall(timestamp);
            writer.sep("-");
            writer.keyword("INTERVAL");
            SqlWriter.Frame weekday = writer.startFunCall("WEEKDAY");
            value.unparse(writer, 0, 0);
            writer.endFunCall(weekday);
            writer.keyword("DAY");
        }
        writer.endList(frame);
    }

    /**
     * {@code n * INTERVAL 'k' UNIT} (PostgreSQL's numeric times interval, as in {@code d + n * INTERVAL '1 day'}):
     * MySQL has no interval values, only {@code INTERVAL expr UNIT} as an operand of {@code +}/{@code -},
     * so {@code INTERVAL (n) * k UNIT}. Intervals of several fields or fractional counts run in the gateway.
     */
    private static void unparseIntervalTimes(SqlWriter writer, SqlIntervalLiteral interval, SqlNode factor)
    {
        SqlIntervalLiteral.IntervalValue value = interval.getValueAs(SqlIntervalLiteral.IntervalValue.class);
        SqlIntervalQualifier qualifier = value.getIntervalQualifier();
        String count = value.getIntervalLiteral().strip();
        if (!qualifier.isSingleDatetimeField() || !count.matches("\\d+")) {
            throw new UnsupportedOperationException("MySQL has no equivalent of the interval " + interval);
        }
        writer.keyword("INTERVAL");
        SqlWriter.Frame frame = writer.startList("(", ")");
        factor.unparse(writer, SqlStdOperatorTable.MULTIPLY.getLeftPrec(), SqlStdOperatorTable.MULTIPLY.getRightPrec());
        writer.sep("*");
        writer.literal((value.getSign() < 0 ? "-" : "") + count);
        writer.endList(frame);
        writer.keyword(qualifier.timeUnitRange.startUnit.name());
    }

    /**
     * PostgreSQL's {@code left(s, n)} and {@code right(s, n)}: a negative {@code n} drops that many
     * characters from the other end, where MySQL's return the empty string.
     */
    private static void unparseLeftRight(SqlWriter writer, boolean left, SqlNode text, SqlNode count)
    {
        SqlWriter.Frame frame = writer.startList("(", ")");
        writer.keyword("CASE WHEN");
        count.unparse(writer, 0, 0);
        writer.print(" < 0 THEN ");
        SqlWriter.Frame function = writer.startFunCall(left ? "LEFT" : "RIGHT");
        text.unparse(writer, 0, 0);
        writer.print(", ");
        SqlWriter.Frame greatest = writer.startFunCall("GREATEST");
        SqlWriter.Frame length = writer.startFunCall("CHAR_LENGTH");
        text.unparse(writer, 0, 0);
        writer.endFunCall(length);
        writer.print(" + ");
        count.unparse(writer, SqlStdOperatorTable.PLUS.getRightPrec(), SqlStdOperatorTable.PLUS.getRightPrec());
        writer.print(", ");
        writer.literal("0");
        writer.endFunCall(greatest);
        writer.endFunCall(function);
        writer.keyword("ELSE");
        SqlWriter.Frame plain = writer.startFunCall(left ? "LEFT" : "RIGHT");
        text.unparse(writer, 0, 0);
        writer.print(", ");
        count.unparse(writer, 0, 0);
        writer.endFunCall(plain);
        writer.keyword("END");
        writer.endList(frame);
    }

    /**
     * PostgreSQL's {@code substr(s, start [, count])}: the characters at positions start to
     * start + count - 1 that exist (positions before 1 take nothing), where MySQL counts a start of
     * 0 as nothing and a negative start from the end.
     */
    private static void unparseSubstring(SqlWriter writer, SqlCall call)
    {
        SqlNode text = call.operand(0);
        SqlNode start = call.operand(1);
        SqlWriter.Frame function = writer.startFunCall("SUBSTRING");
        text.unparse(writer, 0, 0);
        writer.print(", ");
        greatestOfOne(writer, start);
        if (call.operandCount() == 3) {
            writer.print(", ");
            // count - (GREATEST(start, 1) - start), never below 0; a negative count raises 22011 as in PostgreSQL
            SqlWriter.Frame greatest = writer.startFunCall("GREATEST");
            SqlWriter.Frame difference = writer.startList("(", ")");
            if (call.operand(2) instanceof SqlNumericLiteral count && count.signum() >= 0) {
                count.unparse(writer, SqlStdOperatorTable.MINUS.getLeftPrec(), SqlStdOperatorTable.MINUS.getLeftPrec());
            }
            else {
                writer.print("CASE WHEN ");
                call.operand(2).unparse(writer, 0, 0);
                writer.print(" < 0 THEN CAST('" + RaisedErrors.marker("22011", "negative substring length not allowed") + "' AS SIGNED) ELSE ");
                call.operand(2).unparse(writer, 0, 0);
                writer.print(" END");
            }
            writer.print(" - (");
            greatestOfOne(writer, start);
            writer.print(" - ");
            start.unparse(writer, SqlStdOperatorTable.MINUS.getRightPrec(), SqlStdOperatorTable.MINUS.getRightPrec());
            writer.print(")");
            writer.endList(difference);
            writer.print(", ");
            writer.literal("0");
            writer.endFunCall(greatest);
        }
        writer.endFunCall(function);
    }

    private static void greatestOfOne(SqlWriter writer, SqlNode value)
    {
        SqlWriter.Frame greatest = writer.startFunCall("GREATEST");
        value.unparse(writer, 0, 0);
        writer.print(", ");
        writer.literal("1");
        writer.endFunCall(greatest);
    }

    private static boolean isTimeUnit(SqlNode node, TimeUnitRange unit)
    {
        if (node instanceof SqlIntervalQualifier qualifier) {
            return qualifier.timeUnitRange == unit;
        }
        return node instanceof SqlLiteral literal && literal.getValue() == unit;
    }

    private static boolean isYear(SqlNode unit)
    {
        if (unit instanceof SqlIntervalQualifier qualifier) {
            return qualifier.timeUnitRange == TimeUnitRange.YEAR;
        }
        return unit instanceof SqlLiteral literal && literal.getValue() == TimeUnitRange.YEAR;
    }

    private static void unparseCaseInsensitiveLike(SqlWriter writer, SqlCall call, SqlLikeOperator like, int leftPrec, int rightPrec)
    {
        SqlWriter.Frame frame = writer.startList("(", ")");
        lower(writer, call.operand(0));
        writer.sep(like.isNegated() ? "NOT LIKE" : "LIKE");
        lower(writer, call.operand(1));
        if (call.operandCount() > 2) {
            writer.sep("ESCAPE");
            call.operand(2).unparse(writer, 0, 0);
        }
        writer.endList(frame);
    }

    private static void lower(SqlWriter writer, SqlNode operand)
    {
        SqlWriter.Frame frame = writer.startFunCall("LOWER");
        operand.unparse(writer, 0, 0);
        writer.endFunCall(frame);
    }

    @Override
    public void unparseOffsetFetch(SqlWriter writer, SqlNode offset, SqlNode fetch)
    {
        if (offset != null && fetch == null) {
            // MySQL has no OFFSET without LIMIT; this is its documented "all rows" limit
            writer.newlineAndIndent();
            writer.keyword("LIMIT 18446744073709551615");
            writer.keyword("OFFSET");
            offset.unparse(writer, -1, -1);
            return;
        }
        super.unparseOffsetFetch(writer, offset, fetch);
    }

    @Override
    public void quoteStringLiteral(StringBuilder buf, String charsetName, String val)
    {
        // MySQL treats backslash as an escape character in literals unless NO_BACKSLASH_ESCAPES is set
        super.quoteStringLiteral(buf, null, val.replace("\\", "\\\\"));
    }

    @Override
    public SqlNode getCastSpec(RelDataType type)
    {
        return switch (type.getSqlTypeName()) {
            case TINYINT, SMALLINT -> alien("SIGNED", type);
            case DOUBLE, FLOAT -> alien("DOUBLE", type);
            case REAL -> alien("FLOAT", type);
            case TIMESTAMP -> alien("DATETIME(" + Math.max(0, type.getPrecision()) + ")", type);
            case TIME -> alien("TIME(" + Math.max(0, type.getPrecision()) + ")", type);
            // numeric without precision and scale reaches MySQL only for exact values, cast to their own scale (SourceSqlGenerator)
            case DECIMAL -> alien("DECIMAL(" + Math.min(65, type.getPrecision()) + ", " + Math.min(30, Math.max(0, type.getScale())) + ")", type);
            case VARBINARY, BINARY -> alien("BINARY", type);
            default -> super.getCastSpec(type);
        };
    }

    private static SqlNode alien(String name, RelDataType type)
    {
        return new SqlDataTypeSpec(new SqlAlienSystemTypeNameSpec(name, type.getSqlTypeName(), SqlParserPos.ZERO), SqlParserPos.ZERO);
    }

    static boolean isExactInteger(SqlTypeName type)
    {
        return type == SqlTypeName.TINYINT || type == SqlTypeName.SMALLINT || type == SqlTypeName.INTEGER || type == SqlTypeName.BIGINT;
    }
}
