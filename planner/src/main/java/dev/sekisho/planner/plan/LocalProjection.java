package dev.sekisho.planner.plan;

import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.types.ValueConverters;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.linq4j.function.Function1;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexExecutorImpl;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.SchemaPlus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * The last projection of a statement computed in the gateway over the rows its source returns:
 * what the source cannot compute with PostgreSQL's meaning (a numeric quotient's scale, {@code avg}
 * as {@code sum / count}) is evaluated per row, while the joins, filters and aggregates below it run
 * at the source. Compiled once per plan to Java (Calcite's {@link RexExecutorImpl}); stateless, so
 * one plan serves concurrent executions.
 */
final class LocalProjection
{
    private final Function1<DataContext, Object[]> function;
    private final List<UnaryOperator<Object>> inputConverters;
    private final List<UnaryOperator<Object>> parameterConverters;
    private final JavaTypeFactory typeFactory;
    private final String explain;
    private final List<ColumnMetadata> columns;

    /**
     * @param projects the expressions, over the source's row ({@code inputType})
     * @param parameterTypes for each Calcite dynamic parameter index, its type
     */
    LocalProjection(RexBuilder rexBuilder, List<RexNode> projects, RelDataType inputType, List<RelDataType> parameterTypes, JavaTypeFactory typeFactory)
    {
        this.function = RexExecutorImpl.getExecutable(rexBuilder, projects, inputType).getFunction();
        this.inputConverters = inputType.getFieldList().stream().map(field -> ValueConverters.toInternal(field.getType())).toList();
        this.parameterConverters = parameterTypes.stream().map(ValueConverters::toInternal).toList();
        this.typeFactory = requireNonNull(typeFactory, "typeFactory is null");
        this.explain = projects.toString();
        this.columns = projects.stream()
                .map(project -> new ColumnMetadata("?column?", dev.sekisho.planner.types.TypeMapping.toColumnType(project.getType()), true, "computed"))
                .toList();
    }

    /** The expressions, for EXPLAIN. */
    String explain()
    {
        return explain;
    }

    /**
     * The projected rows of {@code source}.
     *
     * @param parameters for each Calcite dynamic parameter index, its value
     */
    ResultStream apply(ResultStream source, List<Object> parameters)
    {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            values.put("?" + i, parameterConverters.get(i).apply(parameters.get(i)));
        }
        Object[] input = new Object[inputConverters.size()];
        // the generated code reads the row from the data context (RexExecutorImpl.DataContextInputGetter)
        values.put("inputRecord", input);
        DataContext context = new RowContext(typeFactory, values);
        return new ResultStream()
        {
            private Object[] row;

            @Override
            public List<ColumnMetadata> columns()
            {
                return columns;
            }

            @Override
            public boolean next()
            {
                if (!source.next()) {
                    row = null;
                    return false;
                }
                for (int i = 0; i < input.length; i++) {
                    input[i] = inputConverters.get(i).apply(source.value(i));
                }
                row = function.apply(context);
                return true;
            }

            @Override
            public boolean nextRowArrived()
            {
                return source.nextRowArrived();
            }

            @Override
            public Object value(int column)
            {
                return row[column];
            }

            @Override
            public void close()
            {
                source.close();
            }
        };
    }

    private record RowContext(JavaTypeFactory typeFactory, Map<String, Object> values)
            implements DataContext
    {
        @Override
        public SchemaPlus getRootSchema()
        {
            return null;
        }

        @Override
        public JavaTypeFactory getTypeFactory()
        {
            return typeFactory;
        }

        @Override
        public QueryProvider getQueryProvider()
        {
            return null;
        }

        @Override
        public Object get(String name)
        {
            return values.get(name);
        }
    }
}
