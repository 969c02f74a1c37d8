package dev.sekisho.policies.sql;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * PostgreSQL's lexical syntax: the one tokenizer every part of Sekisho uses on SQL text (the
 * gateway's statement splitter and session-command parser, the planner's parameter and syntax
 * normalisers, the {@code :user.x} finder of policy expressions), so that none of them disagrees
 * about what is a comment, a string or an identifier.
 *
 * <p>The token list is lossless: the tokens' texts, concatenated, give back the input. Rules, as
 * PostgreSQL's {@code scan.l} has them:
 * <ul>
 *   <li>{@code --} comments to the end of the line; {@code /* *}{@code /} comments nest;</li>
 *   <li>{@code '...'} strings with {@code ''} (standard_conforming_strings on: a backslash is a
 *       character), {@code E'...'} strings with backslash escapes, {@code $tag$...$tag$} dollar
 *       quotes, {@code "..."} identifiers with {@code ""};</li>
 *   <li>identifiers start with a letter or {@code _} and go on with letters, digits, {@code _} and
 *       {@code $}; {@code $n} is a parameter;</li>
 *   <li>numbers: {@code 12}, {@code 1.5}, {@code .5}, {@code 1e10};</li>
 *   <li>operators are runs of {@code + - * / < > = ~ ! @ # % ^ & | ` ?}, where a run that would
 *       end in {@code +} or {@code -} keeps them apart unless it holds one of
 *       {@code ~ ! @ # % ^ & | ` ?}; {@code ::} is one token; every other character is a token of
 *       its own.</li>
 * </ul>
 * Unterminated strings, identifiers and comments run to the end of the text (the parser that
 * reads the tokens reports them). Never throws.
 */
public final class SqlLexer
{
    private static final String OPERATOR_CHARACTERS = "+-*/<>=~!@#%^&|`?";
    private static final String NON_MATH_OPERATOR_CHARACTERS = "~!@#%^&|`?";

    private static final LongAdder INVOCATIONS = new LongAdder();

    private SqlLexer() {}

    /** The tokens of {@code sql}, comments and white space included. */
    public static List<SqlToken> tokenize(String sql)
    {
        return tokens(sql);
    }

    /** {@link #tokenize}, as the immutable list that {@link SqlStatement} keeps without copying it. */
    static TokenList tokens(String sql)
    {
        INVOCATIONS.increment();
        // about one token per four characters in typical SQL: sized so that the array rarely grows
        SqlToken[] tokens = new SqlToken[Math.max(16, sql.length() >> 2)];
        int size = 0;
        int length = sql.length();
        int i = 0;
        while (i < length) {
            int end = tokenEnd(sql, i);
            if (size == tokens.length) {
                tokens = Arrays.copyOf(tokens, size * 2);
            }
            tokens[size++] = new SqlToken(kindAt(sql, i, end), sql.substring(i, end), i);
            i = end;
        }
        return new TokenList(tokens, size);
    }

    /**
     * The one token that starts at {@code start} of {@code sql}, which must be where a token starts
     * (0, or the end of one): a token's extent and kind depend only on the text from its start on, so
     * a caller that knows the text before it is unchanged lexes just the part that changed. Not
     * counted in {@link #invocations()}.
     */
    public static SqlToken tokenAt(String sql, int start)
    {
        int end = tokenEnd(sql, start);
        return new SqlToken(kindAt(sql, start, end), sql.substring(start, end), start);
    }

    /** The end of the token that starts at {@code start} (see {@link #tokenAt}), without cutting it out. */
    public static int endOfTokenAt(String sql, int start)
    {
        return tokenEnd(sql, start);
    }

    /** What the token between {@code start} and {@code end} (as {@link #endOfTokenAt} found it) is. */
    public static SqlToken.Kind kindOfTokenAt(String sql, int start, int end)
    {
        return kindAt(sql, start, end);
    }

    /** How many times {@link #tokenize} ran in this JVM: tests check that a statement is lexed once. */
    public static long invocations()
    {
        return INVOCATIONS.sum();
    }

    private static int tokenEnd(String sql, int i)
    {
        int length = sql.length();
        char c = sql.charAt(i);
        if (isSpace(c)) {
            int end = i + 1;
            while (end < length && isSpace(sql.charAt(end))) {
                end++;
            }
            return end;
        }
        if (c == '-' && sql.startsWith("--", i)) {
            int end = sql.indexOf('\n', i);
            return end < 0 ? length : end;
        }
        if (c == '/' && sql.startsWith("/*", i)) {
            return blockCommentEnd(sql, i);
        }
        if ((c == 'E' || c == 'e') && i + 1 < length && sql.charAt(i + 1) == '\'') {
            return quotedEnd(sql, i + 1, '\'', true);
        }
        if (c == '\'') {
            return quotedEnd(sql, i, '\'', false);
        }
        if (c == '"') {
            return quotedEnd(sql, i, '"', false);
        }
        if (c == '$') {
            if (i + 1 < length && isDigit(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < length && isDigit(sql.charAt(end))) {
                    end++;
                }
                return end;
            }
            int tagEnd = dollarTagEnd(sql, i);
            if (tagEnd > 0) {
                String tag = sql.substring(i, tagEnd + 1);
                int close = sql.indexOf(tag, tagEnd + 1);
                return close < 0 ? length : close + tag.length();
            }
            return i + 1;
        }
        if (isIdentifierStart(c)) {
            int end = i + 1;
            while (end < length && isIdentifierPart(sql.charAt(end))) {
                end++;
            }
            return end;
        }
        if (isDigit(c) || c == '.' && i + 1 < length && isDigit(sql.charAt(i + 1))) {
            return numberEnd(sql, i);
        }
        if (c == ':' && i + 1 < length && sql.charAt(i + 1) == ':') {
            return i + 2;
        }
        if (OPERATOR_CHARACTERS.indexOf(c) >= 0) {
            return operatorEnd(sql, i);
        }
        return i + 1;
    }

    private static SqlToken.Kind kindAt(String sql, int start, int end)
    {
        char c = sql.charAt(start);
        if (isSpace(c)) {
            return SqlToken.Kind.WHITESPACE;
        }
        if (end - start >= 2 && (sql.startsWith("--", start) || sql.startsWith("/*", start))) {
            return SqlToken.Kind.COMMENT;
        }
        if (c == '\'' || (c == 'E' || c == 'e') && end - start >= 2 && sql.charAt(start + 1) == '\'') {
            return SqlToken.Kind.STRING;
        }
        if (c == '"') {
            return SqlToken.Kind.QUOTED_IDENTIFIER;
        }
        if (c == '$') {
            if (end - start >= 2 && isDigit(sql.charAt(start + 1))) {
                return SqlToken.Kind.PARAMETER;
            }
            return end - start >= 2 ? SqlToken.Kind.STRING : SqlToken.Kind.SYMBOL;
        }
        if (isIdentifierStart(c)) {
            return SqlToken.Kind.WORD;
        }
        if (isDigit(c) || c == '.' && end - start > 1) {
            return SqlToken.Kind.NUMBER;
        }
        return SqlToken.Kind.SYMBOL;
    }

    /**
     * Both comment marks hold a {@code *}, so the scan jumps from one {@code *} to the next
     * ({@link String#indexOf(int, int)}, vectorised) rather than testing both marks at every
     * character: a Redash annotation is ~150 characters lexed on every call. The marks are read
     * left to right as a character-by-character scan reads them: a {@code *} right after a
     * {@code /} that was not consumed already opens a comment, else one right before a {@code /}
     * closes one, and a mark's characters are not read again ({@code /*}{@code /} opens only).
     */
    private static int blockCommentEnd(String sql, int i)
    {
        int depth = 0;
        int length = sql.length();
        while (i < length) {
            int star = sql.indexOf('*', i);
            if (star < 0) {
                return length;
            }
            if (star > i && sql.charAt(star - 1) == '/') {
                depth++;
                i = star + 1;
            }
            else if (star + 1 < length && sql.charAt(star + 1) == '/') {
                depth--;
                i = star + 2;
                if (depth == 0) {
                    return i;
                }
            }
            else {
                i = star + 1;
            }
        }
        return length;
    }

    /** The end of a quoted token whose opening quote is at {@code quote}; a doubled quote stands for one. */
    private static int quotedEnd(String sql, int quote, char mark, boolean backslashEscapes)
    {
        int length = sql.length();
        int i = quote + 1;
        while (i < length) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == mark) {
                if (i + 1 < length && sql.charAt(i + 1) == mark) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return length;
    }

    /** For {@code $tag$} or {@code $$} starting at {@code i}, the index of the closing {@code $} of the tag; else -1. */
    private static int dollarTagEnd(String sql, int i)
    {
        int j = i + 1;
        if (j < sql.length() && sql.charAt(j) == '$') {
            return j;
        }
        if (j >= sql.length() || !isIdentifierStart(sql.charAt(j))) {
            return -1;
        }
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        return j < sql.length() && sql.charAt(j) == '$' ? j : -1;
    }

    private static int numberEnd(String sql, int i)
    {
        int length = sql.length();
        int end = i;
        while (end < length && isDigit(sql.charAt(end))) {
            end++;
        }
        // a decimal point, but not the first dot of a range ("1..2") or of a qualified name
        if (end < length && sql.charAt(end) == '.' && !(end + 1 < length && sql.charAt(end + 1) == '.')) {
            end++;
            while (end < length && isDigit(sql.charAt(end))) {
                end++;
            }
        }
        if (end < length && (sql.charAt(end) == 'e' || sql.charAt(end) == 'E')) {
            int exponent = end + 1;
            if (exponent < length && (sql.charAt(exponent) == '+' || sql.charAt(exponent) == '-')) {
                exponent++;
            }
            if (exponent < length && isDigit(sql.charAt(exponent))) {
                end = exponent;
                while (end < length && isDigit(sql.charAt(end))) {
                    end++;
                }
            }
        }
        return end;
    }

    private static int operatorEnd(String sql, int i)
    {
        int length = sql.length();
        int end = i;
        while (end < length && OPERATOR_CHARACTERS.indexOf(sql.charAt(end)) >= 0
                && !(sql.startsWith("--", end) || sql.startsWith("/*", end)) || end == i) {
            end++;
        }
        if (end - i > 1 && (sql.charAt(end - 1) == '+' || sql.charAt(end - 1) == '-')) {
            boolean nonMath = false;
            for (int j = i; j < end; j++) {
                nonMath |= NON_MATH_OPERATOR_CHARACTERS.indexOf(sql.charAt(j)) >= 0;
            }
            if (!nonMath) {
                // "=-1" is "=" and "-1", as in PostgreSQL
                while (end - i > 1 && (sql.charAt(end - 1) == '+' || sql.charAt(end - 1) == '-')) {
                    end--;
                }
            }
        }
        return end;
    }

    static boolean isSpace(char c)
    {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean isDigit(char c)
    {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierStart(char c)
    {
        return Character.isLetter(c) || c == '_' || c >= 0x80 && !Character.isWhitespace(c) && !Character.isISOControl(c);
    }

    private static boolean isIdentifierPart(char c)
    {
        return isIdentifierStart(c) || isDigit(c) || c == '$' || Character.isLetterOrDigit(c);
    }
}
