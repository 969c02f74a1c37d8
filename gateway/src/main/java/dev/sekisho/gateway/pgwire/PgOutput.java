package dev.sekisho.gateway.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;

import static java.util.Objects.requireNonNull;

/**
 * Gathers backend messages for one connection into a buffer and hands it to the channel at Sync,
 * Flush, or when it holds {@code flushBytes}. Used by one thread at a time (the connection's task).
 */
final class PgOutput
{
    private final Channel channel;
    private final int flushBytes;
    private ByteBuf buffer;
    /** Whether a full batch went out since the last {@link #flush()}: the statement's result is long. */
    private boolean fullBatches;

    PgOutput(Channel channel, int flushBytes)
    {
        this.channel = requireNonNull(channel, "channel is null");
        this.flushBytes = flushBytes;
    }

    /**
     * The buffer to write the next message into. Once a full batch went out (a long result), the
     * next buffers of the statement start at a batch's size instead of growing to it by copies.
     */
    ByteBuf buffer()
    {
        if (buffer == null) {
            buffer = channel.alloc().buffer((fullBatches ? flushBytes : Math.min(flushBytes, 8192)) + 512);
        }
        return buffer;
    }

    /** Sends the gathered messages if they reached {@code flushBytes}; returns whether it did. */
    boolean flushIfFull()
    {
        if (buffer != null && buffer.readableBytes() >= flushBytes) {
            send();
            fullBatches = true;
            return true;
        }
        return false;
    }

    /**
     * Sends the gathered messages now. Nothing gathered, nothing to do: every write here flushes,
     * so a bare flush would only cost the event loop a task and a wake-up.
     */
    void flush()
    {
        send();
        fullBatches = false;
    }

    private void send()
    {
        ByteBuf out = buffer;
        buffer = null;
        if (out != null && out.isReadable()) {
            channel.writeAndFlush(out, channel.voidPromise());
        }
        else if (out != null) {
            out.release();
        }
    }

    /** How many bytes make a batch: the output is handed to the socket when it holds this many. */
    int flushBytes()
    {
        return flushBytes;
    }

    /** The connection's buffer allocator. */
    ByteBufAllocator allocator()
    {
        return channel.alloc();
    }

    /** Whether the channel takes more data without exceeding its high water mark. */
    boolean isWritable()
    {
        return channel.isWritable();
    }

    /** Drops whatever was gathered and not sent. */
    void discard()
    {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
