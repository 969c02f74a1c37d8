package dev.sekisho.gateway.admin;

import dev.sekisho.gateway.config.OperationsConfig;
import dev.sekisho.gateway.sourceio.FrontDoorIoThreads;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The admin endpoint's HTTP server on its own port (HTTPS when given a TLS context). The event
 * loop only decodes requests and hands each to the endpoint's two threads, which check the
 * password (a deliberately slow hash) and build the answer; a flood of requests waits in a
 * bounded queue and beyond it gets 503. With TLS, a plain-HTTP request on the port is recognised
 * by its first bytes and never served: it gets 400 or a redirect to https://, as configured.
 */
public final class AdminServer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** A Host header fit for a redirect: a name or address and a port, nothing else. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?");

    private final AdminApi api;
    private final String host;
    private final int port;
    private final Optional<SslContext> tls;
    private final OperationsConfig.PlainHttp plainHttp;
    private final ExecutorService handlers;
    private EventLoopGroup group;
    private Channel channel;

    AdminServer(AdminApi api, String host, int port, Optional<SslContext> tls, OperationsConfig.PlainHttp plainHttp)
    {
        this.plainHttp = requireNonNull(plainHttp, "plainHttp is null");
        this.api = requireNonNull(api, "api is null");
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        this.tls = requireNonNull(tls, "tls is null");
        this.handlers = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256), new DefaultThreadFactory("sekisho-admin", true));
    }

    /** Binds and starts serving; returns the bound port. */
    public synchronized int start()
    {
        group = new MultiThreadIoEventLoopGroup(1, new FrontDoorIoThreads("sekisho-admin-io"), NioIoHandler.newFactory());
        try {
            channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>()
                    {
                        @Override
                        protected void initChannel(Channel child)
                        {
                            ChannelPipeline pipeline = child.pipeline();
                            // TLS, or (recognised by the first bytes) a plain request that only gets told to use HTTPS
                            tls.ifPresent(context -> pipeline.addLast(new OptionalSslHandler(context)));
                            pipeline.addLast(new HttpServerCodec());
                            pipeline.addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES));
                            pipeline.addLast(new Handler());
                        }
                    })
                    .bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }
        catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private final class Handler
            extends SimpleChannelInboundHandler<FullHttpRequest>
    {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request)
        {
            if (tls.isPresent() && ctx.pipeline().get(SslHandler.class) == null) {
                send(ctx, plainHttp(request), false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            AdminRequest adminRequest = new AdminRequest(request.method().name(), new QueryStringDecoder(request.uri()).path(),
                    Optional.ofNullable(request.headers().get(HttpHeaderNames.AUTHORIZATION)), address(ctx.channel().remoteAddress()));
            try {
                handlers.execute(() -> {
                    AdminResponse response;
                    try {
                        response = api.handle(adminRequest);
                    }
                    catch (RuntimeException e) {
                        log.warn("Admin request {} {} failed", adminRequest.method(), adminRequest.path(), e);
                        response = AdminResponse.text(500, "application/json", "{\"error\":\"internal error; see the gateway's log\"}");
                    }
                    send(ctx, response, keepAlive);
                });
            }
            catch (RejectedExecutionException e) {
                send(ctx, AdminResponse.text(503, "application/json", "{\"error\":\"the admin endpoint is busy\"}"), false);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause)
        {
            log.debug("Admin connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /** The answer to a plain-HTTP request on the HTTPS port; what it asked for is never done. */
    private AdminResponse plainHttp(FullHttpRequest request)
    {
        String host = request.headers().get(HttpHeaderNames.HOST);
        boolean validHost = host != null && HOST.matcher(host).matches();
        String https = validHost ? "https://" + host + new QueryStringDecoder(request.uri()).path() : "https://";
        if (plainHttp == OperationsConfig.PlainHttp.REDIRECT && validHost) {
            return new AdminResponse(308, "application/json", ("{\"error\":\"the admin endpoint serves HTTPS: use " + https + "\"}")
                    .getBytes(StandardCharsets.UTF_8), Map.of("Location", https));
        }
        return AdminResponse.text(400, "application/json", "{\"error\":\"the admin endpoint serves HTTPS on this port: use " + https + "\"}");
    }

    private static void send(ChannelHandlerContext ctx, AdminResponse response, boolean keepAlive)
    {
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()),
                Unpooled.wrappedBuffer(response.body()));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        http.headers().set("X-Content-Type-Options", "nosniff");
        for (Map.Entry<String, String> header : response.headers().entrySet()) {
            http.headers().set(header.getKey(), header.getValue());
        }
        if (keepAlive) {
            http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(http);
        }
        else {
            // said, not only done: a client that pools connections would otherwise send its next request on this one
            http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static Optional<String> address(SocketAddress address)
    {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return Optional.of(inet.getAddress().getHostAddress() + ":" + inet.getPort());
        }
        return Optional.ofNullable(address).map(Object::toString);
    }

    @Override
    public synchronized void close()
    {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        handlers.shutdownNow();
    }
}
