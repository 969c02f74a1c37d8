package dev.sekisho.gateway.avatica;

import dev.sekisho.gateway.auth.ClientCertificateCheck;
import dev.sekisho.gateway.auth.LoginThrottle;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.execution.ClientConnections;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.SourceHolderThreads;
import dev.sekisho.gateway.pgwire.PgTls;
import dev.sekisho.gateway.sourceio.FrontDoorIoThreads;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The Avatica (JDBC over HTTP) listener: Netty's HTTP codec in front of Avatica's own protocol
 * handlers, on the gateway's worker pool ({@link AvaticaHttpHandler}), with TLS from the
 * PostgreSQL door's certificate. A client that sends TLS gets TLS; a plain request is refused unless
 * plain HTTP is allowed. Idle connections are closed by a sweep every few seconds, with what they
 * hold at the sources.
 */
public final class AvaticaServer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(AvaticaServer.class);
    /** The front door's name in the audit trail, the metrics and the admin endpoint's session list. */
    public static final String FRONT_DOOR = "avatica";

    private final AvaticaServerOptions options;
    private final BasicAuthenticator authenticator;
    private final RemoteConnections connections;
    private final Sessions sessions;
    private final ExecutorService workers;
    private final Executor holders;
    private EventLoopGroup bossGroup;
    private EventLoopGroup ioGroup;
    private ScheduledExecutorService expiry;
    private Channel serverChannel;

    /**
     * A server of its own: no login throttle, and a connection limit ({@code options}') it does not share.
     *
     * @see #AvaticaServer(AvaticaServerOptions, UserStore, LoginThrottle, Sessions, ClientConnections, ExecutorService)
     */
    public AvaticaServer(AvaticaServerOptions options, UserStore users, Sessions sessions, ExecutorService workers)
    {
        this(options, users, new LoginThrottle(LoginThrottle.Settings.OFF), sessions, new ClientConnections(options.maxConnections()), workers);
    }

    /**
     * @param users the users file the PostgreSQL door authenticates against
     * @param throttle the PostgreSQL door's failed-login counts: failures on either door count together
     * @param sessions the gateway's sessions (shared with the PostgreSQL door: one planner, one pipeline, one audit trail)
     * @param connections the client connections of both doors, against one limit ({@code options}' limit is not used)
     * @param workers the gateway's worker pool; the caller owns it
     */
    public AvaticaServer(AvaticaServerOptions options, UserStore users, LoginThrottle throttle, Sessions sessions, ClientConnections connections,
            ExecutorService workers)
    {
        this(options, users, throttle, sessions, connections, workers, SourceHolderThreads.shared());
    }

    /**
     * @param holders runs the requests of connections that hold source connections (the gateway
     *         passes {@link SourceHolderThreads#shared()}, as to the PostgreSQL door)
     */
    public AvaticaServer(AvaticaServerOptions options, UserStore users, LoginThrottle throttle, Sessions sessions, ClientConnections connections,
            ExecutorService workers, Executor holders)
    {
        this.holders = requireNonNull(holders, "holders is null");
        this.options = requireNonNull(options, "options is null");
        this.authenticator = new BasicAuthenticator(requireNonNull(users, "users is null"), throttle,
                options.tls().map(PgTls::clientCertificate).orElse(ClientCertificateCheck.NONE));
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.connections = new RemoteConnections(sessions, connections);
        this.workers = requireNonNull(workers, "workers is null");
    }

    /**
     * Binds and starts accepting connections.
     *
     * @return the bound port (useful with port 0)
     */
    public synchronized int start()
    {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        bossGroup = new MultiThreadIoEventLoopGroup(1, new FrontDoorIoThreads("sekisho-avatica-accept"), NioIoHandler.newFactory());
        ioGroup = new MultiThreadIoEventLoopGroup(0, new FrontDoorIoThreads("sekisho-avatica-io"), NioIoHandler.newFactory());
        try {
            String address = options.host() + ":" + options.port();
            SekishoMeta meta = new SekishoMeta(connections, options.maxFrameRows());
            AvaticaProtocol protocol = new AvaticaProtocol(meta, options.serialization(), address);
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(bossGroup, ioGroup)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childHandler(new ChannelInitializer<>()
                    {
                        @Override
                        protected void initChannel(Channel channel)
                        {
                            options.tls().ifPresent(tls -> channel.pipeline().addLast("tls", new OptionalSslHandler(tls.sslContext())));
                            channel.pipeline().addLast("http", new HttpServerCodec());
                            channel.pipeline().addLast("aggregate", new HttpObjectAggregator(options.maxRequestBytes()));
                            channel.pipeline().addLast("avatica", new AvaticaHttpHandler(options, authenticator, protocol, sessions, connections, workers, holders));
                        }
                    });
            serverChannel = bootstrap.bind(new InetSocketAddress(options.host(), options.port())).syncUninterruptibly().channel();
            expiry = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("sekisho-avatica-expiry", true));
            long idleNanos = options.idleTimeout().toNanos();
            long sweepMillis = Math.max(100, Math.min(TimeUnit.SECONDS.toMillis(30), options.idleTimeout().toMillis() / 4));
            expiry.scheduleWithFixedDelay(() -> {
                try {
                    connections.expire(idleNanos);
                }
                catch (RuntimeException e) {
                    log.warn("Closing idle Avatica connections failed", e);
                }
            }, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
            return ((InetSocketAddress) serverChannel.localAddress()).getPort();
        }
        catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** How many Avatica connections are open. */
    public int connections()
    {
        return connections.size();
    }

    /** Stops accepting, closes every connection and its session. Does not shut down the worker pool. */
    @Override
    public synchronized void close()
    {
        if (expiry != null) {
            expiry.shutdownNow();
            expiry = null;
        }
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            bossGroup = null;
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            ioGroup = null;
        }
        connections.closeAll();
    }
}
