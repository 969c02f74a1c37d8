package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.LoginThrottle;
import dev.sekisho.gateway.auth.ScramAuthenticator;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.execution.ClientConnections;
import dev.sekisho.gateway.execution.ReadAheadBudget;
import dev.sekisho.gateway.execution.SourceAnswerCounts;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.SourceHolderThreads;
import dev.sekisho.gateway.execution.StatementPipeline;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.gateway.sourceio.EventLoopIos;
import dev.sekisho.gateway.sourceio.FrontDoorIoThreads;
import dev.sekisho.planner.QueryPlanner;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The Postgres wire protocol (v3) listener: Netty bootstrap and pipeline
 * ({@link PgFrameDecoder} then {@link PgProtocolHandler}; after an accepted SSLRequest a TLS
 * handler goes in front of them). The protocol is one front door of the execution layer: sessions
 * come from {@link Sessions}, and statements run on the {@code workers} pool, never on Netty's
 * event loops.
 */
public final class PgServer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(PgServer.class);

    private final PgServerOptions options;
    private final ScramAuthenticator authenticator;
    private final LoginThrottle throttle;
    private final Sessions sessions;
    private final ExecutorService workers;
    private final Executor holders;
    private final ClientConnections connections;
    /** The bytes of rows read ahead that all of this server's sessions keep together. */
    /** Replaced only by {@link #useReadAheadClock} in tests, before any connection. */
    private volatile ReadAheadBudget readAheadBudget;
    /** The event loops as lent to connectors: one instance per loop for the server's life. */
    private final EventLoopIos eventLoopIos;
    private final SourceAnswerCounts sourceAnswers = new SourceAnswerCounts();
    /** The client connections open now (a closed one leaves the group by itself). */
    private final ChannelGroup clients = new DefaultChannelGroup("sekisho-pg-clients", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup bossGroup;
    private EventLoopGroup ioGroup;
    private Channel serverChannel;
    private PgIoTransport transport;

    /**
     * @param sessions opens the sessions of authenticated clients (and cancels their statements)
     * @param workers bounded pool that plans and executes statements and streams their rows; the
     *         caller owns it (PgServer does not shut it down)
     */
    public PgServer(PgServerOptions options, UserStore users, Sessions sessions, ExecutorService workers)
    {
        this(options, users, new LoginThrottle(LoginThrottle.Settings.OFF), sessions, workers);
    }

    /**
     * @param throttle delays and locks out failed logins
     * @see #PgServer(PgServerOptions, UserStore, Sessions, ExecutorService)
     */
    public PgServer(PgServerOptions options, UserStore users, LoginThrottle throttle, Sessions sessions, ExecutorService workers)
    {
        this(options, users, throttle, sessions, new ClientConnections(options.maxConnections()), workers, workers);
    }

    /**
     * Work of sessions holding source connections stays on {@code workers}.
     *
     * @see #PgServer(PgServerOptions, UserStore, LoginThrottle, Sessions, ClientConnections, ExecutorService, Executor)
     */
    public PgServer(PgServerOptions options, UserStore users, LoginThrottle throttle, Sessions sessions, ClientConnections connections,
            ExecutorService workers)
    {
        this(options, users, throttle, sessions, connections, workers, workers);
    }

    /**
     * @param connections the client connections of every front door, whose sum the limit bounds
     *         ({@code options}' limit is not used: {@code connections} has its own)
     * @param holders where a session that holds source connections runs its next request and its
     *         close, so that it never waits behind workers that wait for those connections (the
     *         gateway passes {@link SourceHolderThreads#shared()}; the other constructors use
     *         {@code workers}, right for workers that run inline or never wait for a source)
     * @see #PgServer(PgServerOptions, UserStore, LoginThrottle, Sessions, ExecutorService)
     */
    public PgServer(PgServerOptions options, UserStore users, LoginThrottle throttle, Sessions sessions, ClientConnections connections,
            ExecutorService workers, Executor holders)
    {
        this.connections = requireNonNull(connections, "connections is null");
        this.holders = requireNonNull(holders, "holders is null");
        this.options = requireNonNull(options, "options is null");
        this.authenticator = new ScramAuthenticator(requireNonNull(users, "users is null"));
        this.throttle = requireNonNull(throttle, "throttle is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.readAheadBudget = new ReadAheadBudget(options.readAheadTotalBytes());
        this.eventLoopIos = new EventLoopIos(this::socketChannelClass);
    }

    /** The socket channel class of the transport the loops run (the configured one before the server started). */
    private Class<? extends SocketChannel> socketChannelClass()
    {
        PgIoTransport started;
        synchronized (this) {
            started = transport;
        }
        return (started != null ? started : options.ioTransport()).socketChannelClass();
    }

    /** How the statements started at their sources on this server's event loops ended (answered there, or declined). */
    public SourceAnswerCounts sourceAnswers()
    {
        return sourceAnswers;
    }

    /**
     * Times the chunks of reading ahead on {@code nanoTime} instead of the machine's clock, so that a
     * test's result does not depend on how long the thread was descheduled. Call before the first connection.
     */
    void useReadAheadClock(LongSupplier nanoTime)
    {
        if (readAheadBudget.usedBytes() != 0) {
            throw new IllegalStateException("rows are read ahead already");
        }
        readAheadBudget = new ReadAheadBudget(options.readAheadTotalBytes(), nanoTime);
    }

    /** The bytes of rows read ahead that this server's sessions keep now, and may keep together. */
    public ReadAheadBudget readAheadBudget()
    {
        return readAheadBudget;
    }

    /**
     * A server whose sessions plan with {@code planner}, without policies, through the default
     * statement pipeline.
     *
     * @param defaultSearchPath schemas for unqualified table names while a session has not SET search_path
     * @see #PgServer(PgServerOptions, UserStore, Sessions, ExecutorService)
     */
    public PgServer(PgServerOptions options, UserStore users, QueryPlanner planner, ExecutorService workers, List<String> defaultSearchPath)
    {
        this(options, users, planner, SessionPolicies.disabled(), workers, defaultSearchPath);
    }

    /**
     * @param policies which policy applies to each statement of each session
     * @see #PgServer(PgServerOptions, UserStore, QueryPlanner, ExecutorService, List)
     */
    public PgServer(PgServerOptions options, UserStore users, QueryPlanner planner, SessionPolicies policies, ExecutorService workers,
            List<String> defaultSearchPath)
    {
        this(options, users, new Sessions(planner, policies, defaultSearchPath, StatementPipeline.defaults()), workers);
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
        transport = options.ioTransport().resolve();
        bossGroup = new MultiThreadIoEventLoopGroup(1, new FrontDoorIoThreads("sekisho-pg-accept"), transport.ioHandlerFactory());
        ioGroup = new MultiThreadIoEventLoopGroup(options.ioThreads(), new FrontDoorIoThreads("sekisho-pg-io"), transport.ioHandlerFactory());
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(bossGroup, ioGroup)
                    .channel(transport.serverChannelClass())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(options.writeBufferLowWaterMark(), options.writeBufferHighWaterMark()))
                    .childHandler(channelInitializer());
            serverChannel = bootstrap.bind(new InetSocketAddress(options.host(), options.port())).syncUninterruptibly().channel();
            log.debug("Postgres wire listening on {} over {}", serverChannel.localAddress(), transport);
            return ((InetSocketAddress) serverChannel.localAddress()).getPort();
        }
        catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The transport the started server runs on (epoll or NIO). */
    synchronized PgIoTransport transport()
    {
        if (transport == null) {
            throw new IllegalStateException("not started");
        }
        return transport;
    }

    /** The live sessions (for cancel requests and diagnostics). */
    public Sessions sessions()
    {
        return sessions;
    }

    /** The pipeline of one connection; also used by tests that drive the protocol without a network. */
    ChannelInitializer<Channel> channelInitializer()
    {
        return new ChannelInitializer<>()
        {
            @Override
            protected void initChannel(Channel channel)
            {
                clients.add(channel);
                channel.pipeline().addLast("frames", new PgFrameDecoder(options.maxStartupPacketBytes(), options.maxMessageBytes(), options.tls().isPresent()));
                channel.pipeline().addLast("protocol", newProtocolHandler());
            }
        };
    }

    private PgProtocolHandler newProtocolHandler()
    {
        return new PgProtocolHandler(options, authenticator, throttle, sessions, workers, holders, connections, readAheadBudget, eventLoopIos, sourceAnswers);
    }

    /**
     * Stops accepting and closes every client connection, leaving the event loops running: a
     * connector closing its own connections on them ({@link EventLoopIos}) can still say goodbye to
     * its servers. {@link #close()} then stops the loops.
     */
    public synchronized void closeConnections()
    {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        clients.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** Stops accepting, closes every connection and stops the event loops. Does not shut down the worker pool. */
    @Override
    public synchronized void close()
    {
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
    }
}
