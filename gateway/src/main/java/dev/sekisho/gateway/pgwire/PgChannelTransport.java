package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.execution.SessionWorkQueue;
import dev.sekisho.gateway.pgwire.message.BackendMessages;
import dev.sekisho.gateway.pgwire.message.PgError;
import dev.sekisho.planner.spi.SqlStates;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * A PostgreSQL connection's channel as its session's work queue sees it: whether it can take more
 * rows, reading paused and resumed for backpressure, a refused or failed connection closed, timers
 * on its event loop. Logs under {@link PgProtocolHandler}'s name, the connection's.
 */
final class PgChannelTransport
        implements SessionWorkQueue.Transport
{
    private static final Logger log = LoggerFactory.getLogger(PgProtocolHandler.class);

    private final Channel channel;

    PgChannelTransport(Channel channel)
    {
        this.channel = requireNonNull(channel, "channel is null");
    }

    @Override
    public boolean isWritable()
    {
        return channel.isWritable();
    }

    @Override
    public void pauseReading()
    {
        channel.config().setAutoRead(false);
    }

    @Override
    public void resumeReading()
    {
        if (!channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public void rejected()
    {
        log.warn("Worker pool is saturated; closing connection from {}", channel.remoteAddress());
        ByteBuf out = channel.alloc().buffer();
        BackendMessages.errorResponse(out, PgError.fatal(SqlStates.TOO_MANY_CONNECTIONS, "the gateway is too busy to run this statement; try again later"));
        channel.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void failed(Throwable failure)
    {
        log.error("Unexpected failure on connection from {}; closing it", channel.remoteAddress(), failure);
        channel.close();
    }

    @Override
    public void schedule(Runnable task, long nanos)
    {
        channel.eventLoop().schedule(task, nanos, TimeUnit.NANOSECONDS);
    }
}
