package dev.sekisho.gateway.avatica;

import dev.sekisho.gateway.execution.ClientOrigin;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.pgwire.PgTls;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.Principal;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import org.apache.calcite.avatica.remote.Handler.HandlerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One HTTP connection of the Avatica door. On the event loop (cheap, never blocking) it refuses
 * what needs no work: other methods than POST, HTTP Basic over plain HTTP unless allowed, and a
 * request without credentials (401 with a Basic challenge, which the driver answers). Everything
 * else (checking the password, then Avatica's handling of the request, which runs statements) goes
 * to the gateway's worker pool; the response is written back from there. A request of a connection
 * that holds source connections (a result open between fetches) runs on a source-holder thread
 * instead, as the PostgreSQL door's next Execute does: workers may all be waiting for the very
 * connections it holds ({@link dev.sekisho.gateway.execution.SourceHolderThreads}). A refused password's
 * answer waits for the login throttle's delay on the event loop's timer, as on the PostgreSQL door:
 * no thread sleeps.
 */
final class AvaticaHttpHandler
        extends SimpleChannelInboundHandler<FullHttpRequest>
{
    private static final Logger log = LoggerFactory.getLogger(AvaticaHttpHandler.class);

    private final AvaticaServerOptions options;
    private final BasicAuthenticator authenticator;
    private final AvaticaProtocol protocol;
    private final Sessions sessions;
    private final RemoteConnections connections;
    private final Executor workers;
    private final Executor holders;

    /**
     * @param sessions told of refused logins (the audit trail, metrics)
     * @param holders runs a request of a connection that holds source connections
     */
    AvaticaHttpHandler(AvaticaServerOptions options, BasicAuthenticator authenticator, AvaticaProtocol protocol, Sessions sessions,
            RemoteConnections connections, Executor workers, Executor holders)
    {
        this.connections = requireNonNull(connections, "connections is null");
        this.holders = requireNonNull(holders, "holders is null");
        this.options = requireNonNull(options, "options is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.protocol = requireNonNull(protocol, "protocol is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.workers = requireNonNull(workers, "workers is null");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request)
    {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!HttpMethod.POST.equals(request.method())) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    Unpooled.copiedBuffer("Sekisho's Avatica endpoint takes POST requests from Avatica's JDBC driver\n", StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.ALLOW, "POST");
            write(ctx, response, keepAlive);
            return;
        }
        boolean encrypted = ctx.pipeline().get(SslHandler.class) != null;
        if (!encrypted && !options.allowPlainHttp()) {
            write(ctx, protocol.error(AvaticaErrors.error(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION,
                    "this server requires TLS: HTTP Basic passwords are not accepted over plain HTTP",
                    "Connect with an https:// URL (the gateway's certificate must be trusted: truststore=... in the JDBC URL).")), keepAlive);
            return;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.UNAUTHORIZED, Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"Sekisho\", charset=\"UTF-8\"");
            write(ctx, response, keepAlive);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        Optional<X509Certificate> certificate = encrypted ? PgTls.peerCertificate(ctx.pipeline().get(SslHandler.class)) : Optional.empty();
        SocketAddress remote = ctx.channel().remoteAddress();
        try {
            Optional<RemoteConnection> holder = protocol.connectionId(body).flatMap(connections::holdingSourceConnections)
                    .filter(RemoteConnection::startHolderRequest);
            if (holder.isPresent()) {
                holders.execute(() -> {
                    try {
                        respond(ctx, authorization, certificate, remote, body, keepAlive);
                    }
                    finally {
                        holder.get().holderRequestFinished();
                    }
                });
            }
            else {
                workers.execute(() -> respond(ctx, authorization, certificate, remote, body, keepAlive));
            }
        }
        catch (RejectedExecutionException e) {
            log.warn("Worker pool is saturated; refusing an Avatica request from {}", ctx.channel().remoteAddress());
            write(ctx, protocol.error(AvaticaErrors.error(SqlStates.TOO_MANY_CONNECTIONS, "the gateway is too busy to run this statement; try again later",
                    null)), keepAlive);
        }
    }

    /** On a worker: the credentials, then the request as their principal. */
    private void respond(ChannelHandlerContext ctx, String authorization, Optional<X509Certificate> certificate, SocketAddress remote, byte[] body,
            boolean keepAlive)
    {
        ClientOrigin origin = new ClientOrigin(AvaticaServer.FRONT_DOOR, Optional.ofNullable(remote).map(AvaticaHttpHandler::hostAndPort));
        Principal principal;
        try {
            principal = authenticator.authenticate(authorization, certificate, host(remote));
        }
        catch (BasicAuthenticator.Refused refused) {
            refused.user().ifPresent(user -> sessions.loginFailed(user, origin, refused.sqlState(), refused.reason()));
            HandlerResponse<byte[]> response = protocol.error(refused.error());
            if (refused.delay().isZero()) {
                write(ctx, response, keepAlive);
            }
            else {
                ctx.executor().schedule(() -> write(ctx, response, keepAlive), refused.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        catch (RuntimeException e) {
            log.warn("Checking the credentials of an Avatica request from {} failed", remote, e);
            write(ctx, protocol.error(AvaticaErrors.error(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION, "authentication failed", null)), keepAlive);
            return;
        }
        write(ctx, handle(principal, origin, body), keepAlive);
    }

    /** On a worker: the request as {@code principal}. */
    private HandlerResponse<byte[]> handle(Principal principal, ClientOrigin origin, byte[] body)
    {
        try {
            return AvaticaCaller.as(principal, origin, () -> protocol.apply(body));
        }
        catch (RuntimeException | Error e) {
            // Avatica's handler answers every Exception itself; what gets here is an Error
            return protocol.error(AvaticaErrors.toClientError(e));
        }
    }

    /** The client's IP address, as the login throttle counts it on both doors. */
    private static String host(SocketAddress address)
    {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    /** The client's address and port, as the audit trail shows it on both doors. */
    private static String hostAndPort(SocketAddress address)
    {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() + ":" + inet.getPort()
                : String.valueOf(address);
    }

    private void write(ChannelHandlerContext ctx, HandlerResponse<byte[]> response, boolean keepAlive)
    {
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.getStatusCode()),
                Unpooled.wrappedBuffer(response.getResponse()));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, protocol.contentType());
        write(ctx, http, keepAlive);
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive)
    {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        }
        else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause)
    {
        if (cause instanceof IOException || cause.getCause() instanceof javax.net.ssl.SSLException) {
            log.debug("Avatica connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        else {
            log.warn("Unexpected failure on Avatica connection from {}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
