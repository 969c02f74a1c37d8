package dev.sekisho.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Bad input at every layer: malformed and oversized frames on a raw socket, wrong passwords,
 * unknown tables and columns, syntax errors and writes through pgjdbc. Each gets its SQLSTATE,
 * and a connection opened before the bad input, as well as a new one, keeps working.
 */
public class TestBadInput
{
    private static final int PROTOCOL_3_0 = 196608;

    private TestingGateway gateway;
    private Connection bystander;

    @BeforeEach
    public void openBystander()
            throws SQLException
    {
        gateway = TestingGateway.shared();
        bystander = gateway.connect("bob");
        assertThat(customerCount(bystander)).isEqualTo(directCustomerCount());
    }

    @AfterEach
    public void closeBystander()
            throws SQLException
    {
        if (bystander != null) {
            bystander.close();
        }
    }

    @Test
    public void testStartupPacketTooShort()
            throws Exception
    {
        try (RawPgConnection raw = RawPgConnection.open(gateway.pgPort())) {
            raw.out().writeInt(3);
            raw.out().flush();
            raw.assertFatalErrorAndClosed("08P01");
        }
        assertGatewayStillServes();
    }

    @Test
    public void testStartupPacketTooLong()
            throws Exception
    {
        try (RawPgConnection raw = RawPgConnection.open(gateway.pgPort())) {
            // the server must refuse on the length alone, without waiting for (or buffering) the body:
            // only the length is sent (writing more races the server's close and may fail with EPIPE)
            raw.out().writeInt(1_000_000);
            raw.out().flush();
            raw.assertFatalErrorAndClosed("08P01");
        }
        assertGatewayStillServes();
    }

    @Test
    public void testStartupPacketWithGarbageProtocolNumber()
            throws Exception
    {
        try (RawPgConnection raw = RawPgConnection.open(gateway.pgPort())) {
            byte[] parameters = "user\0alice\0database\0sekisho\0\0".getBytes(StandardCharsets.US_ASCII);
            raw.out().writeInt(8 + parameters.length);
            raw.out().writeInt(0x0BAD_F00D);
            raw.out().write(parameters);
            raw.out().flush();
            // as PostgreSQL: "unsupported frontend protocol", feature_not_supported
            raw.assertFatalErrorAndClosed("0A000");
        }
        assertGatewayStillServes();
    }

    @Test
    public void testStartupPacketWithUnterminatedParameters()
            throws Exception
    {
        try (RawPgConnection raw = RawPgConnection.open(gateway.pgPort())) {
            byte[] parameters = "user\0alice\0database\0sekisho".getBytes(StandardCharsets.US_ASCII);
            raw.out().writeInt(8 + parameters.length);
            raw.out().writeInt(PROTOCOL_3_0);
            raw.out().write(parameters);
            raw.out().flush();
            raw.assertFatalErrorAndClosed("08P01");
        }
        assertGatewayStillServes();
    }

    @Test
    public void testOversizedMessageDuringAuthentication()
            throws Exception
    {
        try (RawPgConnection raw = RawPgConnection.open(gateway.pgPort())) {
            raw.sendStartup("alice");
            RawPgConnection.Message request = raw.expect('R');
            assertThat(request.readInt(0)).as("AuthenticationSASL").isEqualTo(10);
            // a SASLInitialResponse that claims one gigabyte
            raw.out().writeByte('p');
            raw.out().writeInt(1 << 30);
            raw.out().write(new byte[64]);
            raw.out().flush();
            raw.assertFatalErrorAndClosed("08P01");
        }
        assertGatewayStillServes();
    }

    @Test
    public void testOversizedMessageAfterLogin()
            throws Exception
    {
        try (RawPgConnection raw = RawPgConnection.open(gateway.pgPort())) {
            raw.login("alice", "alice" + TestingGateway.PASSWORD_SUFFIX);
            // the raw client itself works: a query answers like it does through pgjdbc
            assertThat(raw.simpleQuery("select count(*) from shop.customers"))
                    .containsExactly(List.of(String.valueOf(directCustomerCount())));
            // a Query that claims 100 MB, above the configured maximum message size (16 MiB)
            raw.out().writeByte('Q');
            raw.out().writeInt(100 * 1024 * 1024);
            raw.out().write("select 1".getBytes(StandardCharsets.US_ASCII));
            raw.out().flush();
            raw.assertFatalErrorAndClosed("08P01");
        }
        assertGatewayStillServes();
    }

