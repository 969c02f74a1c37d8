package dev.sekisho.gateway.sql;

import java.util.List;
import java.util.Set;

/**
 * What a statement is, judged by its first keyword(s) with comments and opening parentheses skipped.
 * Queries go to the planner; session and transaction commands are answered by the gateway; writes are
 * refused, because Sekisho is read-only.
 */
public enum StatementKind
{
    /** Nothing but whitespace and comments. */
    EMPTY,
    /** SELECT, WITH, VALUES, TABLE, or a parenthesised query. */
    QUERY,
    SET,
    RESET,
    SHOW,
    /** BEGIN or START TRANSACTION. */
    BEGIN,
    /** COMMIT or END. */
    COMMIT,
    /** ROLLBACK or ABORT (not ROLLBACK TO). */
    ROLLBACK,
    SAVEPOINT,
    RELEASE,
    /** ROLLBACK TO [SAVEPOINT] name. */
    ROLLBACK_TO,
    /** DISCARD ALL and friends, sent by connection pools. */
    DISCARD,
    /** DECLARE name ... CURSOR ... FOR query. */
    DECLARE,
    /** FETCH [direction] [FROM | IN] cursor. */
    FETCH,
    /** MOVE [direction] [FROM | IN] cursor. */
    MOVE,
    /** CLOSE cursor or CLOSE ALL. */
    CLOSE,
    /** DEALLOCATE [PREPARE] name or ALL. */
    DEALLOCATE,
    /**
     * CREATE [LOCAL | GLOBAL] TEMP[ORARY] TABLE: Tableau's capability probe ({@code "#Tableau_..."})
     * is answered by the gateway; any other is refused as a write.
     */
    CREATE_TEMP_TABLE,
    /** DROP TABLE: of the gateway's own Tableau probe tables; any other is refused as a write. */
    DROP_TABLE,
    /** A statement that would change data or schema. */
    WRITE,
    /** Anything else; the planner decides (and usually reports it unsupported). */
    OTHER;

    private static final Set<String> WRITE_KEYWORDS = Set.of(
            "insert", "update", "delete", "merge", "upsert", "replace", "create", "drop", "alter", "truncate",
            "grant", "revoke", "copy", "comment", "reindex", "vacuum", "cluster", "lock", "refresh", "import",
            "security", "call", "do", "load", "reassign", "analyze", "analyse");

    /** Classifies one statement. */
    public static StatementKind classify(String sql)
    {
        List<SqlLexer.Token> tokens = SqlLexer.tokenize(sql);
        int i = 0;
        while (i < tokens.size() && tokens.get(i).isSymbol("(")) {
            i++;
        }
        if (i >= tokens.size()) {
            return tokens.isEmpty() ? EMPTY : OTHER;
        }
        SqlLexer.Token first = tokens.get(i);
        if (first.type() != SqlLexer.TokenType.WORD) {
            return OTHER;
        }
        String keyword = first.name();
        SqlLexer.Token second = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
        switch (keyword) {
            case "select", "with", "values", "table":
                return QUERY;
            case "set":
                return SET;
            case "reset":
                return RESET;
            case "show":
                return SHOW;
            case "begin":
                return BEGIN;
            case "start":
                return second != null && second.isWord("transaction") ? BEGIN : OTHER;
            case "commit", "end":
                return second != null && second.isWord("prepared") ? WRITE : COMMIT;
            case "abort":
                return ROLLBACK;
            case "rollback":
                if (second != null && second.isWord("prepared")) {
                    return WRITE;
                }
                for (int j = i + 1; j < tokens.size(); j++) {
                    if (tokens.get(j).isWord("to")) {
                        return ROLLBACK_TO;
                    }
                }
                return ROLLBACK;
            case "savepoint":
                return SAVEPOINT;
            case "release":
                return RELEASE;
            case "discard":
                return DISCARD;
            case "declare":
                return DECLARE;
            case "fetch":
                return FETCH;
            case "move":
                return MOVE;
            case "close":
                return CLOSE;
            case "deallocate":
                return DEALLOCATE;
            case "create":
                return isCreateTempTable(tokens, i + 1) ? CREATE_TEMP_TABLE : WRITE;
            case "drop":
                return second != null && second.isWord("table") ? DROP_TABLE : WRITE;
            default:
                return WRITE_KEYWORDS.contains(keyword) ? WRITE : OTHER;
        }
    }

    private static boolean isCreateTempTable(List<SqlLexer.Token> tokens, int i)
    {
        if (i < tokens.size() && (tokens.get(i).isWord("local") || tokens.get(i).isWord("global"))) {
            i++;
        }
        if (i >= tokens.size() || !(tokens.get(i).isWord("temporary") || tokens.get(i).isWord("temp"))) {
            return false;
        }
        return i + 1 < tokens.size() && tokens.get(i + 1).isWord("table");
    }

    /** Whether the statement is answered by the gateway rather than the planner. */
    public boolean isSessionCommand()
    {
        return this != QUERY && this != OTHER && this != WRITE && this != EMPTY;
    }

    /** Whether the statement ends a transaction block (allowed in a failed transaction). */
    public boolean endsFailedTransaction()
    {
        return this == ROLLBACK || this == COMMIT || this == ROLLBACK_TO;
    }
}
