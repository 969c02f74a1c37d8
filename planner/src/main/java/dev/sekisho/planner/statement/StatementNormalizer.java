package dev.sekisho.planner.statement;

import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.SqlToken;
import dev.sekisho.policies.sql.StatementAnnotation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Normalises a statement for the plan cache, in the manner of ProxySQL's digests but keeping what
 * shapes a plan. Comments go (Redash's annotation changes on every run), white space folds to one
 * space, and key words and unquoted names to lower case. A literal becomes a parameter only where it merely selects rows: the right-hand side
 * of a comparison with a column or an expression ({@code x = 5}, {@code f(x) >= '2024-01-01'}),
 * a {@code LIKE} pattern, both ends of a {@code BETWEEN}, and the elements of an {@code IN} list
 * of literals, whose length is padded to a power of two by repeating the last element (so lists of
 * 3 and 4 share a plan, lists of 4 and 5 do not). Every other literal stays in the text, and so in
 * the key: LIMIT and OFFSET, ORDER BY and GROUP BY positions, function arguments (a
 * {@code date_trunc} unit), select-list values, typed literals ({@code DATE '...'}, {@code '...'::date}),
 * interval units, escape strings.
 */
public final class StatementNormalizer
{
    private static final Set<String> COMPARISONS = Set.of("=", "<>", "!=", "<", ">", "<=", ">=");

    /** Words that may follow a folded literal: the literal's expression ends there. */
    private static final Set<String> ENDS_EXPRESSION = Set.of("and", "or", "order", "group", "limit", "offset", "having", "union", "except",
            "intersect", "then", "when", "else", "end", "fetch", "window", "for", "on", "where", "join", "inner", "left", "right", "full", "cross");

    private static final int LONGEST_ENDS_EXPRESSION = ENDS_EXPRESSION.stream().mapToInt(String::length).max().orElseThrow();

    /** IN lists longer than this keep their literals (a plan per length would crowd the cache). */
    static final int MAX_IN_LIST = 1_024;

    private StatementNormalizer() {}

    /**
     * @param clientParameterCount the number of the client's highest parameter (its {@code $n} in
     *         the text or its declared types, whichever is more); folded literals are numbered after it
     */
    public static NormalizedStatement normalize(SqlStatement statement, int clientParameterCount)
    {
        List<SqlToken> tokens = statement.tokens();
        Significant significant = Significant.of(tokens);
        // by token index: the literal folded there; at an IN list's ')', how many copies of the last element pad it
        FoldedLiteral[] folded = new FoldedLiteral[tokens.size()];
        int[] padding = new int[tokens.size()];
        for (int s = 0; s < significant.size(); s++) {
            SqlToken token = tokens.get(significant.get(s));
            if (token.isWord("in") && s + 1 < significant.size() && tokens.get(significant.get(s + 1)).isSymbol("(") && isOperand(tokens, significant, s - 1)) {
                s = foldInList(tokens, significant, s + 1, folded, padding);
                continue;
            }
            if (token.isWord("between") && isOperand(tokens, significant, s - 1) && s + 3 < significant.size()
                    && tokens.get(significant.get(s + 2)).isWord("and") && endsExpression(tokens, significant, s + 4)) {
                Optional<FoldedLiteral> low = literal(tokens.get(significant.get(s + 1)));
                Optional<FoldedLiteral> high = literal(tokens.get(significant.get(s + 3)));
                if (low.isPresent() && high.isPresent()) {
                    folded[significant.get(s + 1)] = low.get();
                    folded[significant.get(s + 3)] = high.get();
                    s += 3;
                }
                continue;
            }
            boolean comparison = token.kind() == SqlToken.Kind.SYMBOL && COMPARISONS.contains(token.text());
            boolean like = (token.isWord("like") || token.isWord("ilike")) && isOperand(tokens, significant, s - 1 - (s >= 2 && tokens.get(significant.get(s - 1)).isWord("not") ? 1 : 0));
            if ((comparison && isOperand(tokens, significant, s - 1) || like) && s + 1 < significant.size() && endsExpression(tokens, significant, s + 2)) {
                SqlToken next = tokens.get(significant.get(s + 1));
                Optional<FoldedLiteral> literal = like ? literal(next).filter(found -> found.value() instanceof String) : literal(next);
                if (literal.isPresent()) {
                    folded[significant.get(s + 1)] = literal.get();
                    s++;
                }
            }
        }
        return build(statement, clientParameterCount, folded, padding);
    }

    /** Folds {@code ( lit, lit, ... )} starting at the '(' (significant index {@code open}); returns the index to continue after. */
    private static int foldInList(List<SqlToken> tokens, Significant significant, int open, FoldedLiteral[] folded, int[] padding)
    {
        List<Integer> elements = new ArrayList<>();
        List<FoldedLiteral> values = new ArrayList<>();
        int s = open + 1;
        while (s < significant.size()) {
            Optional<FoldedLiteral> literal = literal(tokens.get(significant.get(s)));
            if (literal.isEmpty() || s + 1 >= significant.size()) {
                return open;
            }
            if (!values.isEmpty() && (values.get(0).value() instanceof String) != (literal.get().value() instanceof String)) {
                // a list mixing strings and numbers is typed by PostgreSQL as a whole: left as written
                return open;
            }
            elements.add(significant.get(s));
            values.add(literal.get());
            SqlToken after = tokens.get(significant.get(s + 1));
            if (after.isSymbol(")")) {
                if (values.size() > MAX_IN_LIST || !endsExpression(tokens, significant, s + 2)) {
                    return s + 1;
                }
                for (int i = 0; i < elements.size(); i++) {
                    folded[elements.get(i)] = values.get(i);
                }
                padding[significant.get(s + 1)] = bucket(values.size()) - values.size();
                return s + 1;
            }
            if (!after.isSymbol(",")) {
                return open;
            }
            s += 2;
        }
        return open;
    }

    /** The IN-list length a plan is made for: the next power of two. */
    static int bucket(int length)
    {
        return length <= 1 ? 1 : Integer.highestOneBit(length - 1) << 1;
    }

    /** Whether the significant token at {@code s} ends an operand: a name or a closing parenthesis. */
    private static boolean isOperand(List<SqlToken> tokens, Significant significant, int s)
    {
        if (s < 0) {
            return false;
        }
        SqlToken token = tokens.get(significant.get(s));
        return token.kind() == SqlToken.Kind.QUOTED_IDENTIFIER || token.isSymbol(")")
                || token.kind() == SqlToken.Kind.WORD && !endsExpression(token.text()) && !token.isWord("not")
                && !token.isWord("null") && !token.isWord("true") && !token.isWord("false");
    }

    /** Whether a word is one of {@link #ENDS_EXPRESSION}; names longer than the longest of them are not lower-cased to find out. */
    private static boolean endsExpression(String word)
    {
        return word.length() <= LONGEST_ENDS_EXPRESSION && ENDS_EXPRESSION.contains(word.toLowerCase(Locale.ROOT));
    }

    /** Whether nothing that binds to a literal follows it (significant index {@code s} is what follows). */
    private static boolean endsExpression(List<SqlToken> tokens, Significant significant, int s)
    {
        if (s >= significant.size()) {
            return true;
        }
        SqlToken token = tokens.get(significant.get(s));
        return token.isSymbol(")") || token.isSymbol(",") || token.isSymbol(";")
                || token.kind() == SqlToken.Kind.WORD && endsExpression(token.text());
    }

    /** A literal that may be folded: a number, or a plain {@code '...'} string. */
    private static Optional<FoldedLiteral> literal(SqlToken token)
    {
        return FoldedLiteral.of(token);
    }

    private static NormalizedStatement build(SqlStatement statement, int clientParameterCount, FoldedLiteral[] folded, int[] padding)
    {
        List<SqlToken> tokens = statement.tokens();
        // the normalised text and its tokens are built together: the statement is never lexed again
        StringBuilder text = new StringBuilder(statement.text().length());
        List<SqlToken> normalizedTokens = new ArrayList<>(tokens.size());
        List<FoldedLiteral> literals = new ArrayList<>();
        List<Integer> literalTokens = new ArrayList<>();
        boolean space = false;
        FoldedLiteral last = null;
        int lastToken = -1;
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            if (!token.isSignificant()) {
                space = true;
                continue;
            }
            if (space && text.length() > 0) {
                append(text, normalizedTokens, SqlToken.Kind.WHITESPACE, " ");
            }
            space = false;
            FoldedLiteral literal = folded == null ? null : folded[i];
            int pad = padding == null ? 0 : padding[i];
            if (pad > 0) {
                for (int p = 0; p < pad; p++) {
                    literals.add(last);
                    literalTokens.add(lastToken);
                    append(text, normalizedTokens, SqlToken.Kind.SYMBOL, ",");
                    append(text, normalizedTokens, SqlToken.Kind.WHITESPACE, " ");
                    append(text, normalizedTokens, SqlToken.Kind.PARAMETER, "$" + (clientParameterCount + literals.size()));
                }
            }
            if (literal != null) {
                literals.add(literal);
                literalTokens.add(i);
                last = literal;
                lastToken = i;
                append(text, normalizedTokens, SqlToken.Kind.PARAMETER, "$" + (clientParameterCount + literals.size()));
            }
            else if (token.kind() == SqlToken.Kind.WORD) {
                // key words and unquoted names fold to lower case, as PostgreSQL reads them
                append(text, normalizedTokens, SqlToken.Kind.WORD, token.text().toLowerCase(Locale.ROOT));
            }
            else {
                append(text, normalizedTokens, token.kind(), token.text());
            }
        }
        String normalized = text.toString();
        SqlStatement result = normalized.equals(statement.text()) ? statement : new SqlStatement(normalized, normalizedTokens);
        return new NormalizedStatement(statement, result, clientParameterCount, literals, literalTokens, StatementAnnotation.of(statement));
    }

    private static void append(StringBuilder text, List<SqlToken> tokens, SqlToken.Kind kind, String tokenText)
    {
        tokens.add(new SqlToken(kind, tokenText, text.length()));
        text.append(tokenText);
    }

    /** Only comments and white space folded, every literal kept: for statements whose literals cannot become parameters. */
    public static NormalizedStatement withoutComments(SqlStatement statement, int clientParameterCount)
    {
        return build(statement, clientParameterCount, null, null);
    }

    /** The indexes of a statement's significant tokens (neither white space nor comments), in order: an int array, no boxing. */
    private record Significant(int[] indexes, int size)
    {
        static Significant of(List<SqlToken> tokens)
        {
            int[] indexes = new int[tokens.size()];
            int size = 0;
            for (int i = 0; i < tokens.size(); i++) {
                if (tokens.get(i).isSignificant()) {
                    indexes[size++] = i;
                }
            }
            return new Significant(indexes, size);
        }

        /** The token index of the {@code s}-th significant token. */
        int get(int s)
        {
            if (s >= size) {
                throw new IndexOutOfBoundsException("significant token " + s + " of " + size);
            }
            return indexes[s];
        }
    }
}
