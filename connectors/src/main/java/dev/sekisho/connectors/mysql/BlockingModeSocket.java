package dev.sekisho.connectors.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A socket whose file descriptor stays in blocking mode for its whole life, so that a read which
 * has to wait is one blocking {@code read} system call.
 *
 * <p>JDK 17's socket ({@code sun.nio.ch.NioSocketImpl}) switches its descriptor to non-blocking
 * mode the first time a read is given a timeout ({@link #setSoTimeout}), and never switches it
 * back: every later read that finds no data costs {@code read} (EAGAIN), {@code poll} and
 * {@code read} again. Connector/J times the reads of its handshake (the login timeout, which
 * HikariCP sets) and HikariCP's validation of an idle connection ({@code setNetworkTimeout},
 * {@code isValid}), so a pooled connection is non-blocking from its first use on. (A timed connect
 * leaves the descriptor blocking on JDK 17.0.15; {@code TestBlockingModeSocket} checks both.) Here
 * the JDK never sees a read timeout: a timed read is the untimed one, guarded by a timer that
 * closes the socket when the time is up, which makes the blocked read fail at once; the failure is
 * then reported as the {@link SocketTimeoutException} the timed read would have thrown. The
 * difference from the JDK's timed read: the socket is closed after a read timeout, not left
 * usable. Connector/J never reads on after a read timeout (the connection is broken for it), so
 * nothing depends on that.
 *
 * <p>Closing the socket from another thread (Connector/J's {@code abort}, a cancel of a streaming
 * statement) wakes a thread blocked in a read of it, as it does in non-blocking mode: the JDK
 * signals the blocked thread and the read fails.
 */
final class BlockingModeSocket
        extends Socket
{
    /** Closes the sockets whose read ran out of time; one daemon thread for every source. */
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private volatile int timeoutMillis;
    private volatile InputStream input;

    /** Kept here, never handed to the JDK's socket: a timed read would make the descriptor non-blocking for good. */
    @Override
    public void setSoTimeout(int timeout)
            throws SocketException
    {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout can't be negative");
        }
        timeoutMillis = timeout;
    }

    @Override
    public int getSoTimeout()
            throws SocketException
    {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        return timeoutMillis;
    }

    @Override
    public InputStream getInputStream()
            throws IOException
    {
        InputStream current = input;
        if (current != null && !isClosed()) {
            return current;
        }
        synchronized (this) {
            // the JDK's checks (closed, not connected, input shut down) come first
            InputStream raw = super.getInputStream();
            if (input == null) {
                input = new TimedInput(raw);
            }
            return input;
        }
    }

    private static SocketTimeoutException timedOut(String message, IOException cause)
    {
        SocketTimeoutException timeout = new SocketTimeoutException(message);
        if (cause != null) {
            timeout.initCause(cause);
        }
        return timeout;
    }

    private static ScheduledThreadPoolExecutor timer()
    {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "sekisho-mysql-socket-timer");
            thread.setDaemon(true);
            return thread;
        });
        // a timed call that ends in time removes its timer task at once
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * The time limit of one read: when it passes before {@link #finish()}, the socket is
     * closed. Exactly one of the two wins, so a call that returns at the last moment is either in
     * time (the socket stays open) or expired (the socket is closed and the call reports a timeout).
     */
    private static final class Deadline
    {
        private final AtomicBoolean decided = new AtomicBoolean();
        private final ScheduledFuture<?> timer;
        private volatile boolean expired;

        Deadline(Socket socket, int millis)
        {
            this.timer = TIMER.schedule(() -> {
                if (decided.compareAndSet(false, true)) {
                    expired = true;
                    try {
                        socket.close();
                    }
                    catch (IOException ignored) {
                        // closing is all that is left to do
                    }
                }
            }, millis, TimeUnit.MILLISECONDS);
        }

        /** The call returned or failed: the timer no longer closes the socket (unless it did already). */
        void finish()
        {
            if (decided.compareAndSet(false, true)) {
                timer.cancel(false);
            }
        }

        /** Whether the timer closed the socket; final once {@link #finish()} returned. */
        boolean expired()
        {
            return expired;
        }
    }

    /** The socket's input with {@link #setSoTimeout}'s limit applied by a {@link Deadline}. */
    private final class TimedInput
            extends InputStream
    {
        private final InputStream raw;

        TimedInput(InputStream raw)
        {
            this.raw = raw;
        }

        @Override
        public int read()
                throws IOException
        {
            int millis = timeoutMillis;
            if (millis == 0) {
                return raw.read();
            }
            // a timed read of one byte is rare (Connector/J reads packets into arrays): the array read's deadline serves it
            byte[] one = new byte[1];
            int count = read(one, 0, 1);
            return count < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length)
                throws IOException
        {
            int millis = timeoutMillis;
            if (millis == 0) {
                return raw.read(buffer, offset, length);
            }
            Deadline deadline = new Deadline(BlockingModeSocket.this, millis);
            int count;
            try {
                count = raw.read(buffer, offset, length);
            }
            catch (IOException e) {
                deadline.finish();
                throw deadline.expired() ? timedOut("Read timed out", e) : e;
            }
            deadline.finish();
            if (deadline.expired()) {
                throw timedOut("Read timed out", null);
            }
            return count;
        }

        @Override
        public int available()
                throws IOException
        {
            return raw.available();
        }

        @Override
        public void close()
                throws IOException
        {
            raw.close();
        }
    }
}
