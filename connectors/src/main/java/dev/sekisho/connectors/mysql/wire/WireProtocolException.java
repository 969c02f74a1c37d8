package dev.sekisho.connectors.mysql.wire;

/**
 * Something the server sent that this client does not read (a packet it does not expect, a value
 * it does not decode, a result larger than it buffers): the run gives up and the statement goes
 * through Connector/J instead. Carries no stack trace: it is an outcome, not a bug.
 */
public final class WireProtocolException
        extends Exception
{
    public WireProtocolException(String message)
    {
        super(message, null, false, false);
    }
}