    @Test
    public void testMessageLengthBelowMinimumAfterLogin()
            throws Exception
    {
        try (RawPgConnection raw = RawPgConnection.open(gateway.pgPort())) {
            raw.login("alice", "alice" + TestingGateway.PASSWORD_SUFFIX);
            // a length must count at least its own four bytes
            raw.out().writeByte('Q');
            raw.out().writeInt(2);
            raw.out().flush();
            raw.assertFatalErrorAndClosed("08P01");
        }
        assertGatewayStillServes();
    }

    @Test
    public void testMalformedMessageBodyAfterLogin()
            throws Exception
    {
        try (RawPgConnection raw = RawPgConnection.open(gateway.pgPort())) {
            raw.login("alice", "alice" + TestingGateway.PASSWORD_SUFFIX);
            // a Query whose string lacks its terminating zero byte
            raw.send('Q', "select 1".getBytes(StandardCharsets.US_ASCII));
            raw.assertFatalErrorAndClosed("08P01");
        }
        assertGatewayStillServes();
    }

    @Test
    public void testWrongPasswordOnRawSocket()
            throws Exception
    {
        try (RawPgConnection raw = RawPgConnection.open(gateway.pgPort())) {
            assertThatThrownBy(() -> raw.login("alice", "not-the-password"))
                    .isInstanceOf(RawPgConnection.ServerError.class)
                    .satisfies(e -> {
                        Map<Character, String> fields = ((RawPgConnection.ServerError) e).fields();
                        assertThat(fields.get('C')).isEqualTo("28P01");
                        assertThat(fields.get('S')).isEqualTo("FATAL");
                    });
            raw.assertClosed();
        }
        assertGatewayStillServes();
    }

