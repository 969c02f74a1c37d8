package dev.sekisho.gateway.sql;

import dev.sekisho.planner.ReadOnlyStatements;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.SqlToken;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Reads a lexed statement once for everything the gateway needs to know before the planner: what
 * kind of statement it is ({@link StatementKind}, judged by its first keywords with comments and
 * opening parentheses skipped) and, for the statements the gateway answers itself (SET, RESET,
 * SHOW, DECLARE, FETCH, MOVE, CLOSE, DEALLOCATE, DISCARD, Tableau's temp-table probes), their parsed
 * form ({@link SessionStatement}).
 */
public final class StatementParser
{
    private StatementParser() {}

    /**
     * A statement as the gateway sees it.
     *
     * @param statement the statement's text and tokens
     * @param kind what it is
     * @param command the parsed session command, for the kinds that have one
     */
    public record Parsed(SqlStatement statement, StatementKind kind, Optional<SessionStatement> command)
    {
        public Parsed
        {
            requireNonNull(statement, "statement is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(command, "command is null");
        }
    }

    /**
     * Classifies a statement and parses it when the gateway answers it itself.
     *
     * @throws QueryException 42601 when a session command is not well-formed
     */
    public static Parsed parse(SqlStatement text)
    {
        SqlStatement statement = text.withoutTerminator();
        StatementKind kind = classify(statement);
        Optional<SessionStatement> command = switch (kind) {
            case SET, RESET, SHOW, DECLARE, FETCH, MOVE, CLOSE, DEALLOCATE, DISCARD, CREATE_TEMP_TABLE, DROP_TABLE -> Optional.of(parseCommand(statement));
            default -> Optional.empty();
        };
        return new Parsed(statement, kind, command);
    }

    /** Classifies one statement. */
    public static StatementKind classify(SqlStatement statement)
    {
        // a query (the statement every BI tool sends) is told by its first token, without collecting the significant ones
        for (SqlToken token : statement.tokens()) {
            if (token.isSignificant()) {
                if (token.kind() == SqlToken.Kind.WORD && isQueryKeyword(token.text())) {
                    return StatementKind.QUERY;
                }
                break;
            }
        }
        List<SqlToken> tokens = statement.significant();
        int i = 0;
        while (i < tokens.size() && tokens.get(i).isSymbol("(")) {
            i++;
        }
        if (i >= tokens.size()) {
            return tokens.isEmpty() ? StatementKind.EMPTY : StatementKind.OTHER;
        }
        SqlToken first = tokens.get(i);
        if (first.kind() != SqlToken.Kind.WORD) {
            return StatementKind.OTHER;
        }
        String keyword = first.name();
        SqlToken second = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
        switch (keyword) {
            case "select", "with", "values", "table":
                return StatementKind.QUERY;
            case "explain":
                return StatementKind.EXPLAIN;
            case "set":
                return StatementKind.SET;
            case "reset":
                return StatementKind.RESET;
            case "show":
                return StatementKind.SHOW;
            case "begin":
                return StatementKind.BEGIN;
            case "start":
                return second != null && second.isWord("transaction") ? StatementKind.BEGIN : StatementKind.OTHER;
            case "commit", "end":
                return second != null && second.isWord("prepared") ? StatementKind.WRITE : StatementKind.COMMIT;
            case "abort":
                return StatementKind.ROLLBACK;
            case "rollback":
                if (second != null && second.isWord("prepared")) {
                    return StatementKind.WRITE;
                }
                for (int j = i + 1; j < tokens.size(); j++) {
                    if (tokens.get(j).isWord("to")) {
                        return StatementKind.ROLLBACK_TO;
                    }
                }
                return StatementKind.ROLLBACK;
            case "savepoint":
                return StatementKind.SAVEPOINT;
            case "release":
                return StatementKind.RELEASE;
            case "discard":
                return StatementKind.DISCARD;
            case "declare":
                return StatementKind.DECLARE;
            case "fetch":
                return StatementKind.FETCH;
            case "move":
                return StatementKind.MOVE;
            case "close":
                return StatementKind.CLOSE;
            case "deallocate":
                return StatementKind.DEALLOCATE;
            case "create":
                return isCreateTempTable(tokens, i + 1) ? StatementKind.CREATE_TEMP_TABLE : StatementKind.WRITE;
            case "drop":
                return second != null && second.isWord("table") ? StatementKind.DROP_TABLE : StatementKind.WRITE;
            default:
                return ReadOnlyStatements.isWrite(statement) ? StatementKind.WRITE : StatementKind.OTHER;
        }
    }

    /** The key words that start a query, as {@link #classify} reads the first word (folded to lower case as a name). */
    private static boolean isQueryKeyword(String word)
    {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "select", "with", "values", "table" -> true;
            default -> false;
        };
    }

    private static boolean isCreateTempTable(List<SqlToken> tokens, int i)
    {
        if (i < tokens.size() && (tokens.get(i).isWord("local") || tokens.get(i).isWord("global"))) {
            i++;
        }
        if (i >= tokens.size() || !(tokens.get(i).isWord("temporary") || tokens.get(i).isWord("temp"))) {
            return false;
        }
        return i + 1 < tokens.size() && tokens.get(i + 1).isWord("table");
    }

    /**
     * Parses a statement the gateway answers itself (SET, RESET, SHOW, DECLARE, FETCH, MOVE, CLOSE,
     * DEALLOCATE, DISCARD, CREATE TEMP TABLE, DROP TABLE).
     *
     * @throws QueryException 42601 when it is not well-formed
     */
    private static SessionStatement parseCommand(SqlStatement statement)
    {
        String sql = statement.text();
        List<SqlToken> tokens = new ArrayList<>(statement.significant());
        while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).isSymbol(";")) {
            tokens.remove(tokens.size() - 1);
        }
        if (tokens.isEmpty()) {
            throw syntaxError(sql);
        }
        SqlToken first = tokens.get(0);
        if (first.isWord("show")) {
            return SettingCommandParser.parseShow(tokens, sql);
        }
        if (first.isWord("reset")) {
            if (tokens.size() == 2 && tokens.get(1).isWord("all")) {
                return new SessionStatement.Reset(Optional.empty());
            }
            return new SessionStatement.Reset(Optional.of(SettingCommandParser.parseName(tokens, 1, tokens.size(), sql)));
        }
        if (first.isWord("set")) {
            return SettingCommandParser.parseSet(tokens, sql);
        }
        if (first.isWord("declare")) {
            return CursorCommandParser.parseDeclare(tokens, statement);
        }
        if (first.isWord("fetch") || first.isWord("move")) {
            return CursorCommandParser.parseFetch(tokens, sql);
        }
        if (first.isWord("close")) {
            if (tokens.size() == 2 && tokens.get(1).isWord("all")) {
                return new SessionStatement.Close(Optional.empty());
            }
            if (tokens.size() == 2 && isName(tokens.get(1))) {
                return new SessionStatement.Close(Optional.of(tokens.get(1).name()));
            }
            throw syntaxError(sql, "Write CLOSE name or CLOSE ALL.");
        }
        if (first.isWord("deallocate")) {
            int i = tokens.size() > 1 && tokens.get(1).isWord("prepare") ? 2 : 1;
            if (tokens.size() == i + 1 && tokens.get(i).isWord("all")) {
                return new SessionStatement.Deallocate(Optional.empty());
            }
            if (tokens.size() == i + 1 && isName(tokens.get(i))) {
                return new SessionStatement.Deallocate(Optional.of(tokens.get(i).name()));
            }
            throw syntaxError(sql, "Write DEALLOCATE name or DEALLOCATE ALL.");
        }
        if (first.isWord("discard")) {
            if (tokens.size() == 2 && tokens.get(1).kind() == SqlToken.Kind.WORD) {
                String what = tokens.get(1).text().toUpperCase(java.util.Locale.ROOT);
                switch (what) {
                    case "ALL", "PLANS", "SEQUENCES", "TEMP":
                        return new SessionStatement.Discard(what);
                    case "TEMPORARY":
                        return new SessionStatement.Discard("TEMP");
                    default:
                        break;
                }
            }
            throw syntaxError(sql, "Write DISCARD ALL, DISCARD PLANS, DISCARD SEQUENCES or DISCARD TEMP.");
        }
        if (first.isWord("create")) {
            return parseCreateTempTable(tokens, sql);
        }
        if (first.isWord("drop")) {
            return parseDropTable(tokens, sql);
        }
        throw syntaxError(sql);
    }

    private static SessionStatement parseCreateTempTable(List<SqlToken> tokens, String sql)
    {
        int i = 1;
        if (i < tokens.size() && (tokens.get(i).isWord("local") || tokens.get(i).isWord("global"))) {
            i++;
        }
        if (i + 1 >= tokens.size() || !(tokens.get(i).isWord("temporary") || tokens.get(i).isWord("temp")) || !tokens.get(i + 1).isWord("table")) {
            throw syntaxError(sql);
        }
        i += 2;
        boolean ifNotExists = false;
        if (i + 2 < tokens.size() && tokens.get(i).isWord("if") && tokens.get(i + 1).isWord("not") && tokens.get(i + 2).isWord("exists")) {
            ifNotExists = true;
            i += 3;
        }
        int nameEnd = qualifiedNameEnd(tokens, i, sql);
        String name = tokens.get(nameEnd - 1).name();
        boolean asQuery = false;
        for (int j = nameEnd; j < tokens.size(); j++) {
            if (tokens.get(j).isWord("as") && (j == nameEnd || tokens.get(j - 1).isSymbol(")"))) {
                asQuery = true;
            }
        }
        return new SessionStatement.CreateTempTable(name, ifNotExists, asQuery);
    }

    private static SessionStatement parseDropTable(List<SqlToken> tokens, String sql)
    {
        if (tokens.size() < 3 || !tokens.get(1).isWord("table")) {
            throw syntaxError(sql);
        }
        int i = 2;
        boolean ifExists = false;
        if (i + 1 < tokens.size() && tokens.get(i).isWord("if") && tokens.get(i + 1).isWord("exists")) {
            ifExists = true;
            i += 2;
        }
        List<String> names = new ArrayList<>();
        while (true) {
            int end = qualifiedNameEnd(tokens, i, sql);
            names.add(tokens.get(end - 1).name());
            i = end;
            if (i < tokens.size() && tokens.get(i).isSymbol(",")) {
                i++;
                continue;
            }
            break;
        }
        if (i < tokens.size() && (tokens.get(i).isWord("cascade") || tokens.get(i).isWord("restrict"))) {
            i++;
        }
        if (i != tokens.size()) {
            throw syntaxError(sql);
        }
        return new SessionStatement.DropTable(names, ifExists);
    }

    /** The index after a possibly qualified name {@code a.b.c} starting at {@code from}. */
    private static int qualifiedNameEnd(List<SqlToken> tokens, int from, String sql)
    {
        int i = from;
        while (true) {
            if (i >= tokens.size() || !isName(tokens.get(i))) {
                throw syntaxError(sql);
            }
            i++;
            if (i + 1 < tokens.size() && tokens.get(i).isSymbol(".")) {
                i++;
                continue;
            }
            return i;
        }
    }

    static boolean isName(SqlToken token)
    {
        return token.kind() == SqlToken.Kind.WORD || token.kind() == SqlToken.Kind.QUOTED_IDENTIFIER;
    }

    static QueryException syntaxError(String sql)
    {
        return syntaxError(sql, "Write SET name TO value, RESET name or SHOW name.");
    }

    static QueryException syntaxError(String sql, String hint)
    {
        return new QueryException(SqlStates.SYNTAX_ERROR, "syntax error in session command: " + abbreviate(sql), hint, null);
    }

    private static String abbreviate(String sql)
    {
        String text = sql.strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
