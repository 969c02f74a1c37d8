package dev.sekisho.gateway.sourceio;

import dev.sekisho.planner.spi.EventLoopIo;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The {@link EventLoopIo} of each event loop of a server, made on first use and kept for the
 * server's life: a connector keys what it keeps per thread (its connections) by the instance, so
 * the same loop must always be lent as the same instance. Thread-safe.
 */
public final class EventLoopIos
{
    private final Supplier<Class<? extends SocketChannel>> channelClass;
    private final Map<EventLoop, NettyEventLoopIo> ios = new ConcurrentHashMap<>();

    /**
     * @param channelClass the socket channel class of the loops' transport (epoll or NIO), asked
     *         when a loop is first lent
     */
    public EventLoopIos(Supplier<Class<? extends SocketChannel>> channelClass)
    {
        this.channelClass = requireNonNull(channelClass, "channelClass is null");
    }

    /** The one {@code EventLoopIo} of {@code loop}. */
    public EventLoopIo of(EventLoop loop)
    {
        requireNonNull(loop, "loop is null");
        NettyEventLoopIo io = ios.get(loop);
        if (io != null) {
            return io;
        }
        return ios.computeIfAbsent(loop, key -> new NettyEventLoopIo(key, channelClass.get()));
    }
}
