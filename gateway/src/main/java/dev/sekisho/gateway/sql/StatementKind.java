package dev.sekisho.gateway.sql;

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
    /** EXPLAIN [ANALYZE] [VERBOSE] query: the plan as rows of text (a query for the session). */
    EXPLAIN,
    /** A statement that would change data or schema. */
    WRITE,
    /** Anything else; the planner decides (and usually reports it unsupported). */
    OTHER;

    /** Whether the statement is answered by the gateway rather than the planner. */
    public boolean isSessionCommand()
    {
        return this != QUERY && this != OTHER && this != WRITE && this != EMPTY && this != EXPLAIN;
    }

    /** Whether the statement ends a transaction block (allowed in a failed transaction). */
    public boolean endsFailedTransaction()
    {
        return this == ROLLBACK || this == COMMIT || this == ROLLBACK_TO;
    }
}
