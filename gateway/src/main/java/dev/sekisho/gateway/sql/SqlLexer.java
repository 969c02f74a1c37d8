package dev.sekisho.gateway.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * A small tokenizer for the statements the gateway answers itself (SET, SHOW, BEGIN, ...) and for
 * classifying statements: words, quoted identifiers, string literals, numbers and symbols, with
 * comments skipped.
 */
public final class SqlLexer
{
    private SqlLexer() {}

    /** What a token is. */
    public enum TokenType
    {
        WORD, QUOTED_IDENTIFIER, STRING, NUMBER, SYMBOL
    }

    /**
     * One token.
     *
     * @param type what it is
     * @param text for words the text as written; for quoted identifiers and strings the unquoted value
     */
    public record Token(TokenType type, String text)
    {
        public Token
        {
            requireNonNull(type, "type is null");
            requireNonNull(text, "text is null");
        }

        /** Whether this is the unquoted word {@code word}, ignoring case. */
        public boolean isWord(String word)
        {
            return type == TokenType.WORD && text.equalsIgnoreCase(word);
        }

        public boolean isSymbol(String symbol)
        {
            return type == TokenType.SYMBOL && text.equals(symbol);
        }

        /** The token as a name: unquoted words fold to lower case, quoted identifiers keep their case. */
        public String name()
        {
            return type == TokenType.WORD ? text.toLowerCase(Locale.ROOT) : text;
        }
    }

    /** The tokens of {@code sql}; unterminated quotes run to the end of the text. */
    public static List<Token> tokenize(String sql)
    {
        List<Token> tokens = new ArrayList<>();
        scan(sql, tokens, new ArrayList<>());
        return tokens;
    }

    /** Where each token of {@link #tokenize(String)} starts in {@code sql} (same order, same count). */
    public static List<Integer> tokenStarts(String sql)
    {
        List<Integer> starts = new ArrayList<>();
        scan(sql, new ArrayList<>(), starts);
        return starts;
    }

    private static void scan(String sql, List<Token> tokens, List<Integer> starts)
    {
        int length = sql.length();
        int i = 0;
        while (i < length) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            }
            else if (c == '-' && sql.startsWith("--", i)) {
                i = StatementSplitter.skipLineComment(sql, i);
            }
            else if (c == '/' && sql.startsWith("/*", i)) {
                i = StatementSplitter.skipBlockComment(sql, i);
            }
            else if ((c == 'E' || c == 'e') && i + 1 < length && sql.charAt(i + 1) == '\'') {
                int end = StatementSplitter.skipToken(sql, i + 1);
                starts.add(i);
                tokens.add(new Token(TokenType.STRING, unescape(sql.substring(i + 2, closingQuote(sql, end, '\'')))));
                i = end;
            }
            else if (c == '\'') {
                int end = StatementSplitter.skipToken(sql, i);
                starts.add(i);
                tokens.add(new Token(TokenType.STRING, sql.substring(i + 1, closingQuote(sql, end, '\'')).replace("''", "'")));
                i = end;
            }
            else if (c == '"') {
                int end = StatementSplitter.skipToken(sql, i);
                starts.add(i);
                tokens.add(new Token(TokenType.QUOTED_IDENTIFIER, sql.substring(i + 1, closingQuote(sql, end, '"')).replace("\"\"", "\"")));
                i = end;
            }
            else if (c == '$' && StatementSplitter.skipToken(sql, i) > i + 1) {
                int end = StatementSplitter.skipToken(sql, i);
                int tagEnd = sql.indexOf('$', i + 1);
                String tag = sql.substring(i, tagEnd + 1);
                int bodyEnd = end - tag.length() >= tagEnd + 1 && sql.startsWith(tag, end - tag.length()) ? end - tag.length() : end;
                starts.add(i);
                tokens.add(new Token(TokenType.STRING, sql.substring(tagEnd + 1, Math.max(tagEnd + 1, bodyEnd))));
                i = end;
            }
            else if (Character.isLetter(c) || c == '_') {
                int end = i + 1;
                while (end < length && StatementSplitter.isIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                starts.add(i);
                tokens.add(new Token(TokenType.WORD, sql.substring(i, end)));
                i = end;
            }
            else if (Character.isDigit(c) || (c == '.' && i + 1 < length && Character.isDigit(sql.charAt(i + 1)))) {
                int end = i + 1;
                while (end < length && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '.')) {
                    end++;
                }
                starts.add(i);
                tokens.add(new Token(TokenType.NUMBER, sql.substring(i, end)));
                i = end;
            }
            else {
                starts.add(i);
                tokens.add(new Token(TokenType.SYMBOL, String.valueOf(c)));
                i++;
            }
        }
    }

    private static int closingQuote(String sql, int end, char quote)
    {
        return end > 0 && end <= sql.length() && sql.charAt(end - 1) == quote ? end - 1 : end;
    }

    private static String unescape(String body)
    {
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                char next = body.charAt(++i);
                switch (next) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    default -> out.append(next);
                }
            }
            else if (c == '\'' && i + 1 < body.length() && body.charAt(i + 1) == '\'') {
                out.append('\'');
                i++;
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
