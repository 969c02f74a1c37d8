package dev.sekisho.gateway.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the text of a simple Query message into statements on {@code ;}, the way PostgreSQL's
 * lexer sees them: semicolons inside {@code '...'} (with {@code ''}), {@code E'...'} (with
 * backslash escapes), {@code "..."} identifiers, {@code $tag$...$tag$} dollar quotes,
 * {@code --} comments and nested {@code /* *}{@code /} comments do not split. Statements that hold
 * only whitespace and comments are dropped.
 */
public final class StatementSplitter
{
    private StatementSplitter() {}

    /** The statements in {@code sql}, trimmed and without their terminating semicolon. */
    public static List<String> split(String sql)
    {
        List<String> statements = new ArrayList<>();
        int start = 0;
        boolean content = false;
        int length = sql.length();
        int i = 0;
        while (i < length) {
            char c = sql.charAt(i);
            if (c == ';') {
                addStatement(statements, sql.substring(start, i), content);
                i++;
                start = i;
                content = false;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                i = skipLineComment(sql, i);
                continue;
            }
            if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
                continue;
            }
            content = true;
            i = skipToken(sql, i);
        }
        addStatement(statements, sql.substring(start), content);
        return statements;
    }

    /** Whether {@code sql} holds nothing but whitespace and comments. */
    public static boolean isEmpty(String sql)
    {
        return split(sql).isEmpty();
    }

    private static void addStatement(List<String> statements, String text, boolean content)
    {
        if (content) {
            statements.add(text.strip());
        }
    }

    /** Skips one token that is not whitespace or a comment; returns the index after it. */
    static int skipToken(String sql, int i)
    {
        char c = sql.charAt(i);
        if (c == '\'') {
            boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                    && (i < 2 || !isIdentifierPart(sql.charAt(i - 2)));
            return skipQuoted(sql, i, '\'', escapes);
        }
        if (c == '"') {
            return skipQuoted(sql, i, '"', false);
        }
        if (c == '$' && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))) {
            int tagEnd = dollarTagEnd(sql, i);
            if (tagEnd > 0) {
                String tag = sql.substring(i, tagEnd + 1);
                int close = sql.indexOf(tag, tagEnd + 1);
                return close < 0 ? sql.length() : close + tag.length();
            }
        }
        return i + 1;
    }

    static int skipLineComment(String sql, int i)
    {
        int end = sql.indexOf('\n', i);
        return end < 0 ? sql.length() : end + 1;
    }

    static int skipBlockComment(String sql, int i)
    {
        int depth = 0;
        int length = sql.length();
        while (i < length) {
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
        return length;
    }

    private static int skipQuoted(String sql, int i, char quote, boolean backslashEscapes)
    {
        int length = sql.length();
        i++;
        while (i < length) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < length && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return length;
    }

    /** For {@code $tag$} starting at {@code i}, the index of the closing {@code $}; else -1. */
    private static int dollarTagEnd(String sql, int i)
    {
        int j = i + 1;
        if (j < sql.length() && sql.charAt(j) == '$') {
            return j;
        }
        if (j >= sql.length() || !(Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_')) {
            return -1;
        }
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        return j < sql.length() && sql.charAt(j) == '$' ? j : -1;
    }

    static boolean isIdentifierPart(char c)
    {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
