package dev.sekisho.planner.pg.syntax;

import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.SqlToken;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shared lexer's tokens as {@link PgSyntax}'s passes read and write them, and the moves over
 * them every pass needs (the next significant token, the matching parenthesis).
 */
final class PgTokens
{
    enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL, SPACE, COMMENT }

    record Token(Kind kind, String text)
    {
        boolean is(String word)
        {
            return (kind == Kind.WORD || kind == Kind.SYMBOL) && text.equalsIgnoreCase(word);
        }

        String lower()
        {
            return text.toLowerCase(Locale.ROOT);
        }
    }

    private PgTokens() {}

    /**
     * The shared lexer's tokens in this normaliser's terms. {@code E'...'} and dollar-quoted strings
     * become standard strings, which is all Calcite's parser reads.
     */
    static List<Token> of(SqlStatement statement)
    {
        List<Token> tokens = new ArrayList<>(statement.tokens().size());
        for (SqlToken token : statement.tokens()) {
            tokens.add(switch (token.kind()) {
                case WHITESPACE -> new Token(Kind.SPACE, token.text());
                // Calcite's parser does not nest comments as PostgreSQL does: a nested one is blanked, keeping its
                // line breaks so that every position after it stays where it was
                case COMMENT -> new Token(Kind.COMMENT, token.text().indexOf("/*", 2) > 0 ? token.text().replaceAll("[^\\n]", " ") : token.text());
                case WORD -> new Token(Kind.WORD, token.text());
                case QUOTED_IDENTIFIER -> new Token(Kind.QUOTED, token.text());
                case NUMBER -> new Token(Kind.NUMBER, exactNumber(token.text()));
                case STRING -> token.isEscapeString() || token.isDollarString()
                        ? new Token(Kind.STRING, "'" + token.value().replace("'", "''") + "'")
                        : new Token(Kind.STRING, token.text());
                case PARAMETER, SYMBOL -> new Token(Kind.SYMBOL, token.text());
            });
        }
        return tokens;
    }

    /**
     * {@code 1e3} as {@code 1000.}: PostgreSQL reads a literal with an exponent as numeric (exact,
     * printed without the exponent), Calcite's parser as a double. Literals that would need more
     * than 38 digits stay doubles.
     */
    static String exactNumber(String text)
    {
        if (text.indexOf('e') < 0 && text.indexOf('E') < 0 || text.startsWith("0x") || text.startsWith("0X")) {
            return text;
        }
        java.math.BigDecimal value;
        try {
            value = new java.math.BigDecimal(text);
        }
        catch (NumberFormatException e) {
            return text;
        }
        if (value.scale() < 0) {
            value = value.setScale(0);
        }
        String plain = value.toPlainString();
        if (plain.length() > 38) {
            return text;
        }
        return plain.indexOf('.') < 0 ? plain + "." : plain;
    }

    /** The index of the next token that is not space or comment, at or after {@code i}; size() if none. */
    static int next(List<Token> tokens, int i)
    {
        while (i < tokens.size() && (tokens.get(i).kind() == Kind.SPACE || tokens.get(i).kind() == Kind.COMMENT)) {
            i++;
        }
        return i;
    }

    static int previous(List<Token> tokens, int i)
    {
        while (i >= 0 && (tokens.get(i).kind() == Kind.SPACE || tokens.get(i).kind() == Kind.COMMENT)) {
            i--;
        }
        return i;
    }

    static boolean at(List<Token> tokens, int i, String text)
    {
        return i < tokens.size() && i >= 0 && tokens.get(i).is(text);
    }

    static int matching(List<Token> tokens, int open, String opening, String closing)
    {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (tokens.get(i).is(opening)) {
                depth++;
            }
            else if (tokens.get(i).is(closing)) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    static int matchingBackwards(List<Token> tokens, int close)
    {
        int depth = 0;
        for (int i = close; i >= 0; i--) {
            if (tokens.get(i).is(")")) {
                depth++;
            }
            else if (tokens.get(i).is("(")) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Whether the token at {@code at} is in a FROM list: walking back at its depth, FROM (or JOIN) comes before any other clause. */
    static boolean inFromList(List<Token> tokens, int at)
    {
        int depth = 0;
        for (int i = at - 1; i >= 0; i--) {
            Token token = tokens.get(i);
            if (token.is(")")) {
                depth++;
            }
            else if (token.is("(")) {
                if (depth == 0) {
                    // the start of a parenthesized expression or sub-query around the token
                    return false;
                }
                depth--;
            }
            else if (depth == 0 && (token.is("from") || token.is("join") || token.is("lateral"))) {
                return true;
            }
            else if (depth == 0 && (token.is("select") || token.is("where") || token.is("on") || token.is("having") || token.is("by"))) {
                return false;
            }
        }
        return false;
    }
}
