package dev.sekisho.policies.sql;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * One token of SQL text as {@link SqlLexer} cuts it.
 *
 * @param kind what it is
 * @param text the token exactly as written (quotes, escapes and comment markers included)
 * @param start zero-based offset of its first character in the text it was cut from
 */
public record SqlToken(Kind kind, String text, int start)
{
    /** What a token is. */
    public enum Kind
    {
        /** A key word or an unquoted identifier. */
        WORD,
        /** {@code "..."}. */
        QUOTED_IDENTIFIER,
        /** {@code '...'}, {@code E'...'} or {@code $tag$...$tag$}. */
        STRING,
        NUMBER,
        /** {@code $1}, {@code $2}, ... */
        PARAMETER,
        /** An operator ({@code <=}, {@code ::}, {@code ||}) or a single punctuation character. */
        SYMBOL,
        WHITESPACE,
        COMMENT
    }

    public SqlToken
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
        if (text.isEmpty() || start < 0) {
            throw new IllegalArgumentException("a token has text and a start");
        }
    }

    /** The offset just after the token. */
    public int end()
    {
        return start + text.length();
    }

    /** Whether the token means something to a parser (it is neither white space nor a comment). */
    public boolean isSignificant()
    {
        return kind != Kind.WHITESPACE && kind != Kind.COMMENT;
    }

    /** Whether this is the unquoted word {@code word}, ignoring case. */
    public boolean isWord(String word)
    {
        return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    /** Whether this is the symbol {@code symbol}. */
    public boolean isSymbol(String symbol)
    {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    /** Whether this is a string written {@code E'...'}, with backslash escapes. */
    public boolean isEscapeString()
    {
        return kind == Kind.STRING && (text.charAt(0) == 'E' || text.charAt(0) == 'e');
    }

    /** Whether this is a dollar-quoted string. */
    public boolean isDollarString()
    {
        return kind == Kind.STRING && text.charAt(0) == '$';
    }

    /**
     * What the token stands for: a string's or quoted identifier's content with quotes and escapes
     * resolved, a parameter's number, otherwise the text as written.
     */
    public String value()
    {
        return switch (kind) {
            case STRING -> isDollarString() ? dollarBody() : isEscapeString() ? unescape(quotedBody(1)) : quotedBody(0).replace("''", "'");
            case QUOTED_IDENTIFIER -> quotedBody(0).replace("\"\"", "\"");
            case PARAMETER -> text.substring(1);
            default -> text;
        };
    }

    /** The token as a name: unquoted words fold to lower case, quoted identifiers keep their case. */
    public String name()
    {
        return kind == Kind.WORD ? text.toLowerCase(Locale.ROOT) : value();
    }

    /** The text between the quotes that open at {@code open} and close at the end (if they do). */
    private String quotedBody(int open)
    {
        char quote = text.charAt(open);
        int end = text.length() > open + 1 && text.charAt(text.length() - 1) == quote ? text.length() - 1 : text.length();
        return text.substring(open + 1, Math.max(open + 1, end));
    }

    private String dollarBody()
    {
        int tagEnd = text.indexOf('$', 1);
        String tag = text.substring(0, tagEnd + 1);
        int bodyEnd = text.length() >= 2 * tag.length() && text.endsWith(tag) ? text.length() - tag.length() : text.length();
        return text.substring(tagEnd + 1, Math.max(tagEnd + 1, bodyEnd));
    }

    /** Resolves the backslash escapes of an {@code E'...'} string's body (and its doubled quotes). */
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
