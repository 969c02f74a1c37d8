package dev.sekisho.connectors.jdbc;

/**
 * Whether a streaming result's next row has arrived from the server already, whole, so that reading
 * it cannot wait on the network ({@link dev.sekisho.planner.spi.ResultStream#nextRowArrived()}).
 * Only a driver-specific look at what the connection has received can tell; where none is known the
 * answer is always no ({@link #UNKNOWN}), and such results are never read ahead. Used by the thread
 * that reads the result, one call at a time.
 */
public interface RowArrival
{
    /** For a driver whose received bytes cannot be looked at: no row is ever known to have arrived. */
    RowArrival UNKNOWN = new RowArrival()
    {
        @Override
        public boolean nextRowArrived()
        {
            return false;
        }

        @Override
        public void reading() {}
    };

    /** Whether the next row, or the end of the rows, is received whole. Never blocks. */
    boolean nextRowArrived();

    /** The result's next row is about to be read (what was learnt of the bytes ahead changes). */
    void reading();
}
