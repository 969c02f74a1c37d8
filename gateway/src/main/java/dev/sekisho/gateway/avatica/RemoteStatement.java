package dev.sekisho.gateway.avatica;

import org.apache.calcite.avatica.Meta;

import static java.util.Objects.requireNonNull;

/**
 * One Avatica statement of a {@link RemoteConnection}: the names of its prepared statement and
 * portal in the session, and where its result stands (rows sent, whether more frames follow). Used
 * under its connection's lock.
 */
final class RemoteStatement
{
    private final int id;
    private Meta.Signature signature;
    private boolean prepared;
    private boolean portalOpen;
    private long offset;
    /** Rows the client may still receive (statement's max rows); negative: no limit. */
    private long remaining = -1;

    RemoteStatement(int id)
    {
        this.id = id;
    }

    int id()
    {
        return id;
    }

    /** The session's name for this statement's prepared statement. */
    String statementName()
    {
        return "avatica_s" + id;
    }

    /** The session's name for this statement's portal (its open result). */
    String portalName()
    {
        return "avatica_p" + id;
    }

    Meta.Signature signature()
    {
        return signature;
    }

    void prepared(Meta.Signature signature)
    {
        this.signature = requireNonNull(signature, "signature is null");
        this.prepared = true;
    }

    boolean isPrepared()
    {
        return prepared;
    }

    void unprepared()
    {
        prepared = false;
        signature = null;
    }

    boolean isPortalOpen()
    {
        return portalOpen;
    }

    /** A result opens: its frames start at row 0, at most {@code limit} rows (negative: all). */
    void resultOpened(long limit)
    {
        portalOpen = true;
        offset = 0;
        remaining = limit;
    }

    void resultClosed()
    {
        portalOpen = false;
    }

    long offset()
    {
        return offset;
    }

    long remaining()
    {
        return remaining;
    }

    void sent(int rows)
    {
        offset += rows;
        if (remaining >= 0) {
            remaining -= rows;
        }
    }
}
