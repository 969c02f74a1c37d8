package dev.sekisho.gateway.sql;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.SqlToken;

import java.util.ArrayList;
import java.util.List;

import static dev.sekisho.gateway.sql.StatementParser.isName;
import static dev.sekisho.gateway.sql.StatementParser.syntaxError;

/** Parses the cursor commands: DECLARE ... CURSOR ... FOR query, FETCH and MOVE with their directions. */
final class CursorCommandParser
{
    private CursorCommandParser() {}

    static SessionStatement parseDeclare(List<SqlToken> tokens, SqlStatement statement)
    {
        String sql = statement.text();
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
            SqlToken token = tokens.get(i);
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
        // the statement right after FOR, comments included (the planner gets the query as written, lexed already)
        List<SqlToken> all = statement.tokens();
        SqlStatement query = statement.from(all.get(all.indexOf(tokens.get(i)) + 1));
        return new SessionStatement.Declare(name, binary, scroll, hold, query);
    }

    static SessionStatement parseFetch(List<SqlToken> tokens, String sql)
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
        List<SqlToken> direction = tokens.subList(1, end);
        SessionStatement.Fetch.Direction kind = SessionStatement.Fetch.Direction.FORWARD;
        long count = 1;
        if (direction.isEmpty()) {
            return new SessionStatement.Fetch(move, kind, count, cursor);
        }
        SqlToken word = direction.get(0);
        if ((direction.size() == 1 && word.kind() == SqlToken.Kind.NUMBER)
                || (direction.size() == 2 && (word.isSymbol("-") || word.isSymbol("+")))) {
            // FETCH n / FETCH -n
            Long n = count(direction, 0);
            if (n == null) {
                throw syntaxError(sql, hint);
            }
            return n < 0 ? new SessionStatement.Fetch(move, SessionStatement.Fetch.Direction.BACKWARD, -n, cursor) : new SessionStatement.Fetch(move, SessionStatement.Fetch.Direction.FORWARD, n, cursor);
        }
        String keyword = word.kind() == SqlToken.Kind.WORD ? word.text().toLowerCase(java.util.Locale.ROOT) : "";
        boolean single = direction.size() == 1;
        switch (keyword) {
            case "next":
                if (single) {
                    return new SessionStatement.Fetch(move, SessionStatement.Fetch.Direction.FORWARD, 1, cursor);
                }
                break;
            case "prior":
                if (single) {
                    return new SessionStatement.Fetch(move, SessionStatement.Fetch.Direction.BACKWARD, 1, cursor);
                }
                break;
            case "first":
                if (single) {
                    return new SessionStatement.Fetch(move, SessionStatement.Fetch.Direction.ABSOLUTE, 1, cursor);
                }
                break;
            case "last":
                if (single) {
                    return new SessionStatement.Fetch(move, SessionStatement.Fetch.Direction.LAST, 0, cursor);
                }
                break;
            case "all":
                if (single) {
                    return new SessionStatement.Fetch(move, SessionStatement.Fetch.Direction.FORWARD, Long.MAX_VALUE, cursor);
                }
                break;
            case "absolute", "relative": {
                Long n = direction.size() >= 2 ? count(direction, 1) : null;
                if (n == null) {
                    throw syntaxError(sql, hint);
                }
                return new SessionStatement.Fetch(move, keyword.equals("absolute") ? SessionStatement.Fetch.Direction.ABSOLUTE : SessionStatement.Fetch.Direction.RELATIVE, n, cursor);
            }
            case "forward", "backward": {
                SessionStatement.Fetch.Direction forward = keyword.equals("forward") ? SessionStatement.Fetch.Direction.FORWARD : SessionStatement.Fetch.Direction.BACKWARD;
                if (single) {
                    return new SessionStatement.Fetch(move, forward, 1, cursor);
                }
                if (direction.size() == 2 && direction.get(1).isWord("all")) {
                    return new SessionStatement.Fetch(move, forward, Long.MAX_VALUE, cursor);
                }
                Long n = count(direction, 1);
                if (n == null) {
                    throw syntaxError(sql, hint);
                }
                if (n < 0) {
                    forward = forward == SessionStatement.Fetch.Direction.FORWARD ? SessionStatement.Fetch.Direction.BACKWARD : SessionStatement.Fetch.Direction.FORWARD;
                }
                return new SessionStatement.Fetch(move, forward, Math.abs(n), cursor);
            }
            default:
                break;
        }
        throw syntaxError(sql, hint);
    }

    /** A possibly signed integer made of the tokens from {@code from} to the end; null if they are not one. */
    private static Long count(List<SqlToken> tokens, int from)
    {
        boolean negative = false;
        int i = from;
        if (i < tokens.size() && (tokens.get(i).isSymbol("-") || tokens.get(i).isSymbol("+"))) {
            negative = tokens.get(i).isSymbol("-");
            i++;
        }
        if (i != tokens.size() - 1 || tokens.get(i).kind() != SqlToken.Kind.NUMBER) {
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
}
