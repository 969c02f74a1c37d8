package dev.sekisho.gateway.sourceio;

import dev.sekisho.planner.spi.SourceSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One connection to a source's server on an event loop, and the last handler of its channel: it
 * tells the connector's {@link SourceSocket.Handler} that the connection opened (or did not), hands
 * each read over as a {@link ByteBuffer} valid during the call, and reports the end once, with the
 * cause when the connection failed. A handler that throws closes the connection with that cause:
 * a connector's bug never leaves a half-read source connection open. Used on its loop only.
 */
final class NettySourceSocket
        extends ChannelInboundHandlerAdapter
        implements SourceSocket
{
    private static final Logger log = LoggerFactory.getLogger(NettySourceSocket.class);

    private final Handler handler;
    private Channel channel;
    /** Why the connection ends, when it fails (the first failure seen); null: in order. */
    private Throwable failure;
    /** Whether the handler heard {@link Handler#closed} (it hears it once). */
    private boolean ended;

    NettySourceSocket(Handler handler)
    {
        this.handler = requireNonNull(handler, "handler is null");
    }

    /** The connection is open: the handler may write from now on. */
    void opened(Channel opened)
    {
        channel = opened;
        if (!opened.isActive()) {
            // closed between the connect and this listener: channelInactive has been or will be called
            return;
        }
        try {
            handler.connected(this);
        }
        catch (RuntimeException | Error e) {
            fail(e);
        }
    }

    /** The connection did not open. */
    void failedToConnect(Throwable cause)
    {
        end(Optional.of(cause));
    }

    @Override
    public void write(ByteBuffer bytes)
    {
        requireNonNull(bytes, "bytes is null");
        if (!isOpen()) {
            return;
        }
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes), channel.voidPromise());
    }

    @Override
    public void close()
    {
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public boolean isOpen()
    {
        return channel != null && channel.isActive() && !ended;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message)
    {
        try {
            if (ended || !(message instanceof ByteBuf bytes)) {
                return;
            }
            ByteBuffer view = bytes.nioBufferCount() == 1 ? bytes.nioBuffer() : copy(bytes);
            handler.received(view);
        }
        catch (RuntimeException | Error e) {
            fail(e);
        }
        finally {
            ReferenceCountUtil.release(message);
        }
    }

    private static ByteBuffer copy(ByteBuf bytes)
    {
        ByteBuffer copy = ByteBuffer.allocate(bytes.readableBytes());
        bytes.getBytes(bytes.readerIndex(), copy);
        return copy.flip();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause)
    {
        fail(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx)
    {
        end(Optional.ofNullable(failure));
    }

    private void fail(Throwable cause)
    {
        if (failure == null) {
            failure = cause;
        }
        if (channel != null && channel.isOpen()) {
            channel.close();
        }
        else {
            end(Optional.of(cause));
        }
    }

    private void end(Optional<Throwable> cause)
    {
        if (ended) {
            return;
        }
        ended = true;
        try {
            handler.closed(cause);
        }
        catch (RuntimeException | Error e) {
            log.warn("A source socket's handler failed when the connection ended", e);
        }
    }
}
