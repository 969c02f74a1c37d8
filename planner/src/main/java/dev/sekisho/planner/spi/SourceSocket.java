package dev.sekisho.planner.spi;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A connection to a source's server opened by {@link EventLoopIo#connect}. Call its methods on the
 * I/O thread that opened it only; nothing here blocks.
 */
public interface SourceSocket
{
    /**
     * Queues {@code bytes} (from its position to its limit) and sends them without blocking; the
     * buffer is the socket's from this call on. Ignored once the socket is closed.
     */
    void write(ByteBuffer bytes);

    /** Closes the connection; {@link Handler#closed} follows, on the I/O thread, unless it was closed already. */
    void close();

    /** Whether the connection is open (connected and not closed by either side). */
    boolean isOpen();

    /** What a socket reports, always on the I/O thread that opened it. */
    interface Handler
    {
        /** The connection is open; {@code socket} may be written from now on. */
        void connected(SourceSocket socket);

        /**
         * Bytes arrived, from the buffer's position to its limit. The buffer is valid only during
         * this call: copy what must outlive it.
         */
        void received(ByteBuffer bytes);

        /**
         * The connection did not open, or closed (by either side): called once, last. Empty cause:
         * closed in order (a {@link SourceSocket#close()}, or the peer's end of stream).
         */
        void closed(Optional<Throwable> cause);
    }
}
