package dev.sekisho.gateway.sql;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.SqlToken;

import java.util.ArrayList;
import java.util.List;

import static dev.sekisho.gateway.sql.StatementParser.syntaxError;

/** Parses the setting commands: SET (with its special forms), RESET's name and SHOW. */
final class SettingCommandParser
{
    private SettingCommandParser() {}

    static SessionStatement parseShow(List<SqlToken> tokens, String sql)
    {
        if (tokens.size() == 4 && tokens.get(1).isWord("transaction") && tokens.get(2).isWord("isolation") && tokens.get(3).isWord("level")) {
            return new SessionStatement.Show("transaction_isolation");
        }
        if (tokens.size() == 3 && tokens.get(1).isWord("time") && tokens.get(2).isWord("zone")) {
            return new SessionStatement.Show("timezone");
        }
        if (tokens.size() == 3 && tokens.get(1).isWord("session") && tokens.get(2).isWord("authorization")) {
            return new SessionStatement.Show("session_authorization");
        }
        return new SessionStatement.Show(parseName(tokens, 1, tokens.size(), sql));
    }

    static SessionStatement parseSet(List<SqlToken> tokens, String sql)
    {
        SessionStatement.Set set = parseSetBody(tokens, sql);
        boolean local = tokens.size() > 1 && tokens.get(1).isWord("local");
        return local ? new SessionStatement.Set(set.name(), set.values(), true) : set;
    }

    private static SessionStatement.Set parseSetBody(List<SqlToken> tokens, String sql)
    {
        int i = 1;
        if (i < tokens.size() && (tokens.get(i).isWord("session") || tokens.get(i).isWord("local"))) {
            if (tokens.get(i).isWord("session") && i + 1 < tokens.size()
                    && (tokens.get(i + 1).isWord("characteristics") || tokens.get(i + 1).isWord("authorization"))) {
                if (tokens.get(i + 1).isWord("authorization")) {
                    throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "SET SESSION AUTHORIZATION is not supported by Sekisho",
                            "Connect as the user you want to be.", null);
                }
                return new SessionStatement.Set("", List.of());
            }
            i++;
        }
        if (i >= tokens.size()) {
            throw syntaxError(sql);
        }
        SqlToken word = tokens.get(i);
        if (word.isWord("transaction")) {
            return new SessionStatement.Set("", List.of());
        }
        if (word.isWord("role")) {
            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "SET ROLE is not supported by Sekisho", "Connect as the user you want to be.", null);
        }
        if (word.isWord("time") && i + 1 < tokens.size() && tokens.get(i + 1).isWord("zone")) {
            List<String> values = values(tokens, i + 2, sql);
            if (values.size() == 1 && values.get(0).equalsIgnoreCase("local") && tokens.get(tokens.size() - 1).kind() == SqlToken.Kind.WORD) {
                values = List.of();
            }
            return new SessionStatement.Set("timezone", values);
        }
        if (word.isWord("schema")) {
            return new SessionStatement.Set("search_path", values(tokens, i + 1, sql));
        }
        if (word.isWord("names")) {
            return new SessionStatement.Set("client_encoding", values(tokens, i + 1, sql));
        }
        int assign = i + 1;
        while (assign < tokens.size() && !tokens.get(assign).isWord("to") && !tokens.get(assign).isSymbol("=")) {
            assign++;
        }
        if (assign >= tokens.size()) {
            throw syntaxError(sql);
        }
        String name = parseName(tokens, i, assign, sql);
        return new SessionStatement.Set(name, values(tokens, assign + 1, sql));
    }

    /** A possibly dotted name from tokens[from, to). */
    static String parseName(List<SqlToken> tokens, int from, int to, String sql)
    {
        StringBuilder name = new StringBuilder();
        for (int i = from; i < to; i++) {
            SqlToken token = tokens.get(i);
            boolean expectName = (i - from) % 2 == 0;
            if (expectName && (token.kind() == SqlToken.Kind.WORD || token.kind() == SqlToken.Kind.QUOTED_IDENTIFIER)) {
                name.append(token.kind() == SqlToken.Kind.QUOTED_IDENTIFIER ? token.value().toLowerCase(java.util.Locale.ROOT) : token.name());
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
    private static List<String> values(List<SqlToken> tokens, int from, String sql)
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
            SqlToken token = tokens.get(i);
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
            switch (token.kind()) {
                case WORD, QUOTED_IDENTIFIER, STRING, NUMBER -> {
                    if (!expectValue) {
                        // INTERVAL '...' HOUR TO MINUTE and similar: keep the words with the value
                        current.append(' ');
                    }
                    current.append(token.kind() == SqlToken.Kind.WORD || token.kind() == SqlToken.Kind.NUMBER ? token.text() : token.value());
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
}
