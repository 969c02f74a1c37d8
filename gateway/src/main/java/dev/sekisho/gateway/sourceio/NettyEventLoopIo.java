package dev.sekisho.gateway.sourceio;

import dev.sekisho.planner.spi.EventLoopIo;
import dev.sekisho.planner.spi.SourceSocket;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One Netty event loop lent to connectors ({@link EventLoopIo}): a socket is opened with a
 * {@link Bootstrap} on this very loop, with the socket channel class of the loop's transport
 * (an epoll loop cannot register a NIO channel, nor the reverse), with TCP_NODELAY (a source's
 * request is one small write that must not wait for an acknowledgement) and the caller's connect
 * timeout; tasks and timers run on the loop. Get one from {@link EventLoopIos}.
 */
public final class NettyEventLoopIo
        implements EventLoopIo
{
    private final EventLoop loop;
    private final Class<? extends SocketChannel> channelClass;

    NettyEventLoopIo(EventLoop loop, Class<? extends SocketChannel> channelClass)
    {
        this.loop = requireNonNull(loop, "loop is null");
        this.channelClass = requireNonNull(channelClass, "channelClass is null");
    }

    @Override
    public void connect(String host, int port, Duration timeout, SourceSocket.Handler handler)
    {
        requireNonNull(host, "host is null");
        requireNonNull(handler, "handler is null");
        long millis = Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        NettySourceSocket socket = new NettySourceSocket(handler);
        ChannelFuture connecting;
        try {
            connecting = new Bootstrap()
                    .group(loop)
                    .channel(channelClass)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) millis)
                    .handler(socket)
                    .connect(host, port);
        }
        catch (RuntimeException e) {
            // the handler hears of it on the loop, never inside this call
            loop.execute(() -> socket.failedToConnect(e));
            return;
        }
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                socket.opened(connecting.channel());
            }
            else {
                socket.failedToConnect(done.cause());
            }
        });
    }

    @Override
    public void execute(Runnable task)
    {
        requireNonNull(task, "task is null");
        loop.execute(task);
    }

    @Override
    public Future<?> schedule(Runnable task, Duration delay)
    {
        requireNonNull(task, "task is null");
        return loop.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean inThisThread()
    {
        return loop.inEventLoop();
    }

    @Override
    public String toString()
    {
        return "EventLoopIo[" + loop + "]";
    }
}
