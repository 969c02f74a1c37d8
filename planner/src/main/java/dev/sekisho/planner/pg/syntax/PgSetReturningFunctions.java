package dev.sekisho.planner.pg.syntax;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import org.apache.calcite.sql.JoinConditionType;
import org.apache.calcite.sql.JoinType;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlRowTypeNameSpec;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.util.Litmus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PostgreSQL's set-returning functions in a select list ({@code SELECT generate_series(1, 3)},
 * {@code SELECT unnest(ix.indkey), generate_subscripts(ix.indkey, 1) FROM pg_index ix},
 * {@code (information_schema._pg_expandarray(i.indkey)).n}): each distinct call becomes a table
 * function joined laterally to the select's FROM list, and the calls become references to its
 * columns. Several distinct calls are zipped on their rows' ordinality, as PostgreSQL runs them in
 * lockstep (for calls of unequal lengths PostgreSQL pads the shorter with nulls; here the rows beyond
 * the shortest are dropped). A record-valued call used whole ({@code _pg_expandarray(x) AS keys})
 * becomes a row value whose fields ({@code (keys).x}) can be read outside. Selects that group or
 * aggregate are left alone.
 */
final class PgSetReturningFunctions
{
    private static final SqlParserPos POS = SqlParserPos.ZERO;
    /** Select-list function name to its lateral table function; the record-valued one is {@code _pg_expandarray}. */
    private static final Map<String, String> FUNCTIONS = Map.of(
            "generate_series", "pg_srf_generate_series",
            "pg_generate_series_ts", "pg_srf_pg_generate_series_ts",
            "generate_subscripts", "pg_srf_generate_subscripts",
            "pg_unnest", "pg_srf_unnest",
            "unnest", "pg_srf_unnest",
            "_pg_expandarray", "pg_srf_expandarray",
            "regexp_matches", "pg_srf_regexp_matches",
            "regexp_split_to_table", "pg_srf_regexp_split_to_table",
            "pg_unnest_array", "UNNEST");
    private static final String EXPAND_ARRAY = "_pg_expandarray";
    /** {@code unnest(ARRAY[...])} (an array of the engine's own, typed elements): the engine's UNNEST WITH ORDINALITY. */
    private static final String UNNEST = "UNNEST";
    private static final String ORDINALITY = "ordinality";

    private int aliases;

    private PgSetReturningFunctions() {}

    /** The statement with its select lists' set-returning functions joined laterally. */
    static SqlNode rewrite(SqlNode node)
    {
        PgSetReturningFunctions rewriter = new PgSetReturningFunctions();
        SqlNode result = node.accept(rewriter.new Shuttle());
        return result == null ? node : result;
    }

    private final class Shuttle
            extends SqlShuttle
    {
        @Override
        public SqlNode visit(SqlCall call)
        {
            SqlNode visited = super.visit(call);
            if (visited instanceof SqlSelect select) {
                return rewriteSelect(select);
            }
            return visited;
        }
    }

    private record Lateral(String function, List<SqlNode> operands, String alias) {}

