package dev.sekisho.gateway.sql;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The parsed form of SET, RESET and SHOW, which the gateway answers itself.
 */
public sealed interface SessionStatement
{
    /**
     * {@code SET [SESSION | LOCAL] name {TO | =} value [, ...]} and its special forms.
     *
     * @param name the setting, lower case unless quoted; empty for the SET forms that change nothing
     *         here (SET TRANSACTION ..., SET SESSION CHARACTERISTICS ...)
     * @param values the values; empty for DEFAULT
     */
    record Set(String name, List<String> values)
            implements SessionStatement
    {
        public Set
        {
            requireNonNull(name, "name is null");
            values = List.copyOf(values);
        }
    }

    /**
     * {@code RESET name} or {@code RESET ALL}.
     *
     * @param name the setting, or empty for ALL
     */
    record Reset(Optional<String> name)
            implements SessionStatement
    {
        public Reset
        {
            requireNonNull(name, "name is null");
        }
    }

    /**
     * {@code SHOW name}, {@code SHOW ALL}, {@code SHOW TRANSACTION ISOLATION LEVEL}.
     *
     * @param name the setting, lower case unless quoted, or {@code all}
     */
    record Show(String name)
            implements SessionStatement
    {
        public Show
        {
            requireNonNull(name, "name is null");
        }
    }

    /**
     * Parses a SET, RESET or SHOW statement.
     *
     * @throws QueryException 42601 when it is not well-formed
     */
    static SessionStatement parse(String sql)
    {
        List<SqlLexer.Token> tokens = new ArrayList<>(SqlLexer.tokenize(sql));
        while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).isSymbol(";")) {
            tokens.remove(tokens.size() - 1);
        }
        if (tokens.isEmpty()) {
            throw syntaxError(sql);
        }
        SqlLexer.Token first = tokens.get(0);
        if (first.isWord("show")) {
            return parseShow(tokens, sql);
        }
        if (first.isWord("reset")) {
            if (tokens.size() == 2 && tokens.get(1).isWord("all")) {
                return new Reset(Optional.empty());
            }
            return new Reset(Optional.of(parseName(tokens, 1, tokens.size(), sql)));
        }
        if (first.isWord("set")) {
            return parseSet(tokens, sql);
        }
        throw syntaxError(sql);
    }

    private static SessionStatement parseShow(List<SqlLexer.Token> tokens, String sql)
    {
        if (tokens.size() == 4 && tokens.get(1).isWord("transaction") && tokens.get(2).isWord("isolation") && tokens.get(3).isWord("level")) {
            return new Show("transaction_isolation");
        }
        if (tokens.size() == 3 && tokens.get(1).isWord("time") && tokens.get(2).isWord("zone")) {
            return new Show("timezone");
        }
        if (tokens.size() == 3 && tokens.get(1).isWord("session") && tokens.get(2).isWord("authorization")) {
            return new Show("session_authorization");
        }
        return new Show(parseName(tokens, 1, tokens.size(), sql));
    }

    private static SessionStatement parseSet(List<SqlLexer.Token> tokens, String sql)
    {
        int i = 1;
        if (i < tokens.size() && (tokens.get(i).isWord("session") || tokens.get(i).isWord("local"))) {
            if (tokens.get(i).isWord("session") && i + 1 < tokens.size()
                    && (tokens.get(i + 1).isWord("characteristics") || tokens.get(i + 1).isWord("authorization"))) {
                if (tokens.get(i + 1).isWord("authorization")) {
                    throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "SET SESSION AUTHORIZATION is not supported by Sekisho",
                            "Connect as the user you want to be.", null);
                }
                return new Set("", List.of());
            }
            i++;
        }
        if (i >= tokens.size()) {
            throw syntaxError(sql);
        }
        SqlLexer.Token word = tokens.get(i);
        if (word.isWord("transaction")) {
            return new Set("", List.of());
        }
        if (word.isWord("role")) {
            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "SET ROLE is not supported by Sekisho", "Connect as the user you want to be.", null);
        }
        if (word.isWord("time") && i + 1 < tokens.size() && tokens.get(i + 1).isWord("zone")) {
            List<String> values = values(tokens, i + 2, sql);
            if (values.size() == 1 && values.get(0).equalsIgnoreCase("local") && tokens.get(tokens.size() - 1).type() == SqlLexer.TokenType.WORD) {
                values = List.of();
            }
            return new Set("timezone", values);
        }
        if (word.isWord("schema")) {
            return new Set("search_path", values(tokens, i + 1, sql));
        }
        if (word.isWord("names")) {
            return new Set("client_encoding", values(tokens, i + 1, sql));
        }
        int assign = i + 1;
        while (assign < tokens.size() && !tokens.get(assign).isWord("to") && !tokens.get(assign).isSymbol("=")) {
            assign++;
        }
        if (assign >= tokens.size()) {
            throw syntaxError(sql);
        }
        String name = parseName(tokens, i, assign, sql);
        return new Set(name, values(tokens, assign + 1, sql));
    }

    /** A possibly dotted name from tokens[from, to). */
    private static String parseName(List<SqlLexer.Token> tokens, int from, int to, String sql)
    {
        StringBuilder name = new StringBuilder();
        for (int i = from; i < to; i++) {
            SqlLexer.Token token = tokens.get(i);
            boolean expectName = (i - from) % 2 == 0;
            if (expectName && (token.type() == SqlLexer.TokenType.WORD || token.type() == SqlLexer.TokenType.QUOTED_IDENTIFIER)) {
                name.append(token.type() == SqlLexer.TokenType.QUOTED_IDENTIFIER ? token.text().toLowerCase(java.util.Locale.ROOT) : token.name());
            }
            else if (!expectName && token.isSymbol(".")) {
                name.append('.');
            }
            else {
                throw syntaxError(sql);
            }
        }
        if (name.length() == 0 || name.charAt(name.length() - 1) == '.') {
            throw syntaxError(sql);
        }
        return name.toString();
    }

    /** A comma-separated value list starting at {@code from}; DEFAULT gives an empty list. */
    private static List<String> values(List<SqlLexer.Token> tokens, int from, String sql)
    {
        if (from >= tokens.size()) {
            throw syntaxError(sql);
        }
        if (tokens.size() == from + 1 && tokens.get(from).isWord("default")) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean expectValue = true;
        for (int i = from; i < tokens.size(); i++) {
            SqlLexer.Token token = tokens.get(i);
            if (token.isSymbol(",")) {
                if (expectValue) {
                    throw syntaxError(sql);
                }
                values.add(current.toString());
                current.setLength(0);
                expectValue = true;
                continue;
            }
            if ((token.isSymbol("-") || token.isSymbol("+")) && expectValue && current.length() == 0) {
                current.append(token.text());
                continue;
            }
            switch (token.type()) {
                case WORD, QUOTED_IDENTIFIER, STRING, NUMBER -> {
                    if (!expectValue) {
                        // INTERVAL '...' HOUR TO MINUTE and similar: keep the words with the value
                        current.append(' ');
                    }
                    current.append(token.type() == SqlLexer.TokenType.WORD ? token.text() : token.text());
                    expectValue = false;
                }
                default -> throw syntaxError(sql);
            }
        }
        if (expectValue) {
            throw syntaxError(sql);
        }
        values.add(current.toString());
        return values;
    }

    private static QueryException syntaxError(String sql)
    {
        return new QueryException(SqlStates.SYNTAX_ERROR, "syntax error in session command: " + abbreviate(sql),
                "Write SET name TO value, RESET name or SHOW name.", null);
    }

    private static String abbreviate(String sql)
    {
        String text = sql.strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
