package dev.sekisho.policies.sql;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One SQL statement's text with its tokens, cut once by {@link SqlLexer} and then handed from the
 * splitter to the classifier, the session-command parser and the planner's normalisers, so that
 * no one lexes it again.
 *
 * @param text the statement, without its terminating semicolon and surrounding white space
 * @param tokens its tokens, comments and white space included, with offsets into {@code text};
 *         concatenated they give {@code text}
 */
public record SqlStatement(String text, List<SqlToken> tokens)
{
    public SqlStatement
    {
        requireNonNull(text, "text is null");
        // the lexer's and the slices' lists are immutable already
        tokens = tokens instanceof TokenList ? tokens : List.copyOf(tokens);
    }

    /** One statement: all of {@code sql}, lexed, without splitting on semicolons. */
    public static SqlStatement of(String sql)
    {
        return new SqlStatement(sql, SqlLexer.tokens(sql));
    }

    /**
     * The statements of a string that may hold several (a simple Query message), split on
     * semicolons the way PostgreSQL's lexer sees them: a semicolon inside a string, a quoted
     * identifier, a dollar quote or a comment does not split. Statements of nothing but white space
     * and comments are dropped. The text is lexed once.
     */
    public static List<SqlStatement> split(String sql)
    {
        List<SqlToken> all = SqlLexer.tokens(sql);
        List<SqlStatement> statements = new ArrayList<>();
        int first = 0;
        for (int i = 0; i <= all.size(); i++) {
            if (i == all.size() || all.get(i).isSymbol(";")) {
                SqlStatement statement = slice(sql, all, first, i);
                if (statement != null) {
                    statements.add(statement);
                }
                first = i + 1;
            }
        }
        return statements;
    }

    /** The tokens that mean something to a parser: no white space, no comments. */
    public List<SqlToken> significant()
    {
        List<SqlToken> significant = new ArrayList<>(tokens.size());
        for (SqlToken token : tokens) {
            if (token.isSignificant()) {
                significant.add(token);
            }
        }
        return significant;
    }

    /** Whether the statement holds nothing but white space and comments. */
    public boolean isEmpty()
    {
        for (SqlToken token : tokens) {
            if (token.isSignificant()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The part of this statement from {@code token} (an element of {@link #tokens()}) to the end,
     * as a statement of its own (the query of {@code DECLARE ... FOR query}).
     */
    public SqlStatement from(SqlToken token)
    {
        int index = -1;
        for (int i = 0; i < tokens.size() && index < 0; i++) {
            // the token is an element: found by identity first, which is also the cheap test
            if (tokens.get(i) == token) {
                index = i;
            }
        }
        if (index < 0) {
            index = tokens.indexOf(token);
        }
        if (index < 0) {
            throw new IllegalArgumentException("not a token of this statement: " + token);
        }
        return from(index);
    }

    /** The part of this statement from its token at {@code index} to the end, as a statement of its own. */
    public SqlStatement from(int index)
    {
        if (index < 0 || index > tokens.size()) {
            throw new IndexOutOfBoundsException("token index " + index + " of " + tokens.size());
        }
        SqlStatement rest = slice(text, tokens, index, tokens.size());
        return rest == null ? new SqlStatement("", List.of()) : rest;
    }

    /** This statement without the semicolons (and white space) it may end with. */
    public SqlStatement withoutTerminator()
    {
        int end = tokens.size();
        while (end > 0 && (tokens.get(end - 1).kind() == SqlToken.Kind.WHITESPACE || tokens.get(end - 1).isSymbol(";"))) {
            end--;
        }
        if (end == tokens.size()) {
            return this;
        }
        SqlStatement rest = slice(text, tokens, 0, end);
        return rest == null ? new SqlStatement("", List.of()) : rest;
    }

    /** Tokens {@code from} (inclusive) to {@code to} (exclusive) without surrounding white space, rebased; null if nothing significant is left. */
    private static SqlStatement slice(String sql, List<SqlToken> tokens, int from, int to)
    {
        int start = from;
        int end = to;
        while (start < end && tokens.get(start).kind() == SqlToken.Kind.WHITESPACE) {
            start++;
        }
        while (end > start && tokens.get(end - 1).kind() == SqlToken.Kind.WHITESPACE) {
            end--;
        }
        boolean significant = false;
        for (int i = start; i < end && !significant; i++) {
            significant = tokens.get(i).isSignificant();
        }
        if (!significant) {
            return null;
        }
        int base = tokens.get(start).start();
        if (base == 0 && start == 0 && end == tokens.size()) {
            // all of the text (a Parse message's one statement): the tokens as they are
            return new SqlStatement(sql.substring(0, tokens.get(end - 1).end()), tokens);
        }
        SqlToken[] rebased = new SqlToken[end - start];
        for (int i = start; i < end; i++) {
            SqlToken token = tokens.get(i);
            rebased[i - start] = base == 0 ? token : new SqlToken(token.kind(), token.text(), token.start() - base);
        }
        return new SqlStatement(sql.substring(base, tokens.get(end - 1).end()), new TokenList(rebased, rebased.length));
    }
}
