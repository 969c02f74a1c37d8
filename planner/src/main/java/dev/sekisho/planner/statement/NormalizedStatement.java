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
 * @param literalTokens for each literal, the index in {@code original}'s tokens of the token it was
 *         read from (an IN list's padding repeats its last element's): what a session needs to
 *         recognise the next text of the same shape without lexing and normalising it again
 * @param annotation the fields of the statement's leading comment, if it has them
 */
public record NormalizedStatement(SqlStatement original, SqlStatement statement, int clientParameterCount, List<FoldedLiteral> literals,
        List<Integer> literalTokens, Optional<StatementAnnotation> annotation)
{
    public NormalizedStatement
    {
        requireNonNull(original, "original is null");
        requireNonNull(statement, "statement is null");
        if (clientParameterCount < 0) {
            throw new IllegalArgumentException("clientParameterCount is negative");
        }
        literals = List.copyOf(literals);
        literalTokens = List.copyOf(literalTokens);
        if (literalTokens.size() != literals.size()) {
            throw new IllegalArgumentException("%d literals read from %d tokens".formatted(literals.size(), literalTokens.size()));
        }
        for (int i = 0; i < literals.size(); i++) {
            int token = literalTokens.get(i);
            if (token < 0 || token >= original.tokens().size() || !original.tokens().get(token).text().equals(literals.get(i).text())) {
                throw new IllegalArgumentException("literal " + i + " is not the text of token " + token);
            }
        }
        requireNonNull(annotation, "annotation is null");
    }

    /**
     * The same normalised statement for another text of this shape: {@code original} has the same
     * tokens as this one's except at {@link #literalTokens()}, where it holds {@code literals}
     * (one per distinct token, in token order), which are read as this statement's were. The caller
     * vouches that lexing and normalising {@code original} would give exactly this.
     */
    public NormalizedStatement withLiterals(SqlStatement original, List<FoldedLiteral> literalsByToken)
    {
        List<FoldedLiteral> values = new ArrayList<>(literals.size());
        int distinct = -1;
        int previousToken = -1;
        for (int token : literalTokens) {
            if (token != previousToken) {
                distinct++;
                previousToken = token;
            }
            values.add(literalsByToken.get(distinct));
        }
        if (distinct + 1 != literalsByToken.size()) {
            throw new IllegalArgumentException("%d literals for %d tokens".formatted(literalsByToken.size(), distinct + 1));
        }
        return new NormalizedStatement(original, statement, clientParameterCount, values, literalTokens, annotation);
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
