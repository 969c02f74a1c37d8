// Over 600 lines: one shuttle rewrites every PostgreSQL-only construct in one pass, in an order that matters; splitting it by construct family is due.
package dev.sekisho.planner.pg.syntax;

import dev.sekisho.planner.pg.catalog.PgCatalog;
import dev.sekisho.planner.pg.catalog.PgTypeInfo;
import dev.sekisho.planner.pg.functions.PgArrayText;
import dev.sekisho.planner.pg.functions.PgDateFunctions;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Optional;
import java.util.function.BiPredicate;

import static java.util.Objects.requireNonNull;

/**
 * Rewrites a parsed statement's PostgreSQL-only constructs onto the catalog functions: casts to
 * {@code name}, {@code oid}, {@code regclass}, {@code regtype}, {@code regproc},
 * {@code regnamespace} and {@code "char"}; {@code current_schema}, {@code current_schemas(bool)},
 * {@code current_database()} and {@code current_catalog} from the session's search path;
 * {@code pg_table_is_visible(oid)} with the search path; {@code x = ANY(array)} and
 * {@code x <> ALL(array)} over arrays. Select items it changes keep PostgreSQL's column name.
 */
public final class PgSqlRewriter
{
    private static final SqlParserPos POS = SqlParserPos.ZERO;

    private final PgCatalog catalog;
    private final List<String> searchPath;
    private final BiPredicate<String, String> visibleTable;

    public PgSqlRewriter(PgCatalog catalog, List<String> searchPath)
    {
        this(catalog, searchPath, (schema, table) -> true);
    }