    @Test
    public void testWrongPassword()
    {
        Properties properties = new Properties();
        properties.setProperty("user", "alice");
        properties.setProperty("password", "bob" + TestingGateway.PASSWORD_SUFFIX);
        assertThatThrownBy(() -> DriverManager.getConnection(gateway.pgJdbcUrl(), properties).close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("28P01");
                    assertThat(e.getMessage()).contains("alice");
                    assertThat(e.getMessage()).doesNotContain("bob" + TestingGateway.PASSWORD_SUFFIX);
                });
        assertGatewayStillServes();
    }

    @Test
    public void testUnknownUserLooksLikeWrongPassword()
    {
        // an unknown user must not be told apart from a wrong password (no user enumeration)
        Properties properties = new Properties();
        properties.setProperty("user", "mallory");
        properties.setProperty("password", "whatever");
        assertThatThrownBy(() -> DriverManager.getConnection(gateway.pgJdbcUrl(), properties).close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        assertGatewayStillServes();
    }

    @ParameterizedTest
    @ValueSource(strings = {"extended", "simple"})
    public void testUnknownTable(String queryMode)
            throws SQLException
    {
        assertQueryFails(queryMode, "select * from shop.no_such_table", "42P01", "no_such_table");
    }

    @ParameterizedTest
    @ValueSource(strings = {"extended", "simple"})
    public void testUnknownSchema(String queryMode)
            throws SQLException
    {
        assertQueryFails(queryMode, "select * from no_such_schema.customers", "42P01", "no_such_schema");
    }

    @ParameterizedTest
    @ValueSource(strings = {"extended", "simple"})
    public void testUnknownColumn(String queryMode)
            throws SQLException
    {
        assertQueryFails(queryMode, "select no_such_column from shop.customers", "42703", "no_such_column");
    }

    @ParameterizedTest
    @ValueSource(strings = {"extended", "simple"})
    public void testSyntaxError(String queryMode)
            throws SQLException
    {
        assertQueryFails(queryMode, "selec id frm shop.customers", "42601", "");
        assertQueryFails(queryMode, "select id from shop.customers where", "42601", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"extended", "simple"})
    public void testWritesAreRefused(String queryMode)
            throws SQLException
    {
        long before = directCustomerCount();
        assertQueryFails(queryMode, "insert into shop.customers (id, name, email) values (999999, 'Eve', 'eve@example.com')", "25006", "");
        assertQueryFails(queryMode, "update shop.customers set name = 'Eve' where id = 1", "25006", "");
        assertQueryFails(queryMode, "delete from shop.customers where id = 999999", "25006", "");
        assertThat(directCustomerCount()).isEqualTo(before);
        try (Connection direct = gateway.connectDirect("shop");
                Statement statement = direct.createStatement();
                ResultSet resultSet = statement.executeQuery("select count(*) from customers where id = 999999 or name = 'Eve'")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getLong(1)).isZero();
        }
    }

    /**
     * Runs {@code sql} on a fresh connection and expects {@code sqlState}; the same connection
     * must then answer a good query (after an error the extended protocol skips to Sync).
     */
    private void assertQueryFails(String queryMode, String sql, String sqlState, String messagePart)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "alice");
        properties.setProperty("password", "alice" + TestingGateway.PASSWORD_SUFFIX);
        properties.setProperty("preferQueryMode", queryMode);
        try (Connection connection = DriverManager.getConnection(gateway.pgJdbcUrl(), properties)) {
            try (Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.execute(sql))
                        .as("%s (%s protocol)", sql, queryMode)
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).as("SQLSTATE of %s: %s", sql, e.getMessage()).isEqualTo(sqlState);
                            assertThat(e.getMessage()).contains(messagePart);
                        });
            }
            assertThat(customerCount(connection)).isEqualTo(directCustomerCount());
        }
        assertGatewayStillServes();
    }

    /** The connection opened before the bad input still answers, and a new one can be opened. */
    private void assertGatewayStillServes()
    {
        try {
            long expected = directCustomerCount();
            assertThat(customerCount(bystander)).isEqualTo(expected);
            try (Connection fresh = gateway.connect("alice")) {
                assertThat(customerCount(fresh)).isEqualTo(expected);
            }
        }
        catch (SQLException e) {
            throw new AssertionError("the gateway stopped serving after bad input", e);
        }
    }

    private static long customerCount(Connection connection)
            throws SQLException
    {
        try (Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("select count(*) from shop.customers")) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getLong(1);
        }
    }

    private long directCustomerCount()
            throws SQLException
    {
        try (Connection direct = gateway.connectDirect("shop")) {
            return customerCount(direct);
        }
    }

    /**
     * A bare-bones PostgreSQL protocol v3 client over a socket, able to send what no driver
     * would: frames with lying lengths, broken startup packets. SCRAM-SHA-256 per RFC 5802/7677.
     */
    static final class RawPgConnection
            implements AutoCloseable
    {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;
        /** The BackendKeyData of the login: the process id and secret key a CancelRequest names. */
        private Message backendKey;

        private RawPgConnection(Socket socket)
                throws IOException
        {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = new DataOutputStream(socket.getOutputStream());
        }

        static RawPgConnection open(int port)
                throws IOException
        {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(15_000);
            socket.setTcpNoDelay(true);
            return new RawPgConnection(socket);
        }

        DataOutputStream out()
        {
            return out;
        }

        void sendStartup(String user)
                throws IOException
        {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (String part : List.of("user", user, "database", "sekisho", "application_name", "raw-test")) {
                body.writeBytes(part.getBytes(StandardCharsets.UTF_8));
                body.write(0);
            }
            body.write(0);
            out.writeInt(8 + body.size());
            out.writeInt(PROTOCOL_3_0);
            out.write(body.toByteArray());
            out.flush();
        }

        /** Startup and SCRAM-SHA-256 up to the first ReadyForQuery; a server error is thrown as {@link ServerError}. */
        void login(String user, String password)
                throws IOException, GeneralSecurityException
        {
            sendStartup(user);
            Message sasl = expect('R');
            if (sasl.readInt(0) != 10 || !sasl.text(4).contains("SCRAM-SHA-256")) {
                fail("expected AuthenticationSASL offering SCRAM-SHA-256, got " + sasl);
            }
            byte[] nonceBytes = new byte[18];
            new SecureRandom().nextBytes(nonceBytes);
            String clientNonce = Base64.getEncoder().encodeToString(nonceBytes);
            String clientFirstBare = "n=,r=" + clientNonce;
            byte[] clientFirst = ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream initial = new ByteArrayOutputStream();
            initial.writeBytes("SCRAM-SHA-256\0".getBytes(StandardCharsets.US_ASCII));
            initial.writeBytes(int32(clientFirst.length));
            initial.writeBytes(clientFirst);
            send('p', initial.toByteArray());

            Message continueMessage = expect('R');
            assertThat(continueMessage.readInt(0)).as("AuthenticationSASLContinue").isEqualTo(11);
            String serverFirst = new String(continueMessage.body(), 4, continueMessage.body().length - 4, StandardCharsets.UTF_8);
            Map<String, String> attributes = scramAttributes(serverFirst);
            String nonce = attributes.get("r");
            assertThat(nonce).startsWith(clientNonce);
            byte[] salt = Base64.getDecoder().decode(attributes.get("s"));
            int iterations = Integer.parseInt(attributes.get("i"));

            SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] saltedPassword = pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
            byte[] clientKey = hmac(saltedPassword, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
            String clientFinalWithoutProof = "c=biws,r=" + nonce;
            String authMessage = clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof;
            byte[] clientSignature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
            }
            String clientFinal = clientFinalWithoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
            send('p', clientFinal.getBytes(StandardCharsets.UTF_8));

            Message finalMessage = expect('R');
            assertThat(finalMessage.readInt(0)).as("AuthenticationSASLFinal").isEqualTo(12);
            String serverFinal = new String(finalMessage.body(), 4, finalMessage.body().length - 4, StandardCharsets.UTF_8);
            byte[] serverSignature = hmac(hmac(saltedPassword, "Server Key"), authMessage);
            assertThat(serverFinal).as("server signature").isEqualTo("v=" + Base64.getEncoder().encodeToString(serverSignature));
            Message ok = expect('R');
            assertThat(ok.readInt(0)).as("AuthenticationOk").isZero();
            while (true) {
                Message message = next();
                if (message.type() == 'Z') {
                    return;
                }
                if (message.type() == 'K') {
                    backendKey = message;
                }
                if (message.type() != 'S' && message.type() != 'K' && message.type() != 'N') {
                    fail("unexpected message during startup: " + message);
                }
            }
        }

        /** Sends a CancelRequest for this session's running statement over a new connection to {@code port}, as a client does. */
        void cancel(int port)
                throws IOException
        {
            if (backendKey == null) {
                throw new IllegalStateException("no BackendKeyData: not logged in");
            }
            try (Socket cancel = new Socket("127.0.0.1", port); DataOutputStream request = new DataOutputStream(cancel.getOutputStream())) {
                request.writeInt(16);
                request.writeInt(80877102);
                request.writeInt(backendKey.readInt(0));
                request.writeInt(backendKey.readInt(4));
                request.flush();
                // the server closes the connection once it handled the request
                cancel.setSoTimeout(10_000);
                cancel.getInputStream().read();
            }
        }

        /** A simple Query with one statement; rows as text (null for SQL NULL). */
        List<List<String>> simpleQuery(String sql)
                throws IOException
        {
            send('Q', (sql + "\0").getBytes(StandardCharsets.UTF_8));
            List<List<String>> rows = new ArrayList<>();
            while (true) {
                Message message = next();
                switch (message.type()) {
                    case 'D' -> rows.add(message.dataRow());
                    case 'Z' -> {
                        return rows;
                    }
                    case 'T', 'C', 'N', 'S' -> {
                        // row description, command tag, notices: not needed here
                    }
                    default -> fail("unexpected message in query response: " + message);
                }
            }
        }

        /** Expects an ErrorResponse with this SQLSTATE and severity FATAL, then the end of the connection. */
        void assertFatalErrorAndClosed(String sqlState)
                throws IOException
        {
            Message message = next();
            while (message.type() == 'N') {
                message = next();
            }
            assertThat(message.type()).as("expected ErrorResponse, got %s", message).isEqualTo('E');
            Map<Character, String> fields = message.errorFields();
            assertThat(fields.get('C')).as("SQLSTATE in %s", fields).isEqualTo(sqlState);
            assertThat(fields.get('S')).as("severity in %s", fields).isEqualTo("FATAL");
            assertThat(fields.get('M')).as("message in %s", fields).isNotBlank();
            assertClosed();
        }

        /** The server closes the connection: end of stream (or a reset), not a timeout. */
        void assertClosed()
                throws IOException
        {
            try {
                int read = in.read();
                assertThat(read).as("expected the server to close the connection").isEqualTo(-1);
            }
            catch (SocketTimeoutException e) {
                fail("the server kept the connection open");
            }
            catch (SocketException e) {
                // connection reset by the server: closed too
            }
        }

        Message expect(char type)
                throws IOException
        {
            Message message = next();
            if (message.type() == 'E') {
                throw new ServerError(message.errorFields());
            }
            assertThat(message.type()).as("message %s", message).isEqualTo(type);
            return message;
        }

        Message next()
                throws IOException
        {
            try {
                char type = (char) in.readUnsignedByte();
                int length = in.readInt();
                assertThat(length).as("length of '%s'", type).isBetween(4, 64 * 1024 * 1024);
                byte[] body = new byte[length - 4];
                in.readFully(body);
                return new Message(type, body);
            }
            catch (EOFException e) {
                throw new AssertionError("the server closed the connection unexpectedly", e);
            }
        }

        /** Sends bytes as they are: messages framed by the caller, e.g. several in one write as a pipelining client does. */
        void sendRaw(byte[] bytes)
                throws IOException
        {
            out.write(bytes);
            out.flush();
        }

        void send(char type, byte[] body)
                throws IOException
        {
            out.writeByte(type);
            out.writeInt(4 + body.length);
            out.write(body);
            out.flush();
        }

        @Override
        public void close()
                throws IOException
        {
            socket.close();
        }

        private static Map<String, String> scramAttributes(String message)
        {
            Map<String, String> attributes = new LinkedHashMap<>();
            for (String part : message.split(",")) {
                attributes.put(part.substring(0, 1), part.substring(2));
            }
            return attributes;
        }

        private static byte[] hmac(byte[] key, String data)
                throws GeneralSecurityException
        {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        }

        private static byte[] int32(int value)
        {
            return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        }

        /** One backend message. */
        record Message(char type, byte[] body)
        {
            int readInt(int offset)
            {
                return ((body[offset] & 0xff) << 24) | ((body[offset + 1] & 0xff) << 16) | ((body[offset + 2] & 0xff) << 8) | (body[offset + 3] & 0xff);
            }

            String text(int offset)
            {
                return new String(body, offset, body.length - offset, StandardCharsets.UTF_8);
            }

            Map<Character, String> errorFields()
            {
                Map<Character, String> fields = new LinkedHashMap<>();
                int position = 0;
                while (position < body.length && body[position] != 0) {
                    char code = (char) body[position++];
                    int end = position;
                    while (body[end] != 0) {
                        end++;
                    }
                    fields.put(code, new String(body, position, end - position, StandardCharsets.UTF_8));
                    position = end + 1;
                }
                return fields;
            }

            List<String> dataRow()
            {
                int columns = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
                List<String> values = new ArrayList<>(columns);
                int position = 2;
                for (int i = 0; i < columns; i++) {
                    int length = readInt(position);
                    position += 4;
                    if (length < 0) {
                        values.add(null);
                    }
                    else {
                        values.add(new String(body, position, length, StandardCharsets.UTF_8));
                        position += length;
                    }
                }
                return values;
            }

            @Override
            public String toString()
            {
                return type == 'E' || type == 'N' ? type + errorFields().toString() : type + "[" + body.length + " bytes]";
            }
        }

        /** An ErrorResponse where another message was expected. */
        static final class ServerError
                extends RuntimeException
        {
            private final Map<Character, String> fields;

            ServerError(Map<Character, String> fields)
            {
                super("server error: " + fields);
                this.fields = Map.copyOf(fields);
            }

            Map<Character, String> fields()
            {
                return fields;
            }
        }
    }
}
