package dev.sekisho.gateway.sourceio;

import dev.sekisho.planner.spi.EventLoopIo;
import dev.sekisho.planner.spi.SourceSocket;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
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
    private static final Logger log = LoggerFactory.getLogger(NettyEventLoopIo.class);

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
            execute(() -> socket.failedToConnect(e));
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

    /**
     * Runs {@code task} on the loop; once the loop shuts down (the gateway is closing) the task is
     * dropped: every socket of the loop was closed with it, and a connector closing its connections
     * after the front door stopped must not fail for that.
     */
    @Override
    public void execute(Runnable task)
    {
        requireNonNull(task, "task is null");
        try {
            loop.execute(task);
        }
        catch (RejectedExecutionException e) {
            log.debug("A task for {} was dropped: the event loop has shut down", loop);
        }
    }

    /** Runs {@code task} on the loop after {@code delay}; once the loop shut down, nothing runs and the future is cancelled already. */
    @Override
    public Future<?> schedule(Runnable task, Duration delay)
    {
        requireNonNull(task, "task is null");
        try {
            return loop.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException e) {
            log.debug("A timer for {} was dropped: the event loop has shut down", loop);
            CompletableFuture<?> dropped = new CompletableFuture<>();
            dropped.cancel(false);
            return dropped;
        }
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
