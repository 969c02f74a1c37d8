package dev.sekisho.planner.plan;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlValidatorCatalogReader;
import org.apache.calcite.sql.validate.SqlValidatorImpl;
import org.apache.calcite.sql.validate.SqlValidatorScope;

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
