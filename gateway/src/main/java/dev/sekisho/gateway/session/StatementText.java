package dev.sekisho.gateway.session;

import dev.sekisho.gateway.sql.RedashAnnotation;
import dev.sekisho.gateway.sql.StatementParser;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.SqlToken;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads statement text for the session: splits a text into statements (lexing it once, with the
 * shared {@link dev.sekisho.policies.sql.SqlLexer}), tells a statement's kind and parses the
 * commands the gateway answers itself, from the statement's tokens. The one place that calls into
 * {@code dev.sekisho.gateway.sql}.
 */
public final class StatementText
{
    private StatementText() {}

    /** The statements of {@code sql} (a simple Query's text), trimmed; empty ones are dropped. */
    public static List<SqlStatement> split(String sql)
    {
        return SqlStatement.split(sql);
    }

    /** What one statement is, and the parsed form of a command the gateway answers itself; syntax errors are 42601. */
    public static StatementParser.Parsed parse(SqlStatement statement)
    {
        return StatementParser.parse(statement);
    }

    /** Redash's annotation before the statement, if it has one. */
    public static Optional<RedashAnnotation> redashAnnotation(SqlStatement statement)
    {
        return leadingComment(statement).flatMap(comment -> RedashAnnotation.find(comment.text()));
    }

    /** Redash's annotation at the start of a statement's text (one that could not be lexed or planned, for the audit trail). */
    public static Optional<RedashAnnotation> redashAnnotation(String sql)
    {
        return RedashAnnotation.find(sql);
    }

    /** The statement without Redash's annotation (itself when it has none). */
    public static SqlStatement withoutRedashAnnotation(SqlStatement statement)
    {
        return withoutRedashAnnotation(statement, redashAnnotation(statement));
    }

    /** The statement without Redash's annotation, which {@link #redashAnnotation(SqlStatement)} found already (or did not). */
    public static SqlStatement withoutRedashAnnotation(SqlStatement statement, Optional<RedashAnnotation> annotation)
    {
        if (annotation.isEmpty()) {
            return statement;
        }
        List<SqlToken> tokens = statement.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isSignificant()) {
                return statement.from(i);
            }
        }
        return new SqlStatement("", List.of());
    }

    private static Optional<SqlToken> leadingComment(SqlStatement statement)
    {
        for (SqlToken token : statement.tokens()) {
            if (token.kind() == SqlToken.Kind.COMMENT) {
                return Optional.of(token);
            }
            if (token.kind() != SqlToken.Kind.WHITESPACE) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The first keyword, upper case ({@code SELECT}, {@code SET}, ...); empty when there is none. */
    public static String firstKeyword(SqlStatement statement)
    {
        for (SqlToken token : statement.tokens()) {
            if (token.kind() == SqlToken.Kind.WORD) {
                return token.text().toUpperCase(Locale.ROOT);
            }
        }
        return "";
    }

    /** The last name in the statement (a word or a quoted identifier), as SAVEPOINT and RELEASE name their savepoint. */
    public static Optional<String> lastName(SqlStatement statement)
    {
        List<SqlToken> tokens = statement.tokens();
        for (int i = tokens.size() - 1; i >= 0; i--) {
            SqlToken token = tokens.get(i);
            if (token.kind() == SqlToken.Kind.WORD || token.kind() == SqlToken.Kind.QUOTED_IDENTIFIER) {
                return Optional.of(token.name());
            }
        }
        return Optional.empty();
    }
}
