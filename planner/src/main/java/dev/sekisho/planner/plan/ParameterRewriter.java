package dev.sekisho.planner.plan;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Rewrites PostgreSQL's {@code $1..$n} parameters into the {@code ?} placeholders Calcite parses,
 * skipping string literals, quoted identifiers and comments, and remembers which {@code $n} each
 * placeholder stands for and where it was (to map error positions back to the client's text).
 */
final class ParameterRewriter
{
    private ParameterRewriter() {}

    /**
     * The rewritten statement.
     *
     * @param sql the text with {@code ?} placeholders
     * @param parameterNumbers for each placeholder in order, the one-based {@code $n} it stands for
     * @param placeholderOffsets for each placeholder, its zero-based offset in {@code sql}
     * @param originalLengths for each placeholder, the length of the {@code $n} it replaced
     */
    record Rewritten(String sql, List<Integer> parameterNumbers, int[] placeholderOffsets, int[] originalLengths)
    {
        Rewritten
        {
            requireNonNull(sql, "sql is null");
            parameterNumbers = List.copyOf(parameterNumbers);
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
        StringBuilder out = new StringBuilder(sql.length());
        List<Integer> numbers = new ArrayList<>();
        List<int[]> places = new ArrayList<>();
        int length = sql.length();
        int i = 0;
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = skipQuoted(sql, i, c);
                out.append(sql, i, end);
                i = end;
            }
            else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? length : end;
                out.append(sql, i, end);
                i = end;
            }
            else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
                int end = skipBlockComment(sql, i);
                out.append(sql, i, end);
                i = end;
            }
            else if (c == '$' && i + 1 < length && isDigit(sql.charAt(i + 1)) && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))) {
                int end = i + 1;
                while (end < length && isDigit(sql.charAt(end))) {
                    end++;
                }
                int number;
                try {
                    number = Integer.parseInt(sql.substring(i + 1, end));
                }
                catch (NumberFormatException e) {
                    number = Integer.MAX_VALUE;
                }
                if (number < 1 || number > 65_535) {
                    throw new QueryException(SqlStates.UNDEFINED_PARAMETER, "there is no parameter " + sql.substring(i, end),
                            "Parameters are numbered $1 to $65535.", null).withPosition(i + 1);
                }
                places.add(new int[] {out.length(), end - i});
                numbers.add(number);
                out.append('?');
                i = end;
            }
            else if (c == '?') {
                throw new QueryException(SqlStates.SYNTAX_ERROR, "syntax error at or near \"?\"",
                        "Write parameters as $1, $2, ... as in PostgreSQL.", null).withPosition(i + 1);
            }
            else {
                out.append(c);
                i++;
            }
        }
        int[] offsets = places.stream().mapToInt(place -> place[0]).toArray();
        int[] lengths = places.stream().mapToInt(place -> place[1]).toArray();
        return new Rewritten(out.toString(), numbers, offsets, lengths);
    }

    private static int skipQuoted(String sql, int start, char quote)
    {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static int skipBlockComment(String sql, int start)
    {
        // PostgreSQL nests block comments
        int depth = 0;
        int i = start;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            }
            else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            }
            else {
                i++;
            }
        }
        return sql.length();
    }

    private static boolean isDigit(char c)
    {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierPart(char c)
    {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
