package dev.sekisho.gateway.session;

import dev.sekisho.gateway.sql.SessionStatement;
import dev.sekisho.gateway.sql.SqlLexer;
import dev.sekisho.gateway.sql.StatementKind;
import dev.sekisho.gateway.sql.StatementSplitter;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads statement text for the session: splits a text into statements, tells a statement's kind
 * and parses the commands the gateway answers itself. The one place that calls into
 * {@code dev.sekisho.gateway.sql} (its lexer, splitter, classifier and command parser), so that
 * another lexer is wired in here and nowhere else.
 */
public final class StatementText
{
    private StatementText() {}

    /** The statements of {@code sql} (a simple Query's text), trimmed; empty ones are dropped. */
    public static List<String> split(String sql)
    {
        return StatementSplitter.split(sql);
    }

    /** What one statement is: a query, a session command, a write, ... */
    public static StatementKind kind(String statement)
    {
        return StatementKind.classify(statement);
    }

    /** The parsed form of a command the gateway answers itself (SET, SHOW, DECLARE, ...); syntax errors are 42601. */
    public static SessionStatement command(String statement)
    {
        return SessionStatement.parse(statement);
    }

    /** The first keyword, upper case ({@code SELECT}, {@code SET}, ...); empty when there is none. */
    public static String firstKeyword(String sql)
    {
        for (SqlLexer.Token token : SqlLexer.tokenize(sql)) {
            if (token.type() == SqlLexer.TokenType.WORD) {
                return token.text().toUpperCase(Locale.ROOT);
            }
        }
        return "";
    }

    /** The last name in the statement (a word or a quoted identifier), as SAVEPOINT and RELEASE name their savepoint. */
    public static Optional<String> lastName(String sql)
    {
        List<SqlLexer.Token> tokens = SqlLexer.tokenize(sql);
        for (int i = tokens.size() - 1; i >= 0; i--) {
            SqlLexer.Token token = tokens.get(i);
            if (token.type() == SqlLexer.TokenType.WORD || token.type() == SqlLexer.TokenType.QUOTED_IDENTIFIER) {
                return Optional.of(token.name());
            }
        }
        return Optional.empty();
    }
}
