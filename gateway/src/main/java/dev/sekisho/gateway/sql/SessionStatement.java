package dev.sekisho.gateway.sql;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The parsed form of the statements the gateway answers itself: SET, RESET, SHOW, the cursor
 * commands (DECLARE, FETCH, MOVE, CLOSE), DEALLOCATE, DISCARD and Tableau's temp-table probes.
 */
public sealed interface SessionStatement
{
    /**
     * {@code SET [SESSION | LOCAL] name {TO | =} value [, ...]} and its special forms.
     *
     * @param name the setting, lower case unless quoted; empty for the SET forms that change nothing
     *         here (SET TRANSACTION ..., SET SESSION CHARACTERISTICS ...)
     * @param values the values; empty for DEFAULT
     * @param local SET LOCAL: the value lasts until the end of the transaction
     */
    record Set(String name, List<String> values, boolean local)
            implements SessionStatement
    {
        public Set
        {
            requireNonNull(name, "name is null");
            values = List.copyOf(values);
        }

        public Set(String name, List<String> values)
        {
            this(name, values, false);
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
     * {@code DECLARE name [BINARY] [ASENSITIVE | INSENSITIVE] [[NO] SCROLL] CURSOR [{WITH | WITHOUT} HOLD] FOR query}.
     *
     * @param name the cursor's name (lower case unless quoted)
     * @param binary whether FETCH returns binary values
     * @param scroll whether SCROLL was asked for
     * @param hold WITH HOLD: the cursor survives the commit of its transaction
     * @param query the query text as written
     */
    record Declare(String name, boolean binary, boolean scroll, boolean hold, String query)
            implements SessionStatement
    {
        public Declare
        {
            requireNonNull(name, "name is null");
            requireNonNull(query, "query is null");
        }
    }

    /**
     * {@code FETCH} or {@code MOVE} with its direction, reduced to one of three movements.
     *
     * @param move MOVE (no rows returned) rather than FETCH
     * @param direction how to move
     * @param count rows for {@link Direction#FORWARD} and {@link Direction#BACKWARD}
     *         ({@link Long#MAX_VALUE} for ALL); the target for {@link Direction#ABSOLUTE} and
     *         {@link Direction#RELATIVE}
     * @param cursor the cursor's name
     */
    record Fetch(boolean move, Direction direction, long count, String cursor)
            implements SessionStatement
    {
        /** Which way FETCH goes. */
        public enum Direction
        {
            FORWARD, BACKWARD, ABSOLUTE, RELATIVE, LAST
        }

        public Fetch
        {
            requireNonNull(direction, "direction is null");
            requireNonNull(cursor, "cursor is null");
        }
    }

    /**
     * {@code CLOSE name} or {@code CLOSE ALL}.
     *
     * @param cursor the cursor, or empty for ALL
     */
    record Close(Optional<String> cursor)
            implements SessionStatement
    {
        public Close
        {
            requireNonNull(cursor, "cursor is null");
        }
    }

    /**
     * {@code DEALLOCATE [PREPARE] name} or {@code DEALLOCATE [PREPARE] ALL}.
     *
     * @param statement the prepared statement, or empty for ALL
     */
    record Deallocate(Optional<String> statement)
            implements SessionStatement
    {
        public Deallocate
        {
            requireNonNull(statement, "statement is null");
        }
    }

    /**
     * {@code DISCARD {ALL | PLANS | SEQUENCES | TEMP | TEMPORARY}}.
     *
     * @param what ALL, PLANS, SEQUENCES or TEMP (upper case; TEMPORARY is given as TEMP)
     */
    record Discard(String what)
            implements SessionStatement
    {
        public Discard
        {
            requireNonNull(what, "what is null");
        }
    }

    /**
     * {@code CREATE [LOCAL | GLOBAL] TEMP[ORARY] TABLE [IF NOT EXISTS] name (...) [ON COMMIT ...]}.
     *
     * @param name the table's name (lower case unless quoted)
     * @param ifNotExists IF NOT EXISTS was given
     * @param asQuery the table is filled from a query ({@code AS ...})
     */
    record CreateTempTable(String name, boolean ifNotExists, boolean asQuery)
            implements SessionStatement
    {
        public CreateTempTable
        {
            requireNonNull(name, "name is null");
        }
    }

    /**
     * {@code DROP TABLE [IF EXISTS] name [, ...] [CASCADE | RESTRICT]}.
     *
     * @param names the tables (each possibly qualified, the last part only)
     * @param ifExists IF EXISTS was given
     */
    record DropTable(List<String> names, boolean ifExists)
            implements SessionStatement
    {
        public DropTable
        {
            names = List.copyOf(names);
        }
    }

    /**
     * Parses a statement the gateway answers itself (SET, RESET, SHOW, DECLARE, FETCH, MOVE, CLOSE,
     * DEALLOCATE, DISCARD, CREATE TEMP TABLE, DROP TABLE).
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
        if (first.isWord("declare")) {
            return parseDeclare(tokens, sql);
        }
        if (first.isWord("fetch") || first.isWord("move")) {
            return parseFetch(tokens, sql);
        }
        if (first.isWord("close")) {
            if (tokens.size() == 2 && tokens.get(1).isWord("all")) {
                return new Close(Optional.empty());
            }
            if (tokens.size() == 2 && isName(tokens.get(1))) {
                return new Close(Optional.of(tokens.get(1).name()));
            }
            throw syntaxError(sql, "Write CLOSE name or CLOSE ALL.");
        }
        if (first.isWord("deallocate")) {
            int i = tokens.size() > 1 && tokens.get(1).isWord("prepare") ? 2 : 1;
            if (tokens.size() == i + 1 && tokens.get(i).isWord("all")) {
                return new Deallocate(Optional.empty());
            }
            if (tokens.size() == i + 1 && isName(tokens.get(i))) {
                return new Deallocate(Optional.of(tokens.get(i).name()));
            }
            throw syntaxError(sql, "Write DEALLOCATE name or DEALLOCATE ALL.");
        }
        if (first.isWord("discard")) {
            if (tokens.size() == 2 && tokens.get(1).type() == SqlLexer.TokenType.WORD) {
                String what = tokens.get(1).text().toUpperCase(java.util.Locale.ROOT);
                switch (what) {
                    case "ALL", "PLANS", "SEQUENCES", "TEMP":
                        return new Discard(what);
                    case "TEMPORARY":
                        return new Discard("TEMP");
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

    private static SessionStatement parseDeclare(List<SqlLexer.Token> tokens, String sql)
    {
        String hint = "Write DECLARE name [BINARY] [NO SCROLL] CURSOR [WITH HOLD] FOR query.";
        if (tokens.size() < 2 || !isName(tokens.get(1))) {
            throw syntaxError(sql, hint);
        }
        String name = tokens.get(1).name();
        boolean binary = false;
        boolean scroll = false;
        boolean hold = false;
        int i = 2;
        while (i < tokens.size() && !tokens.get(i).isWord("cursor")) {
            SqlLexer.Token token = tokens.get(i);
            if (token.isWord("binary")) {
                binary = true;
            }
            else if (token.isWord("scroll")) {
                scroll = true;
            }
            else if (token.isWord("no") && i + 1 < tokens.size() && tokens.get(i + 1).isWord("scroll")) {
                i++;
            }
            else if (!token.isWord("insensitive") && !token.isWord("asensitive")) {
                throw syntaxError(sql, hint);
            }
            i++;
        }
        i++;
        if (i + 1 < tokens.size() && (tokens.get(i).isWord("with") || tokens.get(i).isWord("without")) && tokens.get(i + 1).isWord("hold")) {
            hold = tokens.get(i).isWord("with");
            i += 2;
        }
        if (i + 1 >= tokens.size() || !tokens.get(i).isWord("for")) {
            throw syntaxError(sql, hint);
        }
        // the text right after FOR, comments included (the planner gets the query as written)
        String query = sql.substring(SqlLexer.tokenStarts(sql).get(i) + tokens.get(i).text().length()).strip();
        while (query.endsWith(";")) {
            query = query.substring(0, query.length() - 1).strip();
        }
        return new Declare(name, binary, scroll, hold, query);
    }

    private static SessionStatement parseFetch(List<SqlLexer.Token> tokens, String sql)
    {
        boolean move = tokens.get(0).isWord("move");
        String hint = "Write " + (move ? "MOVE" : "FETCH") + " [NEXT | n | ALL | FORWARD n] [FROM | IN] cursor.";
        int end = tokens.size() - 1;
        if (end < 1 || !isName(tokens.get(end)) || tokens.get(end).isWord("from") || tokens.get(end).isWord("in")) {
            throw syntaxError(sql, hint);
        }
        String cursor = tokens.get(end).name();
        if (end >= 2 && (tokens.get(end - 1).isWord("from") || tokens.get(end - 1).isWord("in"))) {
            end--;
        }
        List<SqlLexer.Token> direction = tokens.subList(1, end);
        Fetch.Direction kind = Fetch.Direction.FORWARD;
        long count = 1;
        if (direction.isEmpty()) {
            return new Fetch(move, kind, count, cursor);
        }
        SqlLexer.Token word = direction.get(0);
        if ((direction.size() == 1 && word.type() == SqlLexer.TokenType.NUMBER)
                || (direction.size() == 2 && (word.isSymbol("-") || word.isSymbol("+")))) {
            // FETCH n / FETCH -n
            Long n = count(direction, 0);
            if (n == null) {
                throw syntaxError(sql, hint);
            }
            return n < 0 ? new Fetch(move, Fetch.Direction.BACKWARD, -n, cursor) : new Fetch(move, Fetch.Direction.FORWARD, n, cursor);
        }
        String keyword = word.type() == SqlLexer.TokenType.WORD ? word.text().toLowerCase(java.util.Locale.ROOT) : "";
        boolean single = direction.size() == 1;
        switch (keyword) {
            case "next":
                if (single) {
                    return new Fetch(move, Fetch.Direction.FORWARD, 1, cursor);
                }
                break;
            case "prior":
                if (single) {
                    return new Fetch(move, Fetch.Direction.BACKWARD, 1, cursor);
                }
                break;
            case "first":
                if (single) {
                    return new Fetch(move, Fetch.Direction.ABSOLUTE, 1, cursor);
                }
                break;
            case "last":
                if (single) {
                    return new Fetch(move, Fetch.Direction.LAST, 0, cursor);
                }
                break;
            case "all":
                if (single) {
                    return new Fetch(move, Fetch.Direction.FORWARD, Long.MAX_VALUE, cursor);
                }
                break;
            case "absolute", "relative": {
                Long n = direction.size() >= 2 ? count(direction, 1) : null;
                if (n == null) {
                    throw syntaxError(sql, hint);
                }
                return new Fetch(move, keyword.equals("absolute") ? Fetch.Direction.ABSOLUTE : Fetch.Direction.RELATIVE, n, cursor);
            }
            case "forward", "backward": {
                Fetch.Direction forward = keyword.equals("forward") ? Fetch.Direction.FORWARD : Fetch.Direction.BACKWARD;
                if (single) {
                    return new Fetch(move, forward, 1, cursor);
                }
                if (direction.size() == 2 && direction.get(1).isWord("all")) {
                    return new Fetch(move, forward, Long.MAX_VALUE, cursor);
                }
                Long n = count(direction, 1);
                if (n == null) {
                    throw syntaxError(sql, hint);
                }
                if (n < 0) {
                    forward = forward == Fetch.Direction.FORWARD ? Fetch.Direction.BACKWARD : Fetch.Direction.FORWARD;
                }
                return new Fetch(move, forward, Math.abs(n), cursor);
            }
            default:
                break;
        }
        throw syntaxError(sql, hint);
    }

    /** A possibly signed integer made of the tokens from {@code from} to the end; null if they are not one. */
    private static Long count(List<SqlLexer.Token> tokens, int from)
    {
        boolean negative = false;
        int i = from;
        if (i < tokens.size() && (tokens.get(i).isSymbol("-") || tokens.get(i).isSymbol("+"))) {
            negative = tokens.get(i).isSymbol("-");
            i++;
        }
        if (i != tokens.size() - 1 || tokens.get(i).type() != SqlLexer.TokenType.NUMBER) {
            return null;
        }
        try {
            long value = Long.parseLong(tokens.get(i).text());
            return negative ? -value : value;
        }
        catch (NumberFormatException e) {
            return null;
        }
    }

    private static SessionStatement parseCreateTempTable(List<SqlLexer.Token> tokens, String sql)
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
        return new CreateTempTable(name, ifNotExists, asQuery);
    }

    private static SessionStatement parseDropTable(List<SqlLexer.Token> tokens, String sql)
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
        return new DropTable(names, ifExists);
    }

    /** The index after a possibly qualified name {@code a.b.c} starting at {@code from}. */
    private static int qualifiedNameEnd(List<SqlLexer.Token> tokens, int from, String sql)
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

    private static boolean isName(SqlLexer.Token token)
    {
        return token.type() == SqlLexer.TokenType.WORD || token.type() == SqlLexer.TokenType.QUOTED_IDENTIFIER;
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
        Set set = parseSetBody(tokens, sql);
        boolean local = tokens.size() > 1 && tokens.get(1).isWord("local");
        return local ? new Set(set.name(), set.values(), true) : set;
    }

    private static Set parseSetBody(List<SqlLexer.Token> tokens, String sql)
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
        return syntaxError(sql, "Write SET name TO value, RESET name or SHOW name.");
    }

    private static QueryException syntaxError(String sql, String hint)
    {
        return new QueryException(SqlStates.SYNTAX_ERROR, "syntax error in session command: " + abbreviate(sql), hint, null);
    }

    private static String abbreviate(String sql)
    {
        String text = sql.strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
