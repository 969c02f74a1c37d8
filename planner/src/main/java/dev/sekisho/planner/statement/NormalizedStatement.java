package dev.sekisho.planner.statement;

import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.StatementAnnotation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A statement as the plan cache sees it: comments gone, white space folded, row-selecting literals
 * replaced by parameters numbered after the client's own.
 *
 * @param original the statement as the client sent it
 * @param statement the normalised statement (the plan cache's key text)
 * @param clientParameterCount how many parameters the client's text and declaration have; the
 *         literals are parameters {@code clientParameterCount + 1} onwards
 * @param literals the folded literals, in parameter order (an IN list's padding repeats its last value)
 * @param annotation the fields of the statement's leading comment, if it has them
 */
public record NormalizedStatement(SqlStatement original, SqlStatement statement, int clientParameterCount, List<FoldedLiteral> literals,
        Optional<StatementAnnotation> annotation)
{
    public NormalizedStatement
    {
        requireNonNull(original, "original is null");
        requireNonNull(statement, "statement is null");
        if (clientParameterCount < 0) {
            throw new IllegalArgumentException("clientParameterCount is negative");
        }
        literals = List.copyOf(literals);
        requireNonNull(annotation, "annotation is null");
    }

    /** Whether normalising changed the text at all (if not, the statement is planned as it is). */
    public boolean changed()
    {
        return !statement.text().equals(original.text());
    }

    /** The client's declared types, padded to its parameter count, then each literal's declared type. */
    public List<ColumnType> declaredTypes(List<ColumnType> clientDeclared)
    {
        List<ColumnType> types = new ArrayList<>(clientParameterCount + literals.size());
        types.addAll(clientDeclared);
        while (types.size() < clientParameterCount) {
            types.add(null);
        }
        for (FoldedLiteral literal : literals) {
            types.add(literal.declaredType());
        }
        return Collections.unmodifiableList(types);
    }
}
