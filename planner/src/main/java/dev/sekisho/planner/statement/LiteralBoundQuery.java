package dev.sekisho.planner.statement;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SourceStatement;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.RouteExplanation;
import dev.sekisho.policies.FiredRule;
import dev.sekisho.policies.sql.StatementAnnotation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A shared plan of a normalised statement, with this statement's folded literals bound: to the
 * client it is the statement it sent (its text, its own parameters only). Immutable.
 */
public final class LiteralBoundQuery
        implements PreparedQuery
{
    private final String sql;
    private final PreparedQuery plan;
    private final int clientParameterCount;
    private final List<Object> literalValues;
    private final Optional<StatementAnnotation> annotation;
    private final Optional<NormalizedStatement> normalized;

    /**
     * @param plan the normalised statement's plan: the client's parameters, then one per literal
     * @param literalValues the literals' values as the plan's parameter types
     */
    public LiteralBoundQuery(String sql, PreparedQuery plan, int clientParameterCount, List<Object> literalValues, Optional<StatementAnnotation> annotation)
    {
        this(sql, plan, clientParameterCount, literalValues, annotation, Optional.empty());
    }

    private LiteralBoundQuery(String sql, PreparedQuery plan, int clientParameterCount, List<Object> literalValues, Optional<StatementAnnotation> annotation,
            Optional<NormalizedStatement> normalized)
    {
        this.normalized = requireNonNull(normalized, "normalized is null");
        this.sql = requireNonNull(sql, "sql is null");
        this.plan = requireNonNull(plan, "plan is null");
        this.literalValues = List.copyOf(literalValues);
        this.annotation = requireNonNull(annotation, "annotation is null");
        if (clientParameterCount + this.literalValues.size() != plan.parameterTypes().size()) {
            throw new IllegalArgumentException("the plan has %d parameters, not %d of the client's and %d literals"
                    .formatted(plan.parameterTypes().size(), clientParameterCount, this.literalValues.size()));
        }
        this.clientParameterCount = clientParameterCount;
    }

    /**
     * Binds the literals of {@code statement} to {@code plan}: empty when a literal cannot be read
     * as the type the plan gave its parameter (then the statement must be planned as written).
     */
    public static Optional<PreparedQuery> bind(NormalizedStatement statement, PreparedQuery plan)
    {
        List<ColumnType> types = plan.parameterTypes();
        if (types.size() != statement.clientParameterCount() + statement.literals().size()) {
            return Optional.empty();
        }
        List<Object> values = new ArrayList<>(statement.literals().size());
        for (int i = 0; i < statement.literals().size(); i++) {
            Optional<Object> value = statement.literals().get(i).as(types.get(statement.clientParameterCount() + i));
            if (value.isEmpty()) {
                return Optional.empty();
            }
            values.add(value.get());
        }
        return Optional.of(new LiteralBoundQuery(statement.original().text(), plan, statement.clientParameterCount(), values, statement.annotation(),
                Optional.of(statement)));
    }

    /** The normalised statement whose literals this binds; empty for a statement planned without folding any. */
    public Optional<NormalizedStatement> normalized()
    {
        return normalized;
    }

    @Override
    public String sql()
    {
        return sql;
    }

    /** The fields of the statement's leading comment (Redash's annotation), for audit and the cost guard. */
    public Optional<StatementAnnotation> annotation()
    {
        return annotation;
    }

    @Override
    public List<ResultColumn> columns()
    {
        return plan.columns();
    }

    @Override
    public List<ColumnType> parameterTypes()
    {
        return plan.parameterTypes().subList(0, clientParameterCount);
    }

    @Override
    public ResultStream execute(List<Object> parameters, ExecutionContext context)
    {
        return plan.execute(withLiterals(parameters), context);
    }

    @Override
    public List<BackendQuery> fragments(List<Object> parameters)
    {
        // the cost guard estimates what runs: the shared plan with this statement's literals bound
        return plan.fragments(withLiterals(parameters));
    }

    private List<Object> withLiterals(List<Object> parameters)
    {
        if (literalValues.isEmpty()) {
            return parameters;
        }
        List<Object> all = new ArrayList<>(parameters.size() + literalValues.size());
        all.addAll(parameters);
        all.addAll(literalValues);
        return all;
    }

    @Override
    public String explain()
    {
        String explained = plan.explain();
        if (literalValues.isEmpty()) {
            return explained;
        }
        StringBuilder text = new StringBuilder(explained);
        text.append("\nLiterals bound as parameters (shared plan):");
        for (int i = 0; i < literalValues.size(); i++) {
            text.append(i == 0 ? " " : ", ").append('$').append(clientParameterCount + i + 1).append(" = ").append(literalValues.get(i));
        }
        return text.toString();
    }

    @Override
    public List<RouteExplanation> routes()
    {
        return plan.routes();
    }

    @Override
    public List<SourceStatement> sourceStatements()
    {
        // the plan's statements with their parameter markers: the literals stay out of the audit trail's text
        return plan.sourceStatements();
    }

    @Override
    public List<String> tablesRead()
    {
        return plan.tablesRead();
    }

    @Override
    public boolean isFullyPushedDown()
    {
        return plan.isFullyPushedDown();
    }

    @Override
    public List<FiredRule> firedRules()
    {
        return plan.firedRules();
    }
}
