package dev.sekisho.gateway.session;

/**
 * Where the session stands with respect to a transaction block, as ReadyForQuery reports it.
 * Sources always run in autocommit; the block only changes what the client is told and which
 * statements are accepted after an error.
 */
public enum TransactionStatus
{
    /** Not in a transaction block. */
    IDLE('I'),
    /** In a transaction block (after BEGIN). */
    IN_BLOCK('T'),
    /** In a failed transaction block: only ROLLBACK (or COMMIT) is accepted. */
    FAILED('E');

    private final char code;

    TransactionStatus(char code)
    {
        this.code = code;
    }

    /** The status byte of ReadyForQuery. */
    public char code()
    {
        return code;
    }
}
