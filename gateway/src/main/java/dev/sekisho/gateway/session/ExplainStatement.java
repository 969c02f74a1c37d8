package dev.sekisho.gateway.session;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.SqlToken;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code EXPLAIN [ANALYZE] [VERBOSE] query} and {@code EXPLAIN (ANALYZE, VERBOSE, ...) query} read
 * from the statement's tokens: the options and the query they explain.
 *
 * @param query the explained statement, lexed already
 * @param analyze whether the query is run to report its rows and time
 */
record ExplainStatement(SqlStatement query, boolean analyze)
{
    ExplainStatement
    {
        requireNonNull(query, "query is null");
    }

    static ExplainStatement parse(SqlStatement statement)
    {
        List<SqlToken> tokens = statement.significant();
        int i = 1;
        boolean analyze = false;
        if (i < tokens.size() && tokens.get(i).isSymbol("(")) {
            // EXPLAIN (ANALYZE [true], VERBOSE, COSTS off, FORMAT text, ...)
            i++;
            boolean optionName = true;
            while (i < tokens.size() && !tokens.get(i).isSymbol(")")) {
                SqlToken token = tokens.get(i);
                if (token.isSymbol(",")) {
                    optionName = true;
                }
                else if (optionName) {
                    analyze |= token.isWord("analyze") && !(i + 1 < tokens.size() && (tokens.get(i + 1).isWord("false") || tokens.get(i + 1).isWord("off")));
                    optionName = false;
                }
                i++;
            }
            i++;
        }
        else {
            while (i < tokens.size() && (tokens.get(i).isWord("analyze") || tokens.get(i).isWord("analyse") || tokens.get(i).isWord("verbose"))) {
                analyze |= !tokens.get(i).isWord("verbose");
                i++;
            }
        }
        if (i >= tokens.size()) {
            throw new QueryException(SqlStates.SYNTAX_ERROR, "EXPLAIN needs a query to explain", "Write EXPLAIN SELECT ...", null);
        }
        return new ExplainStatement(statement.from(tokens.get(i)), analyze);
    }
}
