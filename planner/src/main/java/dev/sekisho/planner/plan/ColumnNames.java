package dev.sekisho.planner.plan;

import dev.sekisho.planner.pg.syntax.PgColumnNames;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Result column names as PostgreSQL chooses them: an alias as written (unquoted ones arrive folded
 * to lower case), a column reference's column name, a function call's function name ({@code count}),
 * a cast's operand name or type name, and {@code ?column?} for any other expression.
 */
final class ColumnNames
{
    static final String UNNAMED = "?column?";

    private ColumnNames() {}

    /**
     * What the client wrote, captured before validation (which rewrites calls such as COALESCE).
     *
     * @param names one name per select item, or null if the select list has a star or is not a SELECT
     * @param explicitAliases the aliases the client wrote
     * @param values whether the statement is a VALUES
     */
    record Written(List<String> names, Set<String> explicitAliases, boolean values) {}

    static Written capture(SqlNode parsed)
    {
        SqlSelect select = topSelect(parsed);
        if (select == null) {
            return new Written(null, Set.of(), parsed.getKind() == SqlKind.VALUES
                    || (parsed instanceof SqlOrderBy orderBy && orderBy.query.getKind() == SqlKind.VALUES));
        }
        Set<String> explicitAliases = new HashSet<>();
        List<String> names = new ArrayList<>();
        boolean star = false;
        for (SqlNode item : select.getSelectList()) {
            if (item.getKind() == SqlKind.AS) {
                explicitAliases.add(((SqlCall) item).operand(1).toString());
            }
            star |= item instanceof SqlIdentifier identifier && identifier.isStar();
            names.add(name(item));
        }
        return new Written(star ? null : names, explicitAliases, false);
    }

    /**
     * For each top-level select item that is an explicit cast to {@code varchar} (with a length or without),
     * PostgreSQL's {@code varchar} type OID (Calcite's type does not tell it from {@code text}); 0 for
     * the others. Null if the select list has a star or the statement is not a SELECT.
     */
    static int[] varcharCasts(SqlNode parsed)
    {
        SqlSelect select = topSelect(parsed);
        if (select == null) {
            return null;
        }
        int[] oids = new int[select.getSelectList().size()];
        for (int i = 0; i < oids.length; i++) {
            SqlNode item = select.getSelectList().get(i);
            if (item instanceof SqlIdentifier identifier && identifier.isStar()) {
                return null;
            }
            SqlNode expression = item.getKind() == SqlKind.AS ? ((SqlCall) item).operand(0) : item;
            if (expression.getKind() == SqlKind.CAST && ((SqlCall) expression).operandCount() == 2
                    && ((SqlCall) expression).operand(1) instanceof org.apache.calcite.sql.SqlDataTypeSpec spec
                    && spec.getTypeNameSpec() instanceof org.apache.calcite.sql.SqlBasicTypeNameSpec basic
                    && basic.getTypeName().getSimple().equalsIgnoreCase("VARCHAR")) {
                oids[i] = VARCHAR_OID;
            }
        }
        return oids;
    }

    private static final int VARCHAR_OID = 1043;

    static List<String> of(Written written, SqlNode validated, RelDataType rowType)
    {
        List<String> names = new ArrayList<>(rowType.getFieldNames());
        if (written.values()) {
            for (int i = 0; i < names.size(); i++) {
                names.set(i, "column" + (i + 1));
            }
            return names;
        }
        if (written.names() != null && written.names().size() == names.size()) {
            return new ArrayList<>(written.names());
        }
        SqlSelect validatedSelect = topSelect(validated);
        if (validatedSelect == null || validatedSelect.getSelectList().size() != names.size()) {
            return names;
        }
        SqlNodeList validatedItems = validatedSelect.getSelectList();
        for (int i = 0; i < names.size(); i++) {
            SqlNode item = validatedItems.get(i);
            if (item.getKind() == SqlKind.AS) {
                String alias = ((SqlCall) item).operand(1).toString();
                names.set(i, written.explicitAliases().contains(alias) ? alias : expressionName(((SqlCall) item).operand(0)));
            }
            else {
                names.set(i, expressionName(item));
            }
        }
        return names;
    }

    private static SqlSelect topSelect(SqlNode node)
    {
        if (node instanceof SqlSelect select) {
            return select;
        }
        if (node instanceof SqlOrderBy orderBy) {
            return topSelect(orderBy.query);
        }
        if (node instanceof SqlWith with) {
            return topSelect(with.body);
        }
        if (node instanceof SqlBasicCall call && (node.getKind() == SqlKind.UNION || node.getKind() == SqlKind.INTERSECT || node.getKind() == SqlKind.EXCEPT)) {
            return topSelect(call.operand(0));
        }
        return null;
    }

    private static String name(SqlNode item)
    {
        if (item.getKind() == SqlKind.AS) {
            SqlNode alias = ((SqlCall) item).operand(1);
            return alias instanceof SqlIdentifier identifier ? identifier.getSimple() : alias.toString();
        }
        return expressionName(item);
    }

    private static String expressionName(SqlNode node)
    {
        return PgColumnNames.of(node);
    }
}
