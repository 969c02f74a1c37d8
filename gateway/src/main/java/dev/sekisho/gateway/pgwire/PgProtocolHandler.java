// Over 600 lines: the connection's phases (startup, TLS, authentication, the session's messages and their hand-off to the worker) are one state machine over one channel; the authentication exchange is the part due to move out (a statement waiting for its source on the loop moved out already: PgSourceWait).
package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ClientCertificateCheck;
import dev.sekisho.gateway.auth.LoginThrottle;
import dev.sekisho.gateway.auth.ScramAuthenticator;
import dev.sekisho.gateway.execution.ClientOrigin;
import dev.sekisho.gateway.execution.LoginRefusal;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.execution.ClientConnections;
import dev.sekisho.gateway.execution.ClientSession;
import dev.sekisho.gateway.execution.ReadAheadBudget;
import dev.sekisho.gateway.execution.SessionWorkQueue;
import dev.sekisho.gateway.execution.SourceAnswerCounts;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.pgwire.message.BackendMessages;
import dev.sekisho.gateway.pgwire.message.FrontendMessage;
import dev.sekisho.gateway.pgwire.message.FrontendMessages;
import dev.sekisho.gateway.pgwire.message.PgError;
import dev.sekisho.gateway.session.TransactionStatus;
import dev.sekisho.gateway.sourceio.EventLoopIos;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One connection's protocol, after framing by {@link PgFrameDecoder}.
 *
 * <pre>
 * Startup and authentication (on the event loop; cheap):
 *   client                       server
 *   SSLRequest                -&gt; 'S' and a TLS handshake when TLS is configured, else 'N'
 *   GSSENCRequest             -&gt; 'N'                     (then the client sends StartupMessage)
 *   StartupMessage            -&gt; AuthenticationSASL [SCRAM-SHA-256-PLUS (over TLS), SCRAM-SHA-256]
 *                                (or ErrorResponse FATAL 28000 without TLS when TLS is required)
 *   SASLInitialResponse       -&gt; AuthenticationSASLContinue (server-first-message)
 *   SASLResponse              -&gt; AuthenticationSASLFinal, AuthenticationOk,
 *                                ParameterStatus*, BackendKeyData, ReadyForQuery 'I'
 *                                (or ErrorResponse FATAL 28P01, then close; sent after a delay
 *                                that grows with the failures of the user and the address,
 *                                scheduled on the event loop: {@link LoginThrottle})
 *   (a user who logs in by TLS client certificate alone gets AuthenticationOk at StartupMessage;
 *    a certificate that tls.clientcert or the user's clientcert requires and that is missing or
 *    names someone else gets ErrorResponse FATAL 28000)
 *   CancelRequest             -&gt; (nothing; the connection is closed; the session's running
 *                                statement, if the key matches, fails with 57014)
 *
 * Queries (on a worker thread, one message at a time, in order; a result-cache hit of a prepared
 * statement on the event loop itself, see {@link PgEventLoopAnswers#answerOnEventLoop}, and so a
 * prepared statement whose connector reads it there without blocking, see {@link PgSourceWait}):
 *   Query                     -&gt; per statement: [RowDescription, DataRow*] CommandComplete;
 *                                EmptyQueryResponse for an empty string; then ReadyForQuery
 *   Parse/Bind/Describe/Execute/Close/Sync/Flush
 *                             -&gt; ParseComplete, BindComplete, ParameterDescription,
 *                                RowDescription/NoData, DataRow* then CommandComplete or
 *                                PortalSuspended, CloseComplete, ReadyForQuery at Sync
 * </pre>
 *
 * After authentication the connection is an adapter of the execution layer: it opens a
 * {@link ClientSession}, and its messages go, in order, through the session's
 * {@link SessionWorkQueue} to a {@link PgMessageProcessor} on a worker (reading stops when many are
 * queued); rows stream with backpressure ({@link PgRowSink}). Encoding is in
 * {@link BackendMessages}. After each ReadyForQuery the session's idle timeout runs
 * ({@link IdleSessionTimer}); a message that arrives ends it, and if it runs out the connection is closed with
 * FATAL 57P05 (idle_session_timeout) or 25P03 (idle_in_transaction_session_timeout). The gateway
 * may also end the session (its user was removed): FATAL 57P01.
 */
final class PgProtocolHandler
        extends ChannelInboundHandlerAdapter
{
    private static final Logger log = LoggerFactory.getLogger(PgProtocolHandler.class);
    /** Messages of one read handed to the worker at once at most (a long pipeline starts before the read ends). */
    private static final int MAX_BATCH = 64;

    /** What the connection waits for. */
    private enum Phase
    {
        STARTUP, SASL_INITIAL, SASL_FINAL, READY, CLOSED
    }

    private final PgServerOptions options;
    private final ScramAuthenticator authenticator;
    private final LoginThrottle throttle;
    private final Sessions sessions;
    private final Executor workers;
    private final Executor holders;
    private final ClientConnections connections;

    private Phase phase = Phase.STARTUP;
    private Channel channel;
    private boolean encrypted;
    private ScramAuthenticator.Exchange exchange;
    private String user;
    /** Why a wrong SCRAM proof at the final step failed, as the audit trail records it (the client is told the same either way). */
    private LoginRefusal proofFailure = LoginRefusal.WRONG_PASSWORD;
    private Map<String, String> startupParameters;
    /** The session's messages on their way to the workers; null until authenticated. */
    private SessionWorkQueue<FrontendMessage> work;
    /** Handles the session's messages: on a worker, or here for a result-cache hit ({@link #handOver}); null until authenticated. */
    private PgMessageProcessor processor;
    private PgCountingWorker worker;
    /** Messages of the current read, not yet handed to the worker (event loop only). */
    private final List<FrontendMessage> arrived = new ArrayList<>();
    private ClientSession session;
    /** Messages received since authentication (event loop only). */
    private long received;
    /** The session's idle timeouts; null until authenticated. */
    private IdleSessionTimer idleTimer;
    /** The bytes of rows read ahead that all the server's sessions keep together. */
    private final ReadAheadBudget readAheadBudget;
    /** The server's event loops as lent to connectors, for statements started at their sources here. */
    private final EventLoopIos eventLoopIos;
    private final SourceAnswerCounts sourceAnswers;
    /** A statement started at its source on this event loop, and what arrives while the session waits for it; null until authenticated. */
    private PgSourceWait sourceWait;

    /**
     * @param eventLoopIos the server's event loops as lent to connectors (one instance per loop for the server's life)
     * @param sourceAnswers counts the statements started at their sources on the event loop
     */
    PgProtocolHandler(PgServerOptions options, ScramAuthenticator authenticator, LoginThrottle throttle, Sessions sessions, Executor workers,
            Executor holders, ClientConnections connections, ReadAheadBudget readAheadBudget, EventLoopIos eventLoopIos, SourceAnswerCounts sourceAnswers)
    {
        this.eventLoopIos = requireNonNull(eventLoopIos, "eventLoopIos is null");
        this.sourceAnswers = requireNonNull(sourceAnswers, "sourceAnswers is null");
        this.readAheadBudget = requireNonNull(readAheadBudget, "readAheadBudget is null");
        this.holders = requireNonNull(holders, "holders is null");
        this.options = requireNonNull(options, "options is null");
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.throttle = requireNonNull(throttle, "throttle is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.connections = requireNonNull(connections, "connections is null");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx)
            throws Exception
    {
        channel = ctx.channel();
        connections.opened();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg)
    {
        FrontendMessage message = (FrontendMessage) msg;
        try {
            switch (phase) {
                case STARTUP -> startup(ctx, message);
                case SASL_INITIAL -> saslInitial(ctx, message);
                case SASL_FINAL -> saslFinal(ctx, message);
                case READY -> {
                    // the idle timer compares this with the messages handled at the last ReadyForQuery
                    received++;
                    if (message instanceof FrontendMessage.Query || message instanceof FrontendMessage.Execute) {
                        // from now on a cancel counts, however long the message waits for a worker
                        session.statementReceived();
                    }
                    // handed to the worker at the end of this read, with the messages that came with it
                    arrived.add(message);
                    if (arrived.size() >= MAX_BATCH) {
                        handOver();
                    }
                }
                case CLOSED -> {
                    // input after a fatal error is dropped
                }
            }
        }
        catch (QueryException e) {
            fatal(ctx, new PgError(PgError.Severity.FATAL, e.sqlState(), e.getMessage(), null, e.hint(), 0));
        }
        catch (RuntimeException e) {
            fatal(ctx, PgErrors.toError(e));
        }
    }

    private void startup(ChannelHandlerContext ctx, FrontendMessage message)
    {
        if (message instanceof FrontendMessage.SslRequest || message instanceof FrontendMessage.GssEncRequest) {
            if (encrypted) {
                throw new QueryException(SqlStates.PROTOCOL_VIOLATION, "encryption requested on a connection that is encrypted already");
            }
            ByteBuf out = ctx.alloc().buffer(1);
            if (message instanceof FrontendMessage.SslRequest && options.tls().isPresent()) {
                out.writeByte('S');
                // 'S' goes out in the clear; everything after it, both ways, goes through TLS
                ctx.writeAndFlush(out);
                ctx.pipeline().addFirst("tls", options.tls().get().newHandler(ctx.alloc()));
                encrypted = true;
                return;
            }
            BackendMessages.encryptionRefused(out);
            ctx.writeAndFlush(out);
            return;
        }
        if (message instanceof FrontendMessage.CancelRequest cancel) {
            // PostgreSQL answers nothing, whether the key matched or not
            sessions.cancel(cancel.processId(), cancel.secretKey());
            phase = Phase.CLOSED;
            ctx.close();
            return;
        }
        if (!(message instanceof FrontendMessage.StartupMessage startup)) {
            throw new QueryException(SqlStates.PROTOCOL_VIOLATION, "expected a startup message");
        }
        String claimed = startup.parameters().getOrDefault("user", "");
        if (!encrypted && options.tls().map(tls -> tls.mode() == PgTls.Mode.REQUIRED).orElse(false)) {
            throw refused(claimed, LoginRefusal.TLS_REQUIRED, new QueryException(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION,
                    "this server requires TLS: connect with sslmode=require",
                    "With psql, libpq and psycopg add sslmode=require to the connection string; with pgjdbc add ssl=true&sslmode=require.", null));
        }
        if (startup.majorVersion() != 3) {
            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "unsupported frontend protocol " + startup.majorVersion() + "."
                    + startup.minorVersion() + ": server supports 3.0 to 3.0");
        }
        if (connections.overLimit()) {
            throw refused(claimed, LoginRefusal.TOO_MANY_CONNECTIONS, new QueryException(SqlStates.TOO_MANY_CONNECTIONS, "sorry, too many clients already"));
        }
        ByteBuf out = ctx.alloc().buffer();
        List<String> unrecognized = new ArrayList<>();
        startup.parameters().keySet().stream().filter(name -> name.startsWith("_pq_.")).forEach(unrecognized::add);
        if (startup.minorVersion() > 0 || !unrecognized.isEmpty()) {
            BackendMessages.negotiateProtocolVersion(out, 0, unrecognized);
        }
        user = startup.parameters().get("user");
        if (user == null || user.isEmpty()) {
            out.release();
            throw refused("", LoginRefusal.PROTOCOL_VIOLATION,
                    new QueryException(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION, "no PostgreSQL user name specified in startup packet"));
        }
        startupParameters = startup.parameters();
        Optional<UserRecord> record = authenticator.users().lookup(user);
        ClientCertificateCheck required = options.tls().map(PgTls::clientCertificate).orElse(ClientCertificateCheck.NONE)
                .strongest(record.map(UserRecord::clientCertificate).orElse(ClientCertificateCheck.NONE));
        if (required != ClientCertificateCheck.NONE) {
            try {
                checkClientCertificate(ctx, required);
            }
            catch (QueryException e) {
                out.release();
                throw refused(user, LoginRefusal.CLIENT_CERTIFICATE, e);
            }
            catch (RuntimeException e) {
                out.release();
                throw e;
            }
            if (record.isPresent() && record.get().scram().isEmpty()) {
                // PostgreSQL's cert method: the certificate names the user, no password is asked
                log.debug("User {} authenticated by client certificate from {}", user, channel.remoteAddress());
                open(ctx, out, record.get().principal());
                return;
            }
        }
        boolean lockedOut = throttle.isLockedOut(user, clientAddress());
        proofFailure = lockedOut ? LoginRefusal.LOCKED_OUT : record.isEmpty() ? LoginRefusal.UNKNOWN_USER : LoginRefusal.WRONG_PASSWORD;
        // over TLS, SCRAM-SHA-256-PLUS binds the exchange to the server certificate
        exchange = authenticator.start(user, encrypted ? options.tls().flatMap(PgTls::serverEndPoint) : Optional.empty(), lockedOut);
        BackendMessages.authenticationSasl(out, exchange.mechanisms());
        ctx.writeAndFlush(out);
        phase = Phase.SASL_INITIAL;
    }

    /**
     * Refuses the connection (FATAL 28000) unless it came over TLS with a certificate the client CA
     * signed and, for verify-full, whose CN is the user name (as PostgreSQL's clientcert option).
     */
    private void checkClientCertificate(ChannelHandlerContext ctx, ClientCertificateCheck required)
    {
        Optional<X509Certificate> certificate = encrypted ? PgTls.peerCertificate(ctx.pipeline().get(SslHandler.class)) : Optional.empty();
        if (certificate.isEmpty()) {
            log.info("Refused user \"{}\" from {}: no client certificate ({} required)", user, clientAddress(), required.text());
            throw new QueryException(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION, "connection requires a valid client certificate",
                    "Connect over TLS with a certificate signed by the gateway's client CA: sslmode=require sslcert=client.crt sslkey=client.key", null);
        }
        if (required == ClientCertificateCheck.VERIFY_FULL) {
            Optional<String> commonName = PgTls.commonName(certificate.get());
            if (!commonName.map(user::equals).orElse(false)) {
                log.info("Refused user \"{}\" from {}: the client certificate names \"{}\"", user, clientAddress(), commonName.orElse(""));
                throw new QueryException(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION, "certificate authentication failed for user \"" + user + "\"",
                        "The CN of the client certificate must be the user name.", null);
            }
        }
    }

    /**
     * Records a login refused before authentication ended, with the name the client gave (never
     * anything it sent as a password), and returns the error to send.
     */
    private QueryException refused(String claimedUser, LoginRefusal reason, QueryException error)
    {
        sessions.loginFailed(claimedUser, origin(), error.sqlState(), reason);
        return error;
    }

    /** The client's IP address, for counting failed logins. */
    private String clientAddress()
    {
        SocketAddress address = channel.remoteAddress();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    private void saslInitial(ChannelHandlerContext ctx, FrontendMessage message)
    {
        try {
            saslFirst(ctx, message);
        }
        catch (QueryException e) {
            throw refused(user, LoginRefusal.PROTOCOL_VIOLATION, e);
        }
    }

    private void saslFirst(ChannelHandlerContext ctx, FrontendMessage message)
    {
        ByteBuf body = Unpooled.wrappedBuffer(password(message));
        String mechanism = FrontendMessages.readString(body, "SASLInitialResponse");
        if (body.readableBytes() < 4) {
            throw new QueryException(SqlStates.PROTOCOL_VIOLATION, "malformed SASLInitialResponse message");
        }
        int length = body.readInt();
        if (length < 0 || length != body.readableBytes()) {
            throw new QueryException(SqlStates.PROTOCOL_VIOLATION, "malformed SASLInitialResponse message: bad length");
        }
        String serverFirst = exchange.clientFirst(mechanism, body.toString(StandardCharsets.UTF_8));
        ByteBuf out = ctx.alloc().buffer();
        BackendMessages.authenticationSaslContinue(out, serverFirst.getBytes(StandardCharsets.UTF_8));
        ctx.writeAndFlush(out);
        phase = Phase.SASL_FINAL;
    }

    private void saslFinal(ChannelHandlerContext ctx, FrontendMessage message)
    {
        String serverFinal;
        try {
            serverFinal = exchange.clientFinal(new String(password(message), StandardCharsets.UTF_8));
        }
        catch (QueryException e) {
            sessions.loginFailed(user, origin(), e.sqlState(),
                    e.sqlState().equals(SqlStates.INVALID_PASSWORD) ? proofFailure : LoginRefusal.PROTOCOL_VIOLATION);
            if (!e.sqlState().equals(SqlStates.INVALID_PASSWORD)) {
                throw e;
            }
            // the answer waits, on the event loop's timer: no thread sleeps
            Duration delay = throttle.failed(user, clientAddress());
            phase = Phase.CLOSED;
            PgError error = new PgError(PgError.Severity.FATAL, e.sqlState(), e.getMessage(), null, e.hint(), 0);
            if (delay.isZero()) {
                fatal(ctx, error);
            }
            else {
                ctx.executor().schedule(() -> fatal(ctx, error), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
            return;
        }
        throttle.succeeded(user);
        ByteBuf out = ctx.alloc().buffer();
        BackendMessages.authenticationSaslFinal(out, serverFinal.getBytes(StandardCharsets.UTF_8));
        Principal principal = exchange.principal();
        exchange = null;
        open(ctx, out, principal);
    }

    /** Opens the authenticated user's session and tells the client (after what {@code out} holds already). */
    private void open(ChannelHandlerContext ctx, ByteBuf out, Principal principal)
    {
        Map<String, String> settings = new LinkedHashMap<>();
        startupParameters.forEach((name, value) -> {
            if (!name.equals("user") && !name.equals("database") && !name.equals("options") && !name.equals("replication")
                    && !name.startsWith("_pq_.")) {
                settings.put(name, value);
            }
        });
        settings.putAll(PgStartupOptions.parse(startupParameters.getOrDefault("options", "")));
        ClientSession created;
        try {
            created = sessions.open(principal, Optional.ofNullable(startupParameters.get("database")), settings, this::disconnect, origin());
        }
        catch (RuntimeException e) {
            out.release();
            throw e;
        }
        Sessions.CancelKey key = created.cancelKey();
        processor = new PgMessageProcessor(created, new PgOutput(channel, options.flushBytes()), () -> channel.close(),
                () -> armIdleTimer(created), options.readAheadBytes(), readAheadBudget);
        idleTimer = new IdleSessionTimer(channel.eventLoop(), () -> received, inTransaction -> idleTimeoutExpired(created, inTransaction));
        worker = new PgCountingWorker(processor);
        work = new SessionWorkQueue<>(created, workers, holders, worker, new PgChannelTransport(channel));
        sourceWait = new PgSourceWait(channel, eventLoopIos.of(channel.eventLoop()), processor.eventLoopAnswers(), worker, this::toWorker, sourceAnswers, MAX_BATCH);
        session = created;
        BackendMessages.authenticationOk(out);
        created.settings().reportedValues().forEach((name, value) -> BackendMessages.parameterStatus(out, name, value));
        BackendMessages.backendKeyData(out, key.processId(), key.secretKey());
        BackendMessages.readyForQuery(out, created.transactionStatus().code());
        ctx.writeAndFlush(out);
        phase = Phase.READY;
        armIdleTimer(created);
        log.debug("User {} connected from {}", created.principal().name(), channel.remoteAddress());
    }

    private ClientOrigin origin()
    {
        return new ClientOrigin("postgres", Optional.ofNullable(channel.remoteAddress()).map(PgProtocolHandler::address));
    }

    private static String address(SocketAddress address)
    {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() + ":" + inet.getPort()
                : address.toString();
    }

    /**
     * After a ReadyForQuery (on the thread that wrote it): closes the connection if the client sends
     * nothing for the session's idle timeout. Only the messages handled so far count: if one arrived
     * meanwhile, the timer does nothing.
     */
    private void armIdleTimer(ClientSession session)
    {
        idleTimer.ready(session.idleTimeout(), session.transactionStatus() != TransactionStatus.IDLE, worker.handled());
    }

    /** The client sent nothing for the idle timeout (on the event loop). */
    private void idleTimeoutExpired(ClientSession session, boolean inTransaction)
    {
        if (phase != Phase.READY) {
            return;
        }
        log.info("Closing the idle session of {} from {} after {}", session.principal().name(), channel.remoteAddress(), session.idleTimeout());
        ChannelHandlerContext ctx = channel.pipeline().context(this);
        if (ctx != null) {
            fatal(ctx, inTransaction
                    ? PgError.fatal("25P03", "terminating connection due to idle-in-transaction timeout")
                    : PgError.fatal("57P05", "terminating connection due to idle-session timeout"));
        }
    }

    /** The gateway ends this session (its user was removed or changed): the client is told, then the connection closes. */
    private void disconnect(String sqlState, String message)
    {
        channel.eventLoop().execute(() -> {
            ChannelHandlerContext ctx = channel.pipeline().context(this);
            if (phase == Phase.CLOSED || ctx == null) {
                return;
            }
            fatal(ctx, PgError.fatal(sqlState, message));
        });
    }

    private static byte[] password(FrontendMessage message)
    {
        if (!(message instanceof FrontendMessage.PasswordMessage password)) {
            throw new QueryException(SqlStates.PROTOCOL_VIOLATION, "expected SASL response, got message " + message.getClass().getSimpleName());
        }
        return password.body();
    }

    private void fatal(ChannelHandlerContext ctx, PgError error)
    {
        phase = Phase.CLOSED;
        ByteBuf out = ctx.alloc().buffer();
        BackendMessages.errorResponse(out, new PgError(PgError.Severity.FATAL, error.sqlState(), error.message(), error.detail(), error.hint(), 0));
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx)
            throws Exception
    {
        handOver();
        super.channelReadComplete(ctx);
    }

    /**
     * Gives the messages of the last read to the session's worker in one hand-off, or answers them
     * here when they are a result-cache hit that runs without blocking and nothing of the session
     * is queued or running ({@link PgEventLoopAnswers#answerOnEventLoop}), or starts their statement
     * at its source here when its connector reads it without blocking ({@link PgSourceWait}): two
     * thread hand-offs saved per statement, and the replies still in order.
     */
    private void handOver()
    {
        if (arrived.isEmpty()) {
            return;
        }
        if (sourceWait.isWaiting()) {
            // the session waits for its statement's rows on this loop: what came meanwhile runs after its answer, in order
            sourceWait.hold(arrived);
            arrived.clear();
            return;
        }
        if (options.cacheHitsOnEventLoop() && session.mayAnswerFromCache() && work.isIdle()) {
            boolean answered;
            try {
                answered = processor.eventLoopAnswers().answerOnEventLoop(arrived, worker);
            }
            catch (RuntimeException | Error e) {
                arrived.clear();
                // as a worker's failure that is not a statement's: the connection is closed
                log.error("Unexpected failure on connection from {}; closing it", channel.remoteAddress(), e);
                channel.close();
                return;
            }
            if (answered) {
                arrived.clear();
                return;
            }
        }
        if (options.statementsOnEventLoop() && session.mayStartWithoutWorker() && work.isIdle() && sourceWait.start(arrived)) {
            arrived.clear();
            return;
        }
        toWorker(arrived);
        arrived.clear();
    }

    private void toWorker(List<FrontendMessage> messages)
    {
        if (messages.size() == 1) {
            work.add(messages.get(0));
        }
        else if (!messages.isEmpty()) {
            work.addAll(List.copyOf(messages));
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx)
            throws Exception
    {
        if (ctx.channel().isWritable() && work != null) {
            work.writable();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx)
            throws Exception
    {
        connections.closed();
        phase = Phase.CLOSED;
        arrived.clear();
        if (sourceWait != null) {
            // a statement waiting for its source: the run is cancelled, and the permit and anything that arrived given back
            sourceWait.closed();
        }
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        if (work != null) {
            work.close();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause)
    {
        if (cause instanceof IOException || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            log.debug("Connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        else {
            log.warn("Unexpected failure on connection from {}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
