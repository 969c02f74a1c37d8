package dev.sekisho.connectors.mysql.wire;

import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.EventLoopIo;
import dev.sekisho.planner.spi.SourceSocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;

/**
 * One MySQL connection on a front door's I/O thread, spoken without blocking: it logs in, sets up
 * its session with one statement, then runs server-prepared statements one at a time and gathers
 * their binary rows. Every method and callback runs on the I/O thread it was opened on.
 *
 * <p>Whatever it does not expect (a packet, a value, a result over its limits, the connection
 * closing) ends the statement with {@link Outcome#gaveUp}; a failure that leaves the connection in
 * a known state (an ERR for the prepare or the execute, warnings at the end of a whole result)
 * keeps it, anything else closes it. Each connection keeps at most {@link #KEPT_STATEMENTS}
 * statements prepared, by SQL text, and closes the least recently run one at the server when
 * preparing another (as {@code KeptStatements} does for pooled Connector/J connections).
 */
public final class WireConnection
        implements SourceSocket.Handler
{
    /** Statement texts each connection keeps prepared at most. */
    public static final int KEPT_STATEMENTS = 64;

    private static final int SERVER_MORE_RESULTS_EXISTS = 0x0008;

    /**
     * What to log in with.
     *
     * @param database the database to connect to; null or empty for none
     * @param collationId the collation id of the handshake (Connector/J's for UTF-8 on this server)
     * @param sessionSql the statement that makes the session like the JDBC path's; null for none
     */
    public record Login(String user, String password, String database, int collationId, String sessionSql)
    {
        public Login
        {
            requireNonNull(user, "user is null");
        }

        @Override
        public String toString()
        {
            return "Login[user=" + user + ", database=" + database + ", collationId=" + collationId + "]";
        }
    }

    /** What a connection reports to its owner. */
    public interface Events
    {
        /** Logged in and set up: it takes statements now. */
        void ready(WireConnection connection);

        /**
         * The login did not succeed; {@code closed} follows.
         *
         * @param unsupported whether the server asks for something this client never does (TLS, a
         *         full caching_sha2_password exchange, another plugin), rather than failing
         */
        void loginFailed(WireConnection connection, boolean unsupported, String reason);

        /** The connection is closed (by either side); called once, last. */
        void closed(WireConnection connection);
    }

    /** How a statement ended: once, on the I/O thread. */
    public interface Outcome
    {
        void rows(List<Object[]> rows);

        /** @param tooLarge whether the result was over the limits (rather than failing) */
        void gaveUp(String reason, boolean tooLarge);
    }

    private enum State { CONNECTING, GREETING, AUTHENTICATING, SETTING_UP, IDLE, PREPARING, EXECUTING, CLOSED }

    private record Prepared(long id, int parameters) {}

    private final EventLoopIo io;
    private final Login login;
    private final Events events;
    private final PacketFramer framer = new PacketFramer();
    private final long openedNanos = System.nanoTime();
    private final Map<String, Prepared> prepared = new LinkedHashMap<>(16, 0.75f, true);
    private SourceSocket socket;
    private State state = State.CONNECTING;
    private Handshake.Greeting greeting;
    private String plugin;
    private Future<?> loginTimer;
    private boolean closedReported;
    private boolean loginReported;

    private Run run;

    private WireConnection(EventLoopIo io, Login login, Events events)
    {
        this.io = io;
        this.login = login;
        this.events = events;
    }

    /** Opens a connection; {@code events} hears how it goes. */
    public static WireConnection open(EventLoopIo io, String host, int port, Duration timeout, Login login, Events events)
    {
        WireConnection connection = new WireConnection(requireNonNull(io, "io is null"), requireNonNull(login, "login is null"), requireNonNull(events, "events is null"));
        connection.loginTimer = io.schedule(() -> {
            if (connection.state.ordinal() < State.IDLE.ordinal()) {
                connection.failQuietly("no login within " + timeout.toMillis() + " ms");
            }
        }, timeout);
        io.connect(host, port, timeout, connection);
        return connection;
    }

    /** The server's id of this connection (what {@code KILL QUERY} names); 0 before its greeting. */
    public long connectionId()
    {
        return greeting == null ? 0 : greeting.connectionId();
    }

    /** Whether it takes a statement now. */
    public boolean isIdle()
    {
        return state == State.IDLE && socket != null && socket.isOpen();
    }

    public boolean isClosed()
    {
        return state == State.CLOSED;
    }

    public long openedNanos()
    {
        return openedNanos;
    }

    /**
     * Runs {@code sql} with {@code parameters}, prepared on the server once per connection, and reads
     * its rows as {@code columns} (the JDBC path's columns for the text); {@code outcome} hears the
     * end. Call only when {@link #isIdle()}.
     */
    public void run(String sql, List<Object> parameters, List<ColumnType> parameterTypes, List<ColumnType> columns, Map<Integer, Integer> utf8Collations,
            int maxRows, long maxBytes, Outcome outcome)
    {
        if (!isIdle()) {
            outcome.gaveUp("the connection is not idle", false);
            return;
        }
        run = new Run(sql, parameters, parameterTypes, columns, utf8Collations, maxRows, maxBytes, outcome);
        try {
            Prepared statement = prepared.get(sql);
            if (statement != null) {
                execute(statement);
            }
            else {
                state = State.PREPARING;
                send(0, Commands.prepare(sql));
            }
        }
        catch (WireProtocolException | RuntimeException e) {
            fail(e.getMessage());
        }
    }

    /** Closes the connection; a statement running on it hears nothing more. */
    public void abandon()
    {
        run = null;
        close();
    }

    /** Closes the connection; one between statements says goodbye first (COM_QUIT), so the server does not log an aborted connection. */
    public void close()
    {
        if (state != State.CLOSED) {
            boolean between = isIdle();
            state = State.CLOSED;
            if (loginTimer != null) {
                loginTimer.cancel(false);
            }
            if (socket != null) {
                if (between) {
                    try {
                        send(0, Commands.quit());
                    }
                    catch (WireProtocolException | RuntimeException ignored) {
                        // closing anyway
                    }
                }
                socket.close();
            }
        }
    }

    @Override
    public void connected(SourceSocket socket)
    {
        this.socket = socket;
        if (state == State.CLOSED) {
            socket.close();
            return;
        }
        state = State.GREETING;
    }

    @Override
    public void received(ByteBuffer bytes)
    {
        if (state == State.CLOSED) {
            return;
        }
        try {
            framer.feed(bytes, this::packet);
        }
        catch (WireProtocolException | RuntimeException e) {
            failQuietly(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    @Override
    public void closed(Optional<Throwable> cause)
    {
        try {
            reportClosed(cause);
        }
        catch (RuntimeException e) {
            // never into the socket's caller; the owner has dropped the connection or will not see it again
        }
    }

    private void reportClosed(Optional<Throwable> cause)
    {
        String reason = "the connection closed" + cause.map(e -> ": " + e).orElse("");
        if (state.ordinal() < State.IDLE.ordinal() && !loginReported) {
            loginReported = true;
            events.loginFailed(this, false, reason);
        }
        state = State.CLOSED;
        if (loginTimer != null) {
            loginTimer.cancel(false);
        }
        giveUp(reason, false);
        if (!closedReported) {
            closedReported = true;
            events.closed(this);
        }
    }

    private void packet(PacketFramer.Packet packet)
            throws WireProtocolException
    {
        ByteBuffer payload = packet.payload();
        switch (state) {
            case GREETING -> greeting(payload);
            case AUTHENTICATING -> authentication(packet.sequence(), payload);
            case SETTING_UP -> setUp(payload);
            case PREPARING -> run.prepareResponse(payload);
            case EXECUTING -> run.executeResponse(payload);
            case IDLE -> throw new WireProtocolException("the server sent a packet while no command ran");
            case CONNECTING, CLOSED -> { }
        }
    }

    private void greeting(ByteBuffer payload)
            throws WireProtocolException
    {
        greeting = Handshake.parseGreeting(payload);
        plugin = Handshake.supports(greeting.plugin()) ? greeting.plugin() : Handshake.NATIVE_PASSWORD;
        Handshake.Greeting answered = new Handshake.Greeting(greeting.serverVersion(), greeting.connectionId(), greeting.capabilities(), greeting.scramble(),
                plugin);
        state = State.AUTHENTICATING;
        send(1, Handshake.response(answered, login.user(), login.password(), login.database(), login.collationId()));
    }

    private void authentication(int sequence, ByteBuffer payload)
            throws WireProtocolException
    {
        int header = Packets.u8(payload);
        switch (header) {
            case 0x00 -> loggedIn();
            case 0xFF -> refuseLogin(false, "the server refused the login: " + ServerError.parse(payload, true).describe());
            case 0xFE -> {
                // AuthSwitchRequest: another plugin, a fresh scramble
                String requested = new String(Packets.nulTerminated(payload), StandardCharsets.UTF_8);
                byte[] data = new byte[payload.remaining()];
                payload.get(data);
                if (!Handshake.supports(requested) || data.length < 20) {
                    // a bare 0xFE (no plugin name) asks for the pre-4.1 scramble of an old-format password
                    refuseLogin(true, requested.isEmpty() ? "the server asks for the old (pre-4.1) password scramble"
                            : "the server asks for authentication plugin " + requested);
                    return;
                }
                plugin = requested;
                send(sequence + 1, Handshake.scramble(plugin, login.password(), Arrays.copyOf(data, 20)));
            }
            case 0x01 -> {
                int status = payload.hasRemaining() ? Packets.u8(payload) : -1;
                if (!Handshake.CACHING_SHA2_PASSWORD.equals(plugin) || status != 3) {
                    // 4: the server wants the password itself, over TLS or RSA
                    refuseLogin(true, "the server asks for a full " + plugin + " exchange");
                }
                // 3: the fast path succeeded; an OK follows
            }
            default -> throw new WireProtocolException("unexpected packet 0x" + Integer.toHexString(header) + " during the login");
        }
    }

    private void loggedIn()
            throws WireProtocolException
    {
        if (login.sessionSql() == null) {
            ready();
            return;
        }
        state = State.SETTING_UP;
        send(0, Commands.query(login.sessionSql()));
    }

    private void setUp(ByteBuffer payload)
    {
        int header = Packets.u8(payload);
        if (header == 0x00) {
            ready();
        }
        else {
            String reason = header == 0xFF ? ServerError.parse(payload, true).describe() : "unexpected packet 0x" + Integer.toHexString(header);
            refuseLogin(true, "setting up the session failed: " + reason);
        }
    }

    private void ready()
    {
        state = State.IDLE;
        loginTimer.cancel(false);
        loginReported = true;
        events.ready(this);
    }

    private void refuseLogin(boolean unsupported, String reason)
    {
        if (!loginReported) {
            loginReported = true;
            events.loginFailed(this, unsupported, reason);
        }
        close();
    }

    /** {@link #fail}, never throwing into the I/O thread's caller (a socket's read, a timer). */
    private void failQuietly(String reason)
    {
        try {
            fail(reason);
        }
        catch (RuntimeException e) {
            run = null;
            state = State.CLOSED;
            if (socket != null) {
                socket.close();
            }
        }
    }

    /** Gives up whatever runs and closes the connection. */
    private void fail(String reason)
    {
        if (state.ordinal() < State.IDLE.ordinal()) {
            refuseLogin(false, reason);
            return;
        }
        giveUp(reason, false);
        close();
    }

    private void giveUp(String reason, boolean tooLarge)
    {
        Run current = run;
        run = null;
        if (current != null) {
            current.outcome.gaveUp(reason, tooLarge);
        }
    }

    private void send(int sequence, byte[] payload)
            throws WireProtocolException
    {
        socket.write(Packets.packet(sequence, payload));
    }

    private void execute(Prepared statement)
            throws WireProtocolException
    {
        if (statement.parameters() != run.parameters.size()) {
            throw new WireProtocolException("the statement has " + statement.parameters() + " parameters, not " + run.parameters.size());
        }
        state = State.EXECUTING;
        send(0, Commands.execute(statement.id(), run.parameters, run.parameterTypes));
    }

    /** One statement's progress through the prepare, the execute and its rows. */
    private final class Run
    {
        private final String sql;
        private final List<Object> parameters;
        private final List<ColumnType> parameterTypes;
        private final List<ColumnType> columns;
        private final Map<Integer, Integer> utf8Collations;
        private final int maxRows;
        private final long maxBytes;
        private final Outcome outcome;
        /** Packets of the prepare's response still to skip (parameter and column definitions, their EOFs). */
        private int toSkip = -1;
        private Prepared statement;
        /** The execute's result columns still to read; -1 before the column count. */
        private int columnsLeft = -1;
        private boolean rowsStarted;
        private final List<BinaryValues.Reader> readers = new ArrayList<>();
        private final List<Object[]> rows = new ArrayList<>();
        private long bytes;

        Run(String sql, List<Object> parameters, List<ColumnType> parameterTypes, List<ColumnType> columns, Map<Integer, Integer> utf8Collations, int maxRows,
                long maxBytes, Outcome outcome)
        {
            this.sql = sql;
            this.parameters = parameters;
            this.parameterTypes = parameterTypes;
            this.columns = columns;
            this.utf8Collations = utf8Collations;
            this.maxRows = maxRows;
            this.maxBytes = maxBytes;
            this.outcome = outcome;
        }

        void prepareResponse(ByteBuffer payload)
                throws WireProtocolException
        {
            if (toSkip < 0) {
                int header = Packets.u8(payload);
                if (header == 0xFF) {
                    // the server refused the text: the connection is fine
                    state = State.IDLE;
                    giveUp("the prepare failed: " + ServerError.parse(payload, true).describe(), false);
                    return;
                }
                if (header != 0x00) {
                    throw new WireProtocolException("unexpected prepare response 0x" + Integer.toHexString(header));
                }
                long id = Packets.u32(payload);
                int columnCount = Packets.u16(payload);
                int parameterCount = Packets.u16(payload);
                statement = new Prepared(id, parameterCount);
                toSkip = (parameterCount > 0 ? parameterCount + 1 : 0) + (columnCount > 0 ? columnCount + 1 : 0);
            }
            else {
                toSkip--;
            }
            if (toSkip == 0) {
                keep(statement);
                execute(statement);
            }
        }

        private void keep(Prepared statement)
                throws WireProtocolException
        {
            prepared.put(sql, statement);
            if (prepared.size() > KEPT_STATEMENTS) {
                Map.Entry<String, Prepared> eldest = prepared.entrySet().iterator().next();
                prepared.remove(eldest.getKey());
                // COM_STMT_CLOSE has no response
                send(0, Commands.close(eldest.getValue().id()));
            }
        }

        void executeResponse(ByteBuffer payload)
                throws WireProtocolException
        {
            if (columnsLeft < 0) {
                int header = payload.get(payload.position()) & 0xFF;
                if (header == 0xFF) {
                    payload.get();
                    state = State.IDLE;
                    giveUp("the execute failed: " + ServerError.parse(payload, true).describe(), false);
                    return;
                }
                if (header == 0x00) {
                    // no result set (the JDBC path answers that itself)
                    state = State.IDLE;
                    giveUp("the statement returned no result set", false);
                    return;
                }
                long count = Packets.lengthEncoded(payload);
                if (count != columns.size()) {
                    throw new WireProtocolException("the result has " + count + " columns, the JDBC path knew " + columns.size());
                }
                columnsLeft = (int) count;
                return;
            }
            if (columnsLeft > 0) {
                ColumnDefinition definition = ColumnDefinition.parse(payload);
                ColumnType type = columns.get(readers.size());
                Optional<BinaryValues.Reader> reader = BinaryValues.reader(type, definition, utf8Collations);
                if (reader.isEmpty()) {
                    throw new WireProtocolException("column " + definition.name() + " of MySQL type " + definition.type() + " is not read as " + type);
                }
                readers.add(reader.get());
                columnsLeft--;
                return;
            }
            int header = payload.get(payload.position()) & 0xFF;
            if (header == 0xFE && payload.remaining() < 9) {
                if (!rowsStarted) {
                    // the EOF after the column definitions
                    rowsStarted = true;
                    return;
                }
                end(payload);
                return;
            }
            if (!rowsStarted) {
                throw new WireProtocolException("rows began without the column definitions' EOF");
            }
            if (header == 0xFF) {
                // an error while rows were sent (e.g. a conversion): the connection is at a command boundary again
                payload.get();
                state = State.IDLE;
                giveUp("the statement failed: " + ServerError.parse(payload, true).describe(), false);
                return;
            }
            row(payload);
        }

        private void row(ByteBuffer payload)
                throws WireProtocolException
        {
            bytes += payload.remaining();
            if (rows.size() >= maxRows || bytes > maxBytes) {
                Run current = run;
                run = null;
                close();
                current.outcome.gaveUp("the result is over " + maxRows + " rows or " + maxBytes + " bytes", true);
                return;
            }
            if (Packets.u8(payload) != 0x00) {
                throw new WireProtocolException("a binary row does not start with 0x00");
            }
            int count = readers.size();
            byte[] nulls = new byte[(count + 9) / 8];
            payload.get(nulls);
            Object[] row = new Object[count];
            for (int i = 0; i < count; i++) {
                int bit = i + 2;
                if ((nulls[bit / 8] & (1 << (bit % 8))) == 0) {
                    row[i] = readers.get(i).read(payload);
                }
            }
            if (payload.hasRemaining()) {
                throw new WireProtocolException("a binary row has bytes left over");
            }
            rows.add(row);
        }

        private void end(ByteBuffer payload)
                throws WireProtocolException
        {
            payload.get();
            int warnings = Packets.u16(payload);
            int status = Packets.u16(payload);
            if ((status & SERVER_MORE_RESULTS_EXISTS) != 0) {
                throw new WireProtocolException("the statement returned more than one result");
            }
            state = State.IDLE;
            Run current = run;
            run = null;
            if (warnings > 0) {
                // the JDBC path turns some warnings into errors (MySqlErrors.fromWarnings): it decides
                current.outcome.gaveUp("the statement left " + warnings + " warning(s)", false);
                return;
            }
            current.outcome.rows(current.rows);
        }
    }
}
