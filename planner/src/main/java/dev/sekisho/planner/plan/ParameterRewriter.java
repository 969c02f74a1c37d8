package dev.sekisho.planner.plan;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.SqlToken;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Rewrites PostgreSQL's {@code $1..$n} parameters (the lexer's parameter tokens: never inside a
 * string, a quoted identifier or a comment) into the {@code ?} placeholders Calcite parses, and remembers which {@code $n} each
 * placeholder stands for and where it was (to map error positions back to the client's text).
 */
final class ParameterRewriter
{
    private ParameterRewriter() {}

    /**
     * The rewritten statement.
     *
     * @param statement the text with {@code ?} placeholders, and its tokens
     * @param parameterNumbers for each placeholder in order, the one-based {@code $n} it stands for
     * @param placeholderOffsets for each placeholder, its zero-based offset in {@code sql}
     * @param originalLengths for each placeholder, the length of the {@code $n} it replaced
     */
    record Rewritten(SqlStatement statement, List<Integer> parameterNumbers, int[] placeholderOffsets, int[] originalLengths)
    {
        Rewritten
        {
            requireNonNull(statement, "statement is null");
            parameterNumbers = List.copyOf(parameterNumbers);
        }

        /** The text with {@code ?} placeholders. */
        String sql()
        {
            return statement.text();
        }

        /** The highest {@code $n} used, or 0. */
        int maxParameterNumber()
        {
            return parameterNumbers.stream().mapToInt(Integer::intValue).max().orElse(0);
        }

        /** Maps a zero-based offset in {@link #sql()} to the zero-based offset in the client's text. */
        int originalOffset(int rewrittenOffset)
        {
            int shift = 0;
            for (int i = 0; i < placeholderOffsets.length && placeholderOffsets[i] < rewrittenOffset; i++) {
                shift += originalLengths[i] - 1;
            }
            return rewrittenOffset + shift;
        }

        /** The placeholder index at a zero-based offset of {@link #sql()}, or -1. */
        int placeholderAt(int rewrittenOffset)
        {
            for (int i = 0; i < placeholderOffsets.length; i++) {
                if (placeholderOffsets[i] == rewrittenOffset) {
                    return i;
                }
            }
            return -1;
        }
    }

    static Rewritten rewrite(String sql)
    {
        return rewrite(SqlStatement.of(sql));
    }

    /** Rewrites the parameters of a lexed statement; the result carries its own tokens (no one lexes it again). */
    static Rewritten rewrite(SqlStatement statement)
    {
        String sql = statement.text();
        StringBuilder out = new StringBuilder(sql.length());
        List<SqlToken> tokens = new ArrayList<>(statement.tokens().size());
        List<Integer> numbers = new ArrayList<>();
        List<int[]> places = new ArrayList<>();
        for (SqlToken token : statement.tokens()) {
            int at = out.length();
            if (token.kind() == SqlToken.Kind.PARAMETER) {
                int number;
                try {
                    number = Integer.parseInt(token.value());
                }
                catch (NumberFormatException e) {
                    number = Integer.MAX_VALUE;
                }
                if (number < 1 || number > 65_535) {
                    throw new QueryException(SqlStates.UNDEFINED_PARAMETER, "there is no parameter " + token.text(),
                            "Parameters are numbered $1 to $65535.", null).withPosition(token.start() + 1);
                }
                places.add(new int[] {at, token.text().length()});
                numbers.add(number);
                out.append('?');
                tokens.add(new SqlToken(SqlToken.Kind.SYMBOL, "?", at));
                continue;
            }
            if (token.kind() == SqlToken.Kind.SYMBOL && token.text().indexOf('?') >= 0) {
                throw new QueryException(SqlStates.SYNTAX_ERROR, "syntax error at or near \"?\"",
                        "Write parameters as $1, $2, ... as in PostgreSQL.", null).withPosition(token.start() + token.text().indexOf('?') + 1);
            }
            out.append(token.text());
            tokens.add(at == token.start() ? token : new SqlToken(token.kind(), token.text(), at));
        }
        int[] offsets = places.stream().mapToInt(place -> place[0]).toArray();
        int[] lengths = places.stream().mapToInt(place -> place[1]).toArray();
        return new Rewritten(new SqlStatement(out.toString(), tokens), numbers, offsets, lengths);
    }
}
