package dev.sekisho.gateway.pgwire;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Which of Netty's transports carries the Postgres-wire connections. Linux's epoll (Netty's native
 * library) makes fewer system calls and wake-ups per statement than Java's NIO selector; NIO works
 * everywhere.
 */
public enum PgIoTransport
{
    /** epoll where Netty's native library loads (Linux on x86-64), else NIO. */
    AUTO,
    /** epoll, or the server does not start. */
    EPOLL,
    /** Java's NIO selector. */
    NIO;

    /** The transport this choice stands for on this machine (never {@link #AUTO}). */
    public PgIoTransport resolve()
    {
        return switch (this) {
            case AUTO -> Epoll.isAvailable() ? EPOLL : NIO;
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("protocol.io_transport is epoll but Netty's epoll library does not load here: "
                            + Epoll.unavailabilityCause() + "; use auto or nio", Epoll.unavailabilityCause());
                }
                yield EPOLL;
            }
            case NIO -> NIO;
        };
    }

    IoHandlerFactory ioHandlerFactory()
    {
        return resolve() == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    Class<? extends ServerChannel> serverChannelClass()
    {
        return resolve() == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The client socket channel class of this transport: what a source's connection opened on one of its event loops must be. */
    Class<? extends SocketChannel> socketChannelClass()
    {
        return resolve() == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
