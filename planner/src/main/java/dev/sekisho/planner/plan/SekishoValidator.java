package dev.sekisho.planner.plan;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlNameMatchers;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlValidatorCatalogReader;
import org.apache.calcite.sql.validate.SqlValidatorImpl;
import org.apache.calcite.sql.validate.SqlValidatorScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** A validator in which parameter types declared by the client win over inferred ones. */
public final class SekishoValidator
        extends SqlValidatorImpl
{
    private final Map<Integer, RelDataType> declaredTypes;

    /**
     * @param declaredTypes the declared type of each Calcite dynamic parameter index that has one
     */
    public SekishoValidator(SqlOperatorTable operatorTable, SqlValidatorCatalogReader catalogReader, RelDataTypeFactory typeFactory,
            Config config, Map<Integer, RelDataType> declaredTypes)
    {
        super(operatorTable, catalogReader, typeFactory, config);
        this.declaredTypes = Map.copyOf(requireNonNull(declaredTypes, "declaredTypes is null"));
    }

    /** Records the declared types of the statement's parameter nodes before validation. */
    public void declare(Iterable<SqlDynamicParam> parameters)
    {
        for (SqlDynamicParam parameter : parameters) {
            RelDataType type = declaredTypes.get(parameter.getIndex());
            if (type != null) {
                setValidatedNodeType(parameter, type);
            }
        }
    }

    /**
     * Types each undeclared parameter that is cast ({@code $1::text}) as the cast's target, as
     * PostgreSQL does, before validation reaches operators that need their operands' types.
     */
    void typeCastParameters(SqlNode query)
    {
        query.accept(new SqlBasicVisitor<Void>()
        {
            @Override
            public Void visit(SqlCall call)
            {
                if (call.getKind() == SqlKind.CAST && call.operandCount() == 2 && call.operand(0) instanceof SqlDynamicParam parameter
                        && call.operand(1) instanceof SqlDataTypeSpec spec && !declaredTypes.containsKey(parameter.getIndex())) {
                    try {
                        setValidatedNodeType(parameter, getTypeFactory().createTypeWithNullability(spec.deriveType(SekishoValidator.this), true));
                    }
                    catch (RuntimeException e) {
                        // an unknown type name: validation reports it
                    }
                }
                return super.visit(call);
            }
        });
    }

    /**
     * PostgreSQL's date arithmetic, which Calcite's operators lack, decided by the operands' types:
     * {@code date + integer} and {@code date - integer} are {@code pg_date_add_days} and {@code pg_date_sub_days} (a date),
     * {@code date - date} is {@code pg_date_diff_days} (an integer), {@code timestamp - timestamp}
     * is {@code pg_timestamp_diff} (an interval); operators over interval values are {@link IntervalOperators}'.
     */
    @Override
    public RelDataType deriveType(SqlValidatorScope scope, SqlNode expression)
    {
        if (expression instanceof SqlBasicCall call && getValidatedNodeTypeIfKnown(call) == null) {
            new IntervalOperators(node -> deriveType(scope, node), this::function).rewrite(call);
        }
        if (expression instanceof SqlCall call && getValidatedNodeTypeIfKnown(call) == null) {
            PgNumericTyping.resolve(this, scope, call);
        }
        if (expression instanceof SqlBasicCall call && call.getKind() == SqlKind.TIMES && call.operandCount() == 2 && getValidatedNodeTypeIfKnown(call) == null) {
            for (int i = 0; i < 2; i++) {
                // extract(...) * interval (Tableau's week: -extract(dow from x) * interval '1 day'): the engines multiply an
                // interval by an integer, so the field stays the integer it is before the cast to numeric that extract's type adds
                SqlNode factor = call.operand(i);
                SqlCall negation = factor.getKind() == SqlKind.MINUS_PREFIX ? (SqlCall) factor : null;
                SqlNode inner = negation != null ? negation.operand(0) : factor;
                if (inner instanceof SqlCall cast && cast.getKind() == SqlKind.CAST && isExtract(cast.operand(0)) && isInterval(scope, call.operand(1 - i))) {
                    if (negation != null) {
                        negation.setOperand(0, cast.operand(0));
                    }
                    else {
                        call.setOperand(i, cast.operand(0));
                    }
                }
            }
        }
        if (expression instanceof SqlBasicCall call && (call.getKind() == SqlKind.PLUS || call.getKind() == SqlKind.MINUS) && call.operandCount() == 2
                && getValidatedNodeTypeIfKnown(call) == null) {
            RelDataType left;
            RelDataType right;
            try {
                left = deriveType(scope, call.operand(0));
                right = deriveType(scope, call.operand(1));
            }
            catch (RuntimeException e) {
                return super.deriveType(scope, expression);
            }
            SqlTypeName leftType = left.getSqlTypeName();
            SqlTypeName rightType = right.getSqlTypeName();
            boolean plus = call.getKind() == SqlKind.PLUS;
            if (leftType == SqlTypeName.DATE && isInteger(rightType)) {
                call.setOperator(function(plus ? "pg_date_add_days" : "pg_date_sub_days"));
            }
            else if (plus && isInteger(leftType) && rightType == SqlTypeName.DATE) {
                SqlNode days = call.operand(0);
                call.setOperand(0, call.operand(1));
                call.setOperand(1, days);
                call.setOperator(function("pg_date_add_days"));
            }
            else if (!plus && leftType == SqlTypeName.DATE && rightType == SqlTypeName.DATE) {
                call.setOperator(function("pg_date_diff_days"));
            }
            else if (!plus && leftType == SqlTypeName.TIMESTAMP && rightType == SqlTypeName.TIMESTAMP) {
                call.setOperator(function("pg_timestamp_diff"));
            }
            else if (!plus && (leftType == SqlTypeName.TIMESTAMP && rightType == SqlTypeName.DATE || leftType == SqlTypeName.DATE && rightType == SqlTypeName.TIMESTAMP)) {
                // a date is its midnight against a timestamp
                int date = leftType == SqlTypeName.DATE ? 0 : 1;
                call.setOperand(date, SqlStdOperatorTable.CAST.createCall(SqlParserPos.ZERO, call.operand(date),
                        new org.apache.calcite.sql.SqlDataTypeSpec(new org.apache.calcite.sql.SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP, 0, SqlParserPos.ZERO),
                                SqlParserPos.ZERO)));
                call.setOperator(function("pg_timestamp_diff"));
            }
            else if (leftType == SqlTypeName.DATE && SqlTypeName.INTERVAL_TYPES.contains(rightType)) {
                // date plus or minus an interval is a timestamp in PostgreSQL
                call.setOperand(0, SqlStdOperatorTable.CAST.createCall(SqlParserPos.ZERO, call.operand(0),
                        new org.apache.calcite.sql.SqlDataTypeSpec(new org.apache.calcite.sql.SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP, 0, SqlParserPos.ZERO),
                                SqlParserPos.ZERO)));
            }
            else if (plus && SqlTypeName.INTERVAL_TYPES.contains(leftType) && rightType == SqlTypeName.DATE) {
                call.setOperand(1, SqlStdOperatorTable.CAST.createCall(SqlParserPos.ZERO, call.operand(1),
                        new org.apache.calcite.sql.SqlDataTypeSpec(new org.apache.calcite.sql.SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP, 0, SqlParserPos.ZERO),
                                SqlParserPos.ZERO)));
            }
        }
        return super.deriveType(scope, expression);
    }

    /** A select item that is {@code sum}, {@code avg}, {@code min} or {@code max} of intervals becomes {@link IntervalOperators}' computation of it. */
    @Override
    public SqlNode expandSelectExpr(SqlNode expr, org.apache.calcite.sql.validate.SelectScope scope, org.apache.calcite.sql.SqlSelect select,
            Map<String, SqlNode> expansions)
    {
        SqlNode expanded = super.expandSelectExpr(expr, scope, select, expansions);
        if (expanded instanceof SqlBasicCall call) {
            SqlNode computed = new IntervalOperators(node -> deriveType(scope, node), this::function).aggregate(call);
            if (computed != null) {
                return computed;
            }
        }
        return expanded;
    }

    private static boolean isExtract(SqlNode node)
    {
        return node.getKind() == SqlKind.EXTRACT || node.getKind() == SqlKind.MINUS && ((SqlCall) node).operand(0).getKind() == SqlKind.EXTRACT;
    }

    private boolean isInterval(SqlValidatorScope scope, SqlNode node)
    {
        try {
            return SqlTypeName.INTERVAL_TYPES.contains(deriveType(scope, node).getSqlTypeName());
        }
        catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean isInteger(SqlTypeName type)
    {
        return type == SqlTypeName.INTEGER || type == SqlTypeName.SMALLINT || type == SqlTypeName.TINYINT;
    }

    SqlOperator function(String name)
    {
        List<SqlOperator> found = new ArrayList<>();
        getOperatorTable().lookupOperatorOverloads(new SqlIdentifier(name, SqlParserPos.ZERO), SqlFunctionCategory.USER_DEFINED_FUNCTION, SqlSyntax.FUNCTION,
                found, SqlNameMatchers.withCaseSensitive(false));
        if (found.isEmpty()) {
            throw new IllegalStateException("no function " + name);
        }
        return found.get(0);
    }

    @Override
    protected void inferUnknownTypes(RelDataType inferredType, SqlValidatorScope scope, SqlNode node)
    {
        if (node instanceof SqlDynamicParam parameter) {
            RelDataType declared = declaredTypes.get(parameter.getIndex());
            if (declared != null) {
                setValidatedNodeType(node, declared);
                return;
            }
        }
        super.inferUnknownTypes(inferredType, scope, node);
    }
}