    /**
     * @param visibleTable whether the session sees a source's table (schema, table): {@code 'name'::regclass}
     *         resolves only those
     */
    public PgSqlRewriter(PgCatalog catalog, List<String> searchPath, BiPredicate<String, String> visibleTable)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.searchPath = List.copyOf(searchPath);
        this.visibleTable = requireNonNull(visibleTable, "visibleTable is null");
    }

    public SqlNode rewrite(SqlNode node)
    {
        showRegLiteralsByName(node);
        SqlNode result = node.accept(new Shuttle());
        return PgSetReturningFunctions.rewrite(result == null ? node : result);
    }

    /** A to_char format of numbers: digit positions (9, 0) among PostgreSQL's other number format elements, nothing of a date's. */
    private static final java.util.regex.Pattern NUMBER_FORMAT = java.util.regex.Pattern.compile("(?i)(FM)?[90.,DGSMIPLR]*[90][90.,DGSMIPLR]*");

    private final class Shuttle
            extends SqlShuttle
    {
        private final Set<SqlNode> windowAggregates = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

        @Override
        public SqlNode visit(SqlIdentifier identifier)
        {
            if (identifier.isSimple() && !identifier.isComponentQuoted(0)) {
                switch (identifier.getSimple().toLowerCase(Locale.ROOT)) {
                    case "current_schema" -> {
                        return currentSchema();
                    }
                    case "current_catalog" -> {
                        return call("pg_name", SqlLiteral.createCharString(catalog.database(), POS));
                    }
                    default -> { }
                }
            }
            return identifier;
        }

        @Override
        public SqlNode visit(SqlCall call)
        {
            if (call instanceof SqlSelect select) {
                List<String> names = new ArrayList<>();
                for (SqlNode item : select.getSelectList()) {
                    names.add(item.getKind() == SqlKind.AS ? null : name(item));
                }
                SqlNode visited = super.visit(call);
                SqlSelect rewritten = (SqlSelect) visited;
                SqlNodeList items = rewritten.getSelectList();
                for (int i = 0; i < items.size(); i++) {
                    SqlNode item = items.get(i);
                    if (names.get(i) != null && !item.equalsDeep(select.getSelectList().get(i), org.apache.calcite.util.Litmus.IGNORE)
                            && !(item instanceof SqlIdentifier)) {
                        items.set(i, SqlStdOperatorTable.AS.createCall(POS, item, new SqlIdentifier(names.get(i), POS)));
                    }
                }
                return rewritten;
            }
            if (call.getKind() == SqlKind.AS) {
                List<SqlNode> operands = new ArrayList<>(call.getOperandList());
                operands.set(0, operands.get(0).accept(this));
                return call.getOperator().createCall(call.getFunctionQuantifier(), call.getParserPosition(), operands);
            }
            if ((call.getKind() == SqlKind.OVER || call.getKind() == SqlKind.FILTER) && call.operandCount() > 0 && call.operand(0) instanceof SqlCall aggregate) {
                // a window's or FILTER's aggregate stays an aggregate
                windowAggregates.add(aggregate);
            }
            SqlNode visited = super.visit(call);
            if (!(visited instanceof SqlCall rewritten)) {
                return visited;
            }
            if (rewritten.getKind() == SqlKind.OVER && rewritten.operandCount() == 2 && rewritten.operand(0) instanceof SqlCall shift
                    && ("lag".equals(functionName(shift)) || "lead".equals(functionName(shift))) && shift.operandCount() == 3) {
                return shiftWithDefault(shift, rewritten.operand(1));
            }
            if (rewritten.getKind() == SqlKind.OVER) {
                SqlNode window = WindowCalls.rewrite(rewritten);
                if (window != null) {
                    return window;
                }
            }
            if (!windowAggregates.contains(call)) {
                SqlNode variance = variance(rewritten);
                if (variance != null) {
                    return variance;
                }
            }
            SqlNode result = rewriteCall(rewritten);
            return datePartTyped(call, result);
        }

        private SqlNode rewriteCall(SqlCall rewritten)
        {
            checkRegularExpression(rewritten);
            String operatorFunction = functionName(rewritten);
            if (operatorFunction != null && operatorFunction.startsWith("pg_op_")) {
                // a bitwise operator (BitwiseOperators): each operand through the engine's x & x, which takes integers only, so that
                // 2.5 & 1 is 42883 as in PostgreSQL rather than an implicit cast to one of the functions' integer types
                List<SqlNode> guarded = new ArrayList<>();
                for (SqlNode operand : rewritten.getOperandList()) {
                    boolean integer = operand instanceof org.apache.calcite.sql.SqlNumericLiteral number && number.isInteger()
                            || operand instanceof SqlCall inner && functionName(inner) != null && functionName(inner).startsWith("pg_op_");
                    guarded.add(integer ? operand : SqlStdOperatorTable.BITAND_OPERATOR.createCall(POS, operand, operand.clone(POS)));
                }
                return call(operatorFunction, guarded.toArray(SqlNode[]::new));
            }
            if (rewritten.getOperator().getName().equalsIgnoreCase("SUBSTRING") && rewritten.operandCount() == 2
                    && rewritten.operand(1) instanceof SqlLiteral pattern && pattern.getTypeName() == SqlTypeName.CHAR) {
                // substring(text FROM 'pattern'): a text pattern is a regular expression in PostgreSQL (PgRegex, not the source's PCRE)
                return call("pg_regexp_substring", rewritten.operand(0), rewritten.operand(1));
            }
            if (rewritten.getOperator().getName().equals("^") && rewritten.operandCount() == 2) {
                // PostgreSQL's ^ is exponentiation (double precision), not a bitwise XOR
                return SqlStdOperatorTable.POWER.createCall(POS, rewritten.operand(0), rewritten.operand(1));
            }
            if (rewritten.getKind() == SqlKind.GROUPING || "grouping".equals(functionName(rewritten))) {
                // grouping() is an integer in PostgreSQL
                return SqlStdOperatorTable.CAST.createCall(POS, rewritten, new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.INTEGER, POS), POS));
            }
            if (rewritten.getKind() == SqlKind.WITHIN_GROUP) {
                SqlNode aggregate = OrderedSetAggregates.rewrite(rewritten);
                if (aggregate != null) {
                    return aggregate;
                }
            }
            if (rewritten.getKind() == SqlKind.CAST && rewritten.operandCount() == 2 && rewritten.operand(1) instanceof SqlDataTypeSpec spec) {
                return cast(rewritten.operand(0), spec);
            }
            if (rewritten.getOperator() == SqlStdOperatorTable.CONCAT && rewritten.operandCount() == 2
                    && (isBooleanLiteral(rewritten.operand(0)) || isBooleanLiteral(rewritten.operand(1)))) {
                // 'a' || true is 'atrue' in PostgreSQL
                return SqlStdOperatorTable.CONCAT.createCall(POS, booleanText(rewritten.operand(0)), booleanText(rewritten.operand(1)));
            }
            if (rewritten.getOperator() == SqlStdOperatorTable.CONCAT && rewritten.operandCount() == 2
                    && (isArrayConstructor(rewritten.operand(0)) || isArrayConstructor(rewritten.operand(1)))) {
                // array || array (psql's \d+ appends the TOAST table's options to reloptions)
                return call("pg_array_cat", rewritten.operand(0), rewritten.operand(1));
            }
            if (rewritten.getKind() == SqlKind.EXTRACT && rewritten.operandCount() == 2 && rewritten.operand(0) instanceof SqlIntervalQualifier unit
                    && unit.timeUnitRange == TimeUnitRange.DOW) {
                // PostgreSQL's dow counts from 0 (Sunday); Calcite's, and MySQL's DAYOFWEEK, from 1
                return SqlStdOperatorTable.MINUS.createCall(POS, rewritten, SqlLiteral.createExactNumeric("1", POS));
            }
            if ((rewritten.getKind() == SqlKind.SOME || rewritten.getKind() == SqlKind.ALL) && rewritten.operandCount() == 2
                    && unwrapList(rewritten.operand(1)).getKind() == SqlKind.ARRAY_VALUE_CONSTRUCTOR) {
                // x op ANY (ARRAY[a, b]) is x op a OR x op b (ALL: AND), with SQL's three-valued logic, which every source runs
                return anyOverElements(rewritten, (SqlCall) unwrapList(rewritten.operand(1)));
            }
            if ((rewritten.getKind() == SqlKind.SOME || rewritten.getKind() == SqlKind.ALL) && rewritten.operandCount() == 2 && !isQuery(rewritten.operand(1))) {
                String comparison = rewritten.getOperator().getName();
                SqlNode array = unwrapList(rewritten.operand(1));
                SqlNode value = SqlStdOperatorTable.CAST.createCall(POS, rewritten.operand(0), varchar());
                if (rewritten.getKind() == SqlKind.SOME && comparison.contains("=") && !comparison.contains("<") && !comparison.contains(">")) {
                    return call("pg_any_eq", value, array);
                }
                if (rewritten.getKind() == SqlKind.ALL && comparison.contains("<>")) {
                    return call("pg_all_ne", value, array);
                }
            }
            if ((rewritten.getKind() == SqlKind.EQUALS || rewritten.getKind() == SqlKind.NOT_EQUALS) && rewritten.operandCount() == 2) {
                SqlNode booleanLiteral = booleanLiteral(rewritten.operand(0), rewritten.operand(1));
                if (booleanLiteral != null) {
                    return rewritten.getOperator().createCall(POS, rewritten.operand(0), booleanLiteral);
                }
            }
            String function = functionName(rewritten);
            if ("count".equals(function)) {
                SqlNode rows = DistinctRows.rewrite(rewritten);
                if (rows != null) {
                    return rows;
                }
            }
            if ("date_part".equals(function) && rewritten.operandCount() == 2 && rewritten.operand(0) instanceof SqlLiteral unit
                    && "dow".equalsIgnoreCase(unit.toValue())) {
                // date_part('dow', x) counts from 0 (Sunday) like extract(dow from x)
                SqlNode extract = SqlStdOperatorTable.EXTRACT.createCall(POS,
                        new SqlIntervalQualifier(org.apache.calcite.avatica.util.TimeUnit.DOW, null, POS), rewritten.operand(1));
                return SqlStdOperatorTable.MINUS.createCall(POS, extract, SqlLiteral.createExactNumeric("1", POS));
            }
            if (function != null) {
                switch (function) {
                    case "json_agg" -> {
                        if (rewritten.operandCount() == 1 && rewritten.getFunctionQuantifier() == null) {
                            return OrderedSetAggregates.jsonAgg(rewritten.operand(0));
                        }
                    }
                    case "current_schema" -> {
                        if (rewritten.operandCount() == 0) {
                            return currentSchema();
                        }
                    }
                    case "current_schemas" -> {
                        if (rewritten.operandCount() == 1) {
                            return currentSchemas(rewritten.operand(0));
                        }
                    }
                    case "current_database", "current_catalog" -> {
                        if (rewritten.operandCount() == 0) {
                            return call("pg_name", SqlLiteral.createCharString(catalog.database(), POS));
                        }
                    }
                    case "array_to_string" -> {
                        if (rewritten.operandCount() == 2 && (rewritten.operand(0).getKind() == SqlKind.ARRAY_QUERY_CONSTRUCTOR
                                || rewritten.operand(0).getKind() == SqlKind.ARRAY_VALUE_CONSTRUCTOR)) {
                            // a real array (not a catalog array's text form): the engine's own array_to_string
                            return SqlLibraryOperators.ARRAY_TO_STRING.createCall(POS, rewritten.operand(0), rewritten.operand(1));
                        }
                    }
                    case "pg_subscript" -> {
                        if (rewritten.operandCount() == 2 && isEngineArray(rewritten.operand(0))) {
                            // ARRAY[...][i], array_agg(x)[i]: the engine's own arrays (catalog arrays are text), subscripts from 1
                            return SqlStdOperatorTable.ITEM.createCall(POS, rewritten.operand(0), rewritten.operand(1));
                        }
                    }
                    case "array_length" -> {
                        if (rewritten.operandCount() == 2 && isEngineArray(rewritten.operand(0))) {
                            // one dimension: its length, NULL for an empty array or another dimension, as PostgreSQL
                            SqlNode array = rewritten.operand(0);
                            SqlNode length = SqlStdOperatorTable.CARDINALITY.createCall(POS, array);
                            SqlNode present = SqlStdOperatorTable.AND.createCall(POS,
                                    SqlStdOperatorTable.EQUALS.createCall(POS, rewritten.operand(1), SqlLiteral.createExactNumeric("1", POS)),
                                    SqlStdOperatorTable.GREATER_THAN.createCall(POS, length, SqlLiteral.createExactNumeric("0", POS)));
                            return SqlStdOperatorTable.CASE.createCall(null, POS, null, SqlNodeList.of(present), SqlNodeList.of(length.clone(POS)),
                                    SqlLiteral.createNull(POS));
                        }
                    }
                    case "now", "transaction_timestamp", "statement_timestamp" -> {
                        if (rewritten.operandCount() == 0) {
                            return SqlStdOperatorTable.CURRENT_TIMESTAMP.createCall(POS);
                        }
                    }
                    case "to_char" -> {
                        if (rewritten.operandCount() == 2 && rewritten.operand(1) instanceof SqlLiteral format
                                && NUMBER_FORMAT.matcher(String.valueOf(format.toValue())).matches()) {
                            // a number format (9s and 0s): PostgreSQL's number formatting, where the library's to_char formats dates
                            return call("pg_to_char_number", rewritten.operand(0), rewritten.operand(1));
                        }
                    }
                    case "cbrt" -> {
                        if (rewritten.operandCount() == 1) {
                            // the C library's cube root, which PostgreSQL returns unchanged (not correctly rounded)
                            return call("pg_cbrt", SqlStdOperatorTable.CAST.createCall(POS, rewritten.operand(0),
                                    new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, POS), POS)));
                        }
                    }
                    case "age" -> {
                        // PostgreSQL's age(timestamp, timestamp), a date as its midnight; age(x) counts from today's midnight
                        if (rewritten.operandCount() == 2) {
                            return call("pg_age", asTimestamp(rewritten.operand(0)), asTimestamp(rewritten.operand(1)));
                        }
                        if (rewritten.operandCount() == 1) {
                            return call("pg_age", asTimestamp(SqlStdOperatorTable.CURRENT_DATE.createCall(POS)), asTimestamp(rewritten.operand(0)));
                        }
                    }
                    case "date_trunc" -> {
                        if (rewritten.operandCount() == 2) {
                            return dateTrunc(rewritten.operand(0), rewritten.operand(1));
                        }
                    }
                    case "pg_sleep" -> {
                        if (rewritten.operandCount() == 1) {
                            // double precision seconds, whatever the literal's type (0.5 is a decimal)
                            SqlDataTypeSpec doubleType = new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, POS), POS);
                            return call("pg_sleep", SqlStdOperatorTable.CAST.createCall(POS, rewritten.operand(0), doubleType));
                        }
                    }
                    case "pg_table_is_visible", "pg_type_is_visible" -> {
                        if (rewritten.operandCount() == 1) {
                            return call(function, rewritten.operand(0), SqlLiteral.createCharString(String.join(",", searchPath), POS));
                        }
                    }
                    case "generate_series" -> {
                        SqlNode series = timestampSeries(rewritten);
                        if (series != null) {
                            return series;
                        }
                    }
                    case "pg_table_size", "pg_relation_size", "pg_total_relation_size", "pg_indexes_size" -> {
                        if (rewritten.operandCount() >= 1 && rewritten.operand(0) instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.CHAR) {
                            // a regclass argument: a name resolves as 'name'::regclass does (42P01 for a relation the session cannot see)
                            SqlDataTypeSpec regclass = new SqlDataTypeSpec(new org.apache.calcite.sql.SqlUserDefinedTypeNameSpec("regclass", POS), POS);
                            return call(function, cast(literal, regclass));
                        }
                    }
                    default -> { }
                }
            }
            return rewritten;
        }
    }

    /**
     * A regular expression written as a literal that no engine can compile (unbalanced parentheses or
     * brackets) is PostgreSQL's 2201B at planning time, whichever engine would have run it.
     */
    private static void checkRegularExpression(SqlCall call)
    {
        String function = functionName(call);
        boolean regex = call.getKind() == SqlKind.POSIX_REGEX_CASE_SENSITIVE || call.getKind() == SqlKind.POSIX_REGEX_CASE_INSENSITIVE
                || function != null && function.startsWith("regexp_");
        if (!regex || call.operandCount() < 2 || !(call.operand(1) instanceof SqlLiteral pattern) || pattern.getTypeName() != SqlTypeName.CHAR) {
            return;
        }
        try {
            java.util.regex.Pattern.compile(pattern.getValueAs(String.class));
        }
        catch (java.util.regex.PatternSyntaxException e) {
            String description = e.getDescription();
            if (description.startsWith("Unclosed") || description.startsWith("Unmatched")) {
                throw new QueryException("2201B", "invalid regular expression: parentheses () or brackets [] not balanced",
                        "Balance the pattern's parentheses and brackets, or escape them with a backslash.", null);
            }
        }
    }

    /**
     * {@code lag(x, n, default) OVER w} (and {@code lead}) as
     * {@code CASE WHEN lag(1, n) OVER w IS NULL THEN default ELSE lag(x, n) OVER w END}: the shifted
     * constant is null exactly where no row is n rows away, which is where the default applies
     * (MariaDB's LAG and LEAD take no default).
     */
    private static SqlNode shiftWithDefault(SqlCall shift, SqlNode window)
    {
        org.apache.calcite.sql.SqlOperator function = shift.getOperator();
        SqlNode exists = SqlStdOperatorTable.OVER.createCall(POS, function.createCall(POS, SqlLiteral.createExactNumeric("1", POS), shift.operand(1)),
                window.clone(POS));
        SqlNode shifted = SqlStdOperatorTable.OVER.createCall(POS, function.createCall(POS, shift.operand(0), shift.operand(1)), window.clone(POS));
        return SqlStdOperatorTable.CASE.createCall(null, POS, null, SqlNodeList.of(SqlStdOperatorTable.IS_NULL.createCall(POS, exists)),
                SqlNodeList.of(shift.operand(2)), shifted);
    }

    /**
     * {@code stddev}, {@code variance} and their {@code _samp}/{@code _pop} forms as PostgreSQL
     * computes them over exact numbers: {@code pg_variance(count(x), sum(x), sum(x * x), sample, root)}.
     * The count and sums are plain aggregates a source computes; the gateway divides and takes the
     * root with PostgreSQL's result scale. Null for any other call.
     */
    private static SqlNode variance(SqlCall call)
    {
        String function = functionName(call);
        if (function == null || call.getFunctionQuantifier() != null) {
            return null;
        }
        if (call.operandCount() == 2 && Set.of("covar_pop", "covar_samp", "corr", "regr_slope", "regr_intercept", "regr_r2").contains(function)) {
            // over the pairs where both are not null: x + 0 * y is null where y is
            SqlNode y = call.operand(0);
            SqlNode x = call.operand(1);
            SqlNode xPaired = SqlStdOperatorTable.PLUS.createCall(POS, x, SqlStdOperatorTable.MULTIPLY.createCall(POS, SqlLiteral.createExactNumeric("0", POS), y));
            SqlNode yPaired = SqlStdOperatorTable.PLUS.createCall(POS, y, SqlStdOperatorTable.MULTIPLY.createCall(POS, SqlLiteral.createExactNumeric("0", POS), x));
            return call("pg_regression", SqlLiteral.createCharString(function, POS), SqlStdOperatorTable.COUNT.createCall(POS, xPaired),
                    SqlStdOperatorTable.SUM.createCall(POS, xPaired), SqlStdOperatorTable.SUM.createCall(POS, yPaired),
                    SqlStdOperatorTable.SUM.createCall(POS, SqlStdOperatorTable.MULTIPLY.createCall(POS, xPaired, xPaired)),
                    SqlStdOperatorTable.SUM.createCall(POS, SqlStdOperatorTable.MULTIPLY.createCall(POS, yPaired, yPaired)),
                    SqlStdOperatorTable.SUM.createCall(POS, SqlStdOperatorTable.MULTIPLY.createCall(POS, x, y)));
        }
        if (call.operandCount() != 1) {
            return null;
        }
        Boolean sample;
        Boolean root;
        switch (function) {
            case "stddev", "stddev_samp" -> {
                sample = true;
                root = true;
            }
            case "stddev_pop" -> {
                sample = false;
                root = true;
            }
            case "variance", "var_samp" -> {
                sample = true;
                root = false;
            }
            case "var_pop" -> {
                sample = false;
                root = false;
            }
            default -> {
                return null;
            }
        }
        SqlNode value = call.operand(0);
        return call("pg_variance", SqlStdOperatorTable.COUNT.createCall(POS, value), SqlStdOperatorTable.SUM.createCall(POS, value),
                SqlStdOperatorTable.SUM.createCall(POS, SqlStdOperatorTable.MULTIPLY.createCall(POS, value, value)),
                SqlLiteral.createBoolean(sample, POS), SqlLiteral.createBoolean(root, POS));
    }

    /**
     * {@code x op ANY (ARRAY[e1, e2])} as {@code x op e1 OR x op e2} and {@code x op ALL (...)} as
     * {@code x op e1 AND x op e2}: the same answer, NULLs included; an empty array is false for ANY
     * and true for ALL.
     */
    private static SqlNode anyOverElements(SqlCall quantified, SqlCall array)
    {
        boolean any = quantified.getKind() == SqlKind.SOME;
        SqlKind comparisonKind = quantified.getOperator() instanceof org.apache.calcite.sql.fun.SqlQuantifyOperator quantify ? quantify.comparisonKind : null;
        org.apache.calcite.sql.SqlOperator comparison = comparisonKind == null ? null : switch (comparisonKind) {
            case EQUALS -> SqlStdOperatorTable.EQUALS;
            case NOT_EQUALS -> SqlStdOperatorTable.NOT_EQUALS;
            case LESS_THAN -> SqlStdOperatorTable.LESS_THAN;
            case LESS_THAN_OR_EQUAL -> SqlStdOperatorTable.LESS_THAN_OR_EQUAL;
            case GREATER_THAN -> SqlStdOperatorTable.GREATER_THAN;
            case GREATER_THAN_OR_EQUAL -> SqlStdOperatorTable.GREATER_THAN_OR_EQUAL;
            default -> null;
        };
        if (comparison == null) {
            return quantified;
        }
        SqlNode result = null;
        for (SqlNode element : array.getOperandList()) {
            SqlNode compared = comparison.createCall(POS, quantified.operand(0), element);
            result = result == null ? compared : (any ? SqlStdOperatorTable.OR : SqlStdOperatorTable.AND).createCall(POS, result, compared);
        }
        return result == null ? SqlLiteral.createBoolean(!any, POS) : result;
    }

    /**
     * {@code extract(field FROM x)} is {@code numeric} in PostgreSQL (with 6 decimals for seconds
     * and epoch), {@code date_part('field', x)} is {@code double precision}: the rewritten call cast
     * to that type.
     */
    private static SqlNode datePartTyped(SqlCall written, SqlNode result)
    {
        String function = functionName(written);
        boolean extract = written.getKind() == SqlKind.EXTRACT && !"date_part".equals(function);
        boolean datePart = "date_part".equals(function) && written.operandCount() == 2;
        if (!extract && !datePart) {
            return result;
        }
        if (datePart) {
            return SqlStdOperatorTable.CAST.createCall(POS, result, new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, POS), POS));
        }
        String unit = written.operand(0) instanceof SqlIntervalQualifier qualifier ? qualifier.timeUnitRange.name().toLowerCase(Locale.ROOT)
                : written.operand(0).toString().toLowerCase(Locale.ROOT);
        int scale = unit.contains("second") || unit.contains("epoch") ? 6 : 0;
        // numeric with the planner's precision for numeric without a modifier
        return SqlStdOperatorTable.CAST.createCall(POS, result, new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DECIMAL, 65, scale, POS), POS));
    }

    /**
     * PostgreSQL reads {@code 't'}/{@code 'f'} as booleans: for a catalog column that is boolean
     * wherever it occurs ({@code i.indisprimary = 't'}), the literal as a boolean; else null.
     */
    private SqlNode booleanLiteral(SqlNode column, SqlNode literal)
    {
        if (column instanceof SqlIdentifier identifier && literal instanceof SqlLiteral text && text.getTypeName() == SqlTypeName.CHAR
                && catalog.isBooleanColumn(identifier.names.get(identifier.names.size() - 1))) {
            String value = text.getValueAs(String.class).strip().toLowerCase(Locale.ROOT);
            return switch (value) {
                case "t", "true", "y", "yes", "on", "1" -> SqlLiteral.createBoolean(true, POS);
                case "f", "false", "n", "no", "off", "0" -> SqlLiteral.createBoolean(false, POS);
                default -> null;
            };
        }
        return null;
    }

    private static boolean isQuery(SqlNode node)
    {
        SqlNode inner = unwrapList(node);
        return inner.getKind() == SqlKind.SELECT || inner.isA(SqlKind.QUERY);
    }

    private static SqlNode unwrapList(SqlNode node)
    {
        return node instanceof SqlNodeList list && list.size() == 1 ? list.get(0) : node;
    }

    private static String functionName(SqlCall call)
    {
        if (call.getOperator() instanceof SqlFunction function) {
            SqlIdentifier identifier = function.getSqlIdentifier();
            String name = identifier != null ? identifier.names.get(identifier.names.size() - 1) : function.getName();
            return name.toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private SqlNode currentSchema()
    {
        Optional<String> schema = searchPath.stream().filter(this::exists).findFirst();
        return call("pg_name", schema.<SqlNode>map(name -> SqlLiteral.createCharString(name, POS))
                .orElse(SqlStdOperatorTable.CAST.createCall(POS, SqlLiteral.createNull(POS), varchar())));
    }

    private SqlNode currentSchemas(SqlNode includeImplicit)
    {
        List<String> explicit = searchPath.stream().filter(this::exists).toList();
        List<String> implicit = new ArrayList<>();
        if (!explicit.contains(PgCatalog.PG_CATALOG)) {
            implicit.add(PgCatalog.PG_CATALOG);
        }
        implicit.addAll(explicit);
        SqlNode withImplicit = SqlLiteral.createCharString(PgArrayText.format(implicit), POS);
        SqlNode withoutImplicit = SqlLiteral.createCharString(PgArrayText.format(explicit), POS);
        SqlNode chosen = includeImplicit instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.BOOLEAN
                ? (literal.booleanValue() ? withImplicit : withoutImplicit)
                : SqlStdOperatorTable.CASE.createCall(null, POS, null, SqlNodeList.of(includeImplicit), SqlNodeList.of(withImplicit), withoutImplicit);
        return call("pg_name_array", chosen);
    }

    private boolean exists(String schema)
    {
        return schema.equals(PgCatalog.PG_CATALOG) || schema.equals(PgCatalog.INFORMATION_SCHEMA) || catalog.hasSchema(schema);
    }

    /**
     * A text literal read as a boolean, as PostgreSQL reads it: {@code true}, {@code yes}, {@code on},
     * {@code 1} and their prefixes (case and surrounding spaces ignored), likewise for false; 22P02 for
     * anything else.
     */
    private static SqlNode booleanInput(String text)
    {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (!value.isEmpty() && ("true".startsWith(value) || "yes".startsWith(value) || value.equals("on") || value.equals("1"))) {
            return SqlLiteral.createBoolean(true, POS);
        }
        if (!value.isEmpty() && ("false".startsWith(value) || "no".startsWith(value) || value.equals("off") || value.equals("of") || value.equals("0"))) {
            return SqlLiteral.createBoolean(false, POS);
        }
        throw new QueryException(SqlStates.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type boolean: \"" + text + "\"",
                "Use true or false (or yes/no, on/off, 1/0).", null);
    }

    private static boolean isBooleanLiteral(SqlNode node)
    {
        return node instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.BOOLEAN && literal.getValue() != null;
    }

    private static SqlNode booleanText(SqlNode node)
    {
        return isBooleanLiteral(node) ? SqlLiteral.createCharString(((SqlLiteral) node).booleanValue() ? "true" : "false", POS) : node;
    }

    private SqlNode cast(SqlNode operand, SqlDataTypeSpec spec)
    {
        SqlIdentifier typeName = spec.getTypeName();
        String type = typeName.names.get(typeName.names.size() - 1);
        String lower = typeName.isComponentQuoted(typeName.names.size() - 1) ? type : type.toLowerCase(Locale.ROOT);
        if (lower.length() > 1 && lower.charAt(0) == '_' && !typeName.isComponentQuoted(typeName.names.size() - 1)) {
            return arrayCast(operand, lower.substring(1), spec);
        }
        if (operand instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.BOOLEAN && literal.getValue() != null
                && java.util.Set.of("text", "varchar", "character varying", "bpchar").contains(lower)) {
            // PostgreSQL prints booleans as true and false; the planner would fold TRUE into 'TRUE'
            return SqlLiteral.createCharString(literal.booleanValue() ? "true" : "false", POS);
        }
        if (Set.of("numeric", "decimal").contains(lower) && spec.getTypeNameSpec() instanceof SqlBasicTypeNameSpec basic && basic.getPrecision() < 0
                && operand instanceof SqlLiteral literal && (literal.getTypeName() == SqlTypeName.CHAR || literal.getTypeName() == SqlTypeName.DECIMAL)) {
            // numeric without a modifier keeps the digits written ('3.14'::numeric is 3.14, 3.10::numeric is 3.10)
            String digits = literal.getTypeName() == SqlTypeName.CHAR ? literal.getValueAs(String.class).strip() : literal.toValue();
            if (digits != null && digits.contains(".") && digits.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)")) {
                java.math.BigDecimal value = new java.math.BigDecimal(digits);
                SqlNode exact = SqlLiteral.createExactNumeric(value.abs().toPlainString(), POS);
                return value.signum() < 0 ? SqlStdOperatorTable.UNARY_MINUS.createCall(POS, exact) : exact;
            }
        }
        if (operand instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.CHAR && lower.equals("time")) {
            PgTimeLiterals.check(literal.getValueAs(String.class));
        }
        if (operand instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.CHAR && Set.of("bool", "boolean").contains(lower)) {
            return booleanInput(literal.getValueAs(String.class));
        }
        return switch (lower) {
            case "name" -> call("pg_name", SqlStdOperatorTable.CAST.createCall(POS, operand, varchar()));
            case "char" -> typeName.isComponentQuoted(typeName.names.size() - 1) ? SqlStdOperatorTable.CAST.createCall(POS, operand, varchar())
                    : SqlStdOperatorTable.CAST.createCall(POS, operand, spec);
            case "int2vector", "oidvector", "pg_node_tree" -> SqlStdOperatorTable.CAST.createCall(POS, operand, varchar());
            case "oid" -> call("pg_oid", SqlStdOperatorTable.CAST.createCall(POS, operand, bigint()));
            case "regclass" -> {
                if (operand instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.CHAR) {
                    String name = literal.getValueAs(String.class);
                    long oid = catalog.relationOid(name, searchPath, visibleTable).orElseThrow(() -> new QueryException(SqlStates.UNDEFINED_TABLE,
                            "relation \"" + name + "\" does not exist", "Check the name; pg_class lists the relations.", null));
                    yield call("pg_oid", SqlStdOperatorTable.CAST.createCall(POS, SqlLiteral.createExactNumeric(String.valueOf(oid), POS), bigint()));
                }
                yield call("pg_regclass_out", SqlStdOperatorTable.CAST.createCall(POS, operand, bigint()),
                        SqlLiteral.createCharString(String.join(",", searchPath), POS));
            }
            case "regtype" -> {
                if (operand instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.CHAR) {
                    String name = literal.getValueAs(String.class);
                    long oid = PgTypeInfo.byName(name.replace("pg_catalog.", "")).map(PgTypeInfo::oid).orElseThrow(() -> new QueryException(
                            SqlStates.UNDEFINED_OBJECT, "type \"" + name + "\" does not exist", null, null));
                    yield call("pg_oid", SqlStdOperatorTable.CAST.createCall(POS, SqlLiteral.createExactNumeric(String.valueOf(oid), POS), bigint()));
                }
                yield call("pg_regtype_out", SqlStdOperatorTable.CAST.createCall(POS, operand, bigint()));
            }
            case "regproc", "regprocedure" -> call("pg_regproc", SqlStdOperatorTable.CAST.createCall(POS, operand, varchar()));
            case "regnamespace" -> call("pg_regnamespace_out", SqlStdOperatorTable.CAST.createCall(POS, operand, bigint()));
            case "text" -> operand instanceof SqlCall inner && functionName(inner) != null && functionName(inner).startsWith("pg_reg")
                    ? call("pg_text", SqlStdOperatorTable.CAST.createCall(POS, operand, varchar()))
                    : SqlStdOperatorTable.CAST.createCall(POS, operand, spec);
            default -> SqlStdOperatorTable.CAST.createCall(POS, operand, spec);
        };
    }

    /**
     * {@code x::t[]} (written {@code x::_t} by {@link PgSyntax}). Arrays are held as their text: an
     * array literal is checked (22P02 for a malformed one, or an element that is not a {@code t})
     * and kept as its normalised text; anything else is cast to the element type, as before array
     * types were known.
     */
    private static SqlNode arrayCast(SqlNode operand, String elementType, SqlDataTypeSpec spec)
    {
        if (operand instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.CHAR) {
            String text = literal.getValueAs(String.class);
            PgArrayText.Parsed parsed = PgArrayText.parse(text, elementType + "[]");
            for (String element : parsed.elements()) {
                if (element != null) {
                    PgArrayText.checkElement(element, elementType);
                }
            }
            SqlNode arrayText = SqlStdOperatorTable.CAST.createCall(POS, SqlLiteral.createCharString(PgArrayText.format(parsed.elements()), POS), varchar());
            String typed = switch (elementType) {
                // the array's text, typed as the array PostgreSQL's client sees (int4[] reads as a list in psycopg2)
                case "int2", "smallint" -> "pg_int2_array";
                case "int", "int4", "integer" -> "pg_int4_array";
                case "text" -> "pg_text_array";
                case "bool", "boolean" -> "pg_bool_array";
                default -> null;
            };
            return typed == null ? arrayText : call(typed, arrayText);
        }
        if (isArrayConstructor(operand)) {
            // a real array (ARRAY[...]) keeps its own element type
            return operand;
        }
        SqlTypeName basic = switch (elementType) {
            case "int2", "smallint" -> SqlTypeName.SMALLINT;
            case "int", "int4", "integer" -> SqlTypeName.INTEGER;
            case "int8", "bigint" -> SqlTypeName.BIGINT;
            case "text", "varchar" -> SqlTypeName.VARCHAR;
            case "numeric", "decimal" -> SqlTypeName.DECIMAL;
            case "bool", "boolean" -> SqlTypeName.BOOLEAN;
            case "float8" -> SqlTypeName.DOUBLE;
            case "float4", "real" -> SqlTypeName.REAL;
            case "date" -> SqlTypeName.DATE;
            default -> null;
        };
        SqlDataTypeSpec elementSpec = basic != null
                ? new SqlDataTypeSpec(new SqlBasicTypeNameSpec(basic, POS), POS)
                : new SqlDataTypeSpec(new org.apache.calcite.sql.SqlUserDefinedTypeNameSpec(new SqlIdentifier(elementType, POS), POS), POS);
        return SqlStdOperatorTable.CAST.createCall(POS, operand, elementSpec);
    }

    /**
     * {@code date_trunc(unit, x)} with a literal unit: {@code pg_date_trunc(unit, CAST(x AS TIMESTAMP))},
     * a timestamp for a date or timestamp argument as in PostgreSQL.
     */
    private static SqlNode dateTrunc(SqlNode unit, SqlNode value)
    {
        if (!(unit instanceof SqlLiteral literal) || literal.getTypeName() != SqlTypeName.CHAR) {
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "unit \"" + unit + "\" not recognized",
                    "Sekisho needs date_trunc's unit as a literal, such as date_trunc('month', x).", null);
        }
        String name = PgDateFunctions.dateTruncUnit(literal.getValueAs(String.class));
        SqlDataTypeSpec timestamp = new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP, POS), POS);
        return call(PgDateFunctions.DATE_TRUNC, SqlLiteral.createCharString(name, POS), SqlStdOperatorTable.CAST.createCall(POS, value, timestamp));
    }

    private static SqlNode asTimestamp(SqlNode value)
    {
        return SqlStdOperatorTable.CAST.createCall(POS, value, new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP, POS), POS));
    }

    private static SqlDataTypeSpec varchar()
    {
        return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, POS), POS);
    }

    private static SqlDataTypeSpec bigint()
    {
        return new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.BIGINT, POS), POS);
    }

    /**
     * The statement's own select lists (not a subquery's, whose columns stay OIDs for the outer query
     * to compare): a {@code 'name'::regclass} item is printed as the name, as PostgreSQL prints regclass.
     */
    private static void showRegLiteralsByName(SqlNode node)
    {
        if (node instanceof org.apache.calcite.sql.SqlOrderBy orderBy) {
            showRegLiteralsByName(orderBy.query);
        }
        else if (node instanceof SqlSelect select) {
            SqlNodeList selectList = select.getSelectList();
            for (int i = 0; i < selectList.size(); i++) {
                SqlNode item = selectList.get(i);
                if (item.getKind() == SqlKind.AS && isRegLiteralCast(((SqlCall) item).operand(0))) {
                    SqlCall as = (SqlCall) item;
                    as.setOperand(0, shownByName((SqlCall) as.operand(0)));
                }
                else if (isRegLiteralCast(item)) {
                    selectList.set(i, shownByName((SqlCall) item));
                }
            }
        }
        else if (node != null && node.isA(Set.of(SqlKind.UNION, SqlKind.INTERSECT, SqlKind.EXCEPT)) && node instanceof SqlCall setOperation) {
            setOperation.getOperandList().forEach(PgSqlRewriter::showRegLiteralsByName);
        }
    }

    private static final java.util.regex.Pattern INTERVAL_TEXT = java.util.regex.Pattern.compile(
            "\\s*([-+]?\\d+)\\s*(year|mon|month|week|day|hour|minute|min|second|sec)s?\\s*", java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * {@code generate_series(start, stop, step)} with an interval step ({@code interval '1 month'},
     * or a string such as {@code '7 days'} as PostgreSQL reads an unknown literal there): the series
     * of timestamps {@code pg_generate_series_ts(start, stop, months, milliseconds)}; null for a
     * numeric series.
     */
    private static SqlNode timestampSeries(SqlCall call)
    {
        if (call.operandCount() != 3) {
            return null;
        }
        SqlNode step = call.operand(2);
        long months;
        long millis;
        if (step instanceof org.apache.calcite.sql.SqlIntervalLiteral interval) {
            org.apache.calcite.sql.SqlIntervalLiteral.IntervalValue value = interval.getValueAs(org.apache.calcite.sql.SqlIntervalLiteral.IntervalValue.class);
            SqlIntervalQualifier qualifier = value.getIntervalQualifier();
            String text = value.getIntervalLiteral();
            if (qualifier.isYearMonth()) {
                months = value.getSign() * org.apache.calcite.sql.parser.SqlParserUtil.intervalToMonths(text, qualifier);
                millis = 0;
            }
            else {
                months = 0;
                millis = value.getSign() * org.apache.calcite.sql.parser.SqlParserUtil.intervalToMillis(text, qualifier);
            }
        }
        else if (step instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.CHAR
                && INTERVAL_TEXT.matcher(literal.getValueAs(String.class)).matches()) {
            java.util.regex.Matcher parts = INTERVAL_TEXT.matcher(literal.getValueAs(String.class));
            parts.matches();
            long amount = Long.parseLong(parts.group(1).replace("+", ""));
            String unit = parts.group(2).toLowerCase(Locale.ROOT);
            months = switch (unit) {
                case "year" -> amount * 12;
                case "mon", "month" -> amount;
                default -> 0;
            };
            millis = switch (unit) {
                case "week" -> amount * 7 * 86_400_000L;
                case "day" -> amount * 86_400_000L;
                case "hour" -> amount * 3_600_000L;
                case "minute", "min" -> amount * 60_000L;
                case "second", "sec" -> amount * 1_000L;
                default -> 0;
            };
        }
        else {
            return null;
        }
        // a table function (in FROM, and joined laterally when in a select list), looked up as one; its
        // arguments are text, which Calcite can hand it while planning (it cannot evaluate casts to TIMESTAMP)
        SqlUnresolvedFunction series = new SqlUnresolvedFunction(new SqlIdentifier("pg_generate_series_ts", POS), null, null, null, null,
                call.getOperator() instanceof SqlFunction function ? function.getFunctionType() : SqlFunctionCategory.USER_DEFINED_FUNCTION);
        return series.createCall(POS, timestampText(call.operand(0)), timestampText(call.operand(1)),
                SqlLiteral.createCharString(months + " " + millis, POS));
    }

    /** A series bound as text: a date or timestamp literal as it is written, anything else cast to a timestamp and then to text. */
    private static SqlNode timestampText(SqlNode operand)
    {
        SqlNode value = operand;
        if (operand.getKind() == SqlKind.CAST && operand instanceof SqlCall cast && cast.operand(0) instanceof SqlLiteral) {
            value = cast.operand(0);
        }
        if (value instanceof SqlLiteral literal && literal.getTypeName() == SqlTypeName.CHAR) {
            return literal;
        }
        SqlDataTypeSpec timestamp = new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP, POS), POS);
        return SqlStdOperatorTable.CAST.createCall(POS, SqlStdOperatorTable.CAST.createCall(POS, operand, timestamp), varchar());
    }

    /** {@code 'name'::regclass} (or regtype): an OID where it is compared, a name where it is shown. */
    private static boolean isRegLiteralCast(SqlNode node)
    {
        if (node.getKind() != SqlKind.CAST || !(node instanceof SqlCall cast) || cast.operandCount() != 2
                || !(cast.operand(0) instanceof SqlLiteral literal) || literal.getTypeName() != SqlTypeName.CHAR
                || !(cast.operand(1) instanceof SqlDataTypeSpec spec)) {
            return false;
        }
        String type = spec.getTypeName().names.get(spec.getTypeName().names.size() - 1).toLowerCase(Locale.ROOT);
        return type.equals("regclass") || type.equals("regtype");
    }

    /** A select-list item {@code 'name'::regclass}: cast once more, so that the OID the literal resolves to is printed as its name. */
    private static SqlNode shownByName(SqlCall cast)
    {
        return SqlStdOperatorTable.CAST.createCall(cast.getParserPosition(), cast, cast.operand(1));
    }

    private static boolean isArrayConstructor(SqlNode node)
    {
        return node.getKind() == SqlKind.ARRAY_QUERY_CONSTRUCTOR || node.getKind() == SqlKind.ARRAY_VALUE_CONSTRUCTOR;
    }

    /** An array of the engine's own (ARRAY[...], ARRAY(SELECT ...), array_agg(...)), not a catalog array's text form. */
    private static boolean isEngineArray(SqlNode node)
    {
        return node.getKind() == SqlKind.ARRAY_VALUE_CONSTRUCTOR || node.getKind() == SqlKind.ARRAY_QUERY_CONSTRUCTOR
                || node.getKind() == SqlKind.ARRAY_AGG || node instanceof SqlCall call && "array_agg".equals(functionName(call));
    }

    private static SqlNode call(String function, SqlNode... operands)
    {
        SqlUnresolvedFunction operator = new SqlUnresolvedFunction(new SqlIdentifier(function, POS), null, null, null, null,
                SqlFunctionCategory.USER_DEFINED_FUNCTION);
        return operator.createCall(POS, operands);
    }

    /** PostgreSQL's name for an unaliased select item. */
    private static String name(SqlNode node)
    {
        return PgColumnNames.of(node);
    }
}