    private SqlNode rewriteSelect(SqlSelect select)
    {
        SqlNodeList items = select.getSelectList();
        if (items == null || select.getGroup() != null && !select.getGroup().isEmpty() || select.getHaving() != null) {
            return select;
        }
        List<Lateral> laterals = new ArrayList<>();
        for (SqlNode item : items) {
            collect(item, laterals);
        }
        if (laterals.isEmpty()) {
            return select;
        }
        for (SqlNode item : items) {
            if (item instanceof SqlIdentifier identifier && identifier.isStar()) {
                throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "set-returning functions next to * in a select list are not supported",
                        "List the columns instead of *.", null);
            }
        }
        SqlNodeList rewritten = new SqlNodeList(POS);
        for (SqlNode item : items) {
            SqlNode expression = item;
            String alias = null;
            if (item.getKind() == SqlKind.AS) {
                expression = ((SqlCall) item).operand(0);
                alias = ((SqlIdentifier) ((SqlCall) item).operand(1)).getSimple();
            }
            SqlNode replaced = replace(expression, laterals);
            if (replaced == expression) {
                rewritten.add(item);
                continue;
            }
            if (alias == null) {
                alias = name(expression);
            }
            rewritten.add(SqlStdOperatorTable.AS.createCall(POS, replaced, new SqlIdentifier(alias, POS)));
        }
        select.setSelectList(rewritten);
        SqlNode from = select.getFrom();
        for (Lateral lateral : laterals) {
            if (lateral.function().equals(UNNEST)) {
                if (lateral.operands().size() != 1) {
                    throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "unnest of several arrays in a select list is not supported",
                            "Unnest one array per call.", null);
                }
                // implicitly lateral: UNNEST may read the columns of the tables before it
                SqlNode unnest = SqlStdOperatorTable.AS.createCall(POS, SqlStdOperatorTable.UNNEST_WITH_ORDINALITY.createCall(POS, lateral.operands().get(0)),
                        new SqlIdentifier(lateral.alias(), POS), new SqlIdentifier("value", POS), new SqlIdentifier(ORDINALITY, POS));
                from = from == null ? unnest
                        : new SqlJoin(POS, from, SqlLiteral.createBoolean(false, POS), JoinType.COMMA.symbol(POS), unnest, JoinConditionType.NONE.symbol(POS), null);
                continue;
            }
            SqlNode table = SqlStdOperatorTable.COLLECTION_TABLE.createCall(POS, function(lateral.function(), lateral.operands()));
            if (from == null) {
                from = SqlStdOperatorTable.AS.createCall(POS, table, new SqlIdentifier(lateral.alias(), POS));
                continue;
            }
            SqlNode right = SqlStdOperatorTable.AS.createCall(POS, SqlStdOperatorTable.LATERAL.createCall(POS, table), new SqlIdentifier(lateral.alias(), POS));
            from = new SqlJoin(POS, from, SqlLiteral.createBoolean(false, POS), JoinType.COMMA.symbol(POS), right, JoinConditionType.NONE.symbol(POS), null);
        }
        select.setFrom(from);
        SqlNode where = select.getWhere();
        for (int i = 1; i < laterals.size(); i++) {
            SqlNode zip = SqlStdOperatorTable.EQUALS.createCall(POS, column(laterals.get(i), ORDINALITY), column(laterals.get(0), ORDINALITY));
            where = where == null ? zip : SqlStdOperatorTable.AND.createCall(POS, where, zip);
        }
        select.setWhere(where);
        return select;
    }

    /** Collects the distinct set-returning calls of a select item, not looking into sub-queries. */
    private void collect(SqlNode node, List<Lateral> laterals)
    {
        if (!(node instanceof SqlCall call) || node instanceof SqlSelect || node.getKind().belongsTo(SqlKind.QUERY)) {
            return;
        }
        String function = setReturning(call);
        if (function != null) {
            if (find(call, laterals) == null) {
                laterals.add(new Lateral(function, call.getOperandList(), "pg_srf_" + aliases++));
            }
            return;
        }
        for (SqlNode operand : call.getOperandList()) {
            collect(operand, laterals);
        }
    }

    private SqlNode replace(SqlNode node, List<Lateral> laterals)
    {
        if (!(node instanceof SqlCall call) || node instanceof SqlSelect || node.getKind().belongsTo(SqlKind.QUERY)) {
            return node;
        }
        if (call.getKind() == SqlKind.DOT && call.operand(0) instanceof SqlCall record && setReturning(record) != null
                && call.operand(1) instanceof SqlIdentifier field) {
            // (f(...)).field
            return column(find(record, laterals), field.getSimple());
        }
        if (setReturning(call) != null) {
            Lateral lateral = find(call, laterals);
            if (lateral.function().equals(FUNCTIONS.get(EXPAND_ARRAY))) {
                return expandArrayRecord(lateral);
            }
            return column(lateral, "value");
        }
        List<SqlNode> operands = call.getOperandList();
        boolean changed = false;
        List<SqlNode> replaced = new ArrayList<>();
        for (SqlNode operand : operands) {
            SqlNode after = replace(operand, laterals);
            changed |= after != operand;
            replaced.add(after);
        }
        if (!changed) {
            return node;
        }
        for (int i = 0; i < replaced.size(); i++) {
            call.setOperand(i, replaced.get(i));
        }
        return call;
    }

    /** {@code CAST((s.x, s.n) AS ROW(x INTEGER, n INTEGER))}: the record {@code _pg_expandarray} returns. */
    private static SqlNode expandArrayRecord(Lateral lateral)
    {
        SqlDataTypeSpec integer = new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.INTEGER, POS), POS);
        SqlRowTypeNameSpec type = new SqlRowTypeNameSpec(POS, List.of(new SqlIdentifier("x", POS), new SqlIdentifier("n", POS)), List.of(integer, integer));
        SqlNode row = SqlStdOperatorTable.ROW.createCall(POS, column(lateral, "x"), column(lateral, "n"));
        return SqlStdOperatorTable.CAST.createCall(POS, row, new SqlDataTypeSpec(type, POS));
    }

    private static Lateral find(SqlCall call, List<Lateral> laterals)
    {
        String function = setReturning(call);
        for (Lateral lateral : laterals) {
            if (lateral.function().equals(function) && sameOperands(lateral.operands(), call.getOperandList())) {
                return lateral;
            }
        }
        return null;
    }

    private static boolean sameOperands(List<SqlNode> left, List<SqlNode> right)
    {
        if (left.size() != right.size()) {
            return false;
        }
        for (int i = 0; i < left.size(); i++) {
            if (!left.get(i).equalsDeep(right.get(i), Litmus.IGNORE)) {
                return false;
            }
        }
        return true;
    }

    /** The lateral table function for a set-returning call, or null. */
    private static String setReturning(SqlCall call)
    {
        if (call.getOperator() instanceof SqlFunction function) {
            SqlIdentifier identifier = function.getSqlIdentifier();
            String name = identifier != null ? identifier.names.get(identifier.names.size() - 1) : function.getName();
            return FUNCTIONS.get(name.toLowerCase(Locale.ROOT));
        }
        return null;
    }

    /** PostgreSQL's name for an unaliased item: a field's name for {@code (f(...)).field}, else the function's. */
    private static String name(SqlNode expression)
    {
        if (expression.getKind() == SqlKind.DOT && ((SqlCall) expression).operand(1) instanceof SqlIdentifier field) {
            return field.getSimple();
        }
        String name = PgColumnNames.of(expression);
        return name.equals("pg_unnest") || name.equals("pg_unnest_array") ? "unnest" : name;
    }

    private static SqlIdentifier column(Lateral lateral, String column)
    {
        return new SqlIdentifier(List.of(lateral.alias(), column), POS);
    }

    private static SqlNode function(String name, List<SqlNode> operands)
    {
        SqlUnresolvedFunction operator = new SqlUnresolvedFunction(new SqlIdentifier(name, POS), null, null, null, null,
                SqlFunctionCategory.USER_DEFINED_TABLE_FUNCTION);
        return operator.createCall(POS, operands);
    }
}
