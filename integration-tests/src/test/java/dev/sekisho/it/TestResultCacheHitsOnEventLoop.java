package dev.sekisho.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.resultcache.ResultCache;
import dev.sekisho.policies.ReloadResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGStatement;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Result-cache hits answered on the event loop, without a worker (pgjdbc's Bind/Execute/Sync of a
 * server-prepared statement whose result is cached): they are really answered there (the cache's
 * count of pinned reads grows), return the same rows, count as hits and are audited as hits; a
 * policy edit between two hits is obeyed; a transaction block goes to the worker; errors and
 * cancels in between leave the session usable.
 */
class TestResultCacheHitsOnEventLoop
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path policyDir;
    private static Path auditFile;
    private static Gateway gateway;
    private static ResultCache cache;

    @BeforeAll
    static void start()
            throws IOException
    {
        Path dir = Files.createTempDirectory("sekisho-loop-hits-it");
        policyDir = Files.createDirectories(dir.resolve("policies"));
        for (String file : TestingGateway.BYPASS_POLICY_FILES) {
            TestingGateway.copyResource("policies/bypass/" + file, policyDir.resolve(file));
        }
        auditFile = dir.resolve("audit.jsonl");
        gateway = TestingGateway.shared().startGatewayWith("""
                audit: {file: %s}
                result_cache: {max_bytes: 16777216, tables: {shop: 5m}}
                """.formatted(TestingGateway.yamlString(auditFile)), policyDir);
        cache = gateway.resultCache().orElseThrow();
    }

    @AfterAll
    static void stop()
    {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void hitsAreAnsweredOnTheEventLoopCountedAndAudited()
            throws Exception
    {
        String sql = "SELECT /* loop-hit */ id, name, email FROM shop.customers WHERE id = ?";
        int calls = 10;
        try (Connection alice = TestingGateway.connect(gateway, "alice"); PreparedStatement lookup = prepared(alice, sql)) {
            long pinned = cache.pinnedHits();
            long hits = cache.stats().hits();
            List<String> first = rows(lookup, 7);
            assertThat(first).hasSize(1);
            for (int i = 0; i < 9; i++) {
                assertThat(rows(lookup, 7)).isEqualTo(first);
            }
            // a hit that comes before the worker lets go of the session after its ReadyForQuery rightly goes to a worker, and so
            // may the next after it, on a busy machine: repeat until one is answered on the loop (at most 50 more)
            while (cache.pinnedHits() == pinned && calls < 60) {
                assertThat(rows(lookup, 7)).isEqualTo(first);
                calls++;
            }
            assertThat(cache.stats().hits() - hits).isEqualTo(calls - 1);
            assertThat(cache.pinnedHits() - pinned).as("hits answered on the event loop").isBetween(1L, calls - 1L);
        }
        List<JsonNode> events = statementEvents("loop-hit", calls);
        assertThat(events.get(0).get("cache_hit").asBoolean()).as(events.get(0).toString()).isFalse();
        for (JsonNode event : events.subList(1, calls)) {
            assertThat(event.get("cache_hit").asBoolean()).as(event.toString()).isTrue();
            assertThat(event.get("rows").asLong()).isEqualTo(1);
        }
    }

    @Test
    void theSettingSendsEveryHitToAWorker()
            throws Exception
    {
        Gateway workersOnly = TestingGateway.shared().startGatewayWith(
                "protocol: {cache_hits_on_event_loop: false}\nresult_cache: {max_bytes: 16777216, tables: {shop: 5m}}", null);
        try (workersOnly; Connection alice = TestingGateway.connect(workersOnly, "alice");
                PreparedStatement lookup = prepared(alice, "SELECT id, name FROM shop.customers WHERE id = ?")) {
            ResultCache results = workersOnly.resultCache().orElseThrow();
            List<String> first = rows(lookup, 2);
            for (int i = 0; i < 5; i++) {
                assertThat(rows(lookup, 2)).isEqualTo(first);
            }
            assertThat(results.stats().hits()).isEqualTo(5);
            assertThat(results.pinnedHits()).isZero();
        }
    }

    @Test
    void hitsFromSeveralStatementsAndMissesInterleavedKeepTheirResults()
            throws Exception
    {
        String byIdSql = "SELECT /* loop-mix-a */ id, name FROM shop.customers WHERE id = ?";
        String countSql = "SELECT /* loop-mix-b */ count(*) FROM shop.customers WHERE id <= ?";
        try (Connection bob = TestingGateway.connect(gateway, "bob"); PreparedStatement byId = prepared(bob, byIdSql);
                PreparedStatement count = prepared(bob, countSql);
                Connection truth = TestingGateway.connect(gateway, "bob"); Statement off = truth.createStatement();
                PreparedStatement trueById = prepared(truth, byIdSql); PreparedStatement trueCount = prepared(truth, countSql)) {
            off.execute("SET sekisho.cache = off");
            long pinned = cache.pinnedHits();
            for (int round = 0; round < 5; round++) {
                for (int id = 1; id <= 6; id++) {
                    // hits of two statements, and on the way a miss of a value not read before
                    assertThat(rows(byId, id)).isEqualTo(rows(trueById, id));
                    assertThat(rows(count, id)).isEqualTo(rows(trueCount, id));
                    int unseen = 100 + round * 10 + id;
                    assertThat(rows(count, unseen)).isEqualTo(rows(trueCount, unseen));
                }
            }
            assertThat(cache.pinnedHits() - pinned).isPositive();
        }
    }

    @Test
    void aPolicyEditBetweenTwoHitsIsObeyed()
            throws Exception
    {
        String sql = "SELECT /* loop-policy */ id, phone FROM shop.customers WHERE id = ?";
        try (Connection bob = TestingGateway.connect(gateway, "bob"); PreparedStatement lookup = prepared(bob, sql)) {
            List<String> before = rows(lookup, 3);
            long pinned = cache.pinnedHits();
            hitsUntilOneIsAnsweredOnTheLoop(lookup, 3, before);
            assertThat(cache.pinnedHits()).isGreaterThan(pinned);
            Path shop = policyDir.resolve("shop.yaml");
            String original = Files.readString(shop);
            try {
                Files.writeString(shop, original.replace("phone:      {mask: phone}", "phone:      {mask: redact}"));
                assertThat(gateway.policies().orElseThrow().reload().outcome()).isEqualTo(ReloadResult.Outcome.APPLIED);
                for (int i = 0; i < 5; i++) {
                    List<String> after = rows(lookup, 3);
                    assertThat(after).isNotEqualTo(before).singleElement().satisfies(row -> assertThat(row).contains("****"));
                }
            }
            finally {
                Files.writeString(shop, original);
                gateway.policies().orElseThrow().reload();
            }
            assertThat(rows(lookup, 3)).isEqualTo(before);
        }
    }

    @Test
    void aTransactionBlockGoesToTheWorkerAndTheCacheSettingIsObeyed()
            throws Exception
    {
        String sql = "SELECT /* loop-tx */ id, name FROM shop.customers WHERE id = ?";
        try (Connection carol = TestingGateway.connect(gateway, "carol"); PreparedStatement lookup = prepared(carol, sql);
                Statement statement = carol.createStatement()) {
            List<String> expected = rows(lookup, 4);
            rows(lookup, 4);
            carol.setAutoCommit(false);
            long pinned = cache.pinnedHits();
            long hits = cache.stats().hits();
            for (int i = 0; i < 5; i++) {
                assertThat(rows(lookup, 4)).isEqualTo(expected);
            }
            assertThat(cache.stats().hits() - hits).isEqualTo(5);
            assertThat(cache.pinnedHits()).as("no hit inside a transaction block on the event loop").isEqualTo(pinned);
            carol.commit();
            carol.setAutoCommit(true);

            statement.execute("SET sekisho.cache = off");
            hits = cache.stats().hits();
            pinned = cache.pinnedHits();
            for (int i = 0; i < 3; i++) {
                assertThat(rows(lookup, 4)).isEqualTo(expected);
            }
            assertThat(cache.stats().hits()).isEqualTo(hits);
            assertThat(cache.pinnedHits()).isEqualTo(pinned);
            statement.execute("RESET sekisho.cache");
        }
    }

    @Test
    void errorsAndCancelsBetweenHitsLeaveTheSessionUsable()
            throws Exception
    {
        String sql = "SELECT /* loop-cancel */ id, name FROM shop.customers WHERE id = ?";
        try (Connection dave = TestingGateway.connect(gateway, "dave"); PreparedStatement lookup = prepared(dave, sql);
                Statement statement = dave.createStatement()) {
            List<String> expected = rows(lookup, 5);
            rows(lookup, 5);
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM shop.no_such_table"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
            long pinned = cache.pinnedHits();
            hitsUntilOneIsAnsweredOnTheLoop(lookup, 5, expected);
            assertThat(cache.pinnedHits()).isGreaterThan(pinned);

            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService canceller = Executors.newSingleThreadExecutor();
            try {
                Future<?> cancels = canceller.submit(() -> {
                    while (running.get()) {
                        try {
                            lookup.cancel();
                            Thread.sleep(1);
                        }
                        catch (SQLException | InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
                for (int i = 0; i < 300; i++) {
                    try {
                        assertThat(rows(lookup, 5)).isEqualTo(expected);
                    }
                    catch (SQLException e) {
                        assertThat(e.getSQLState()).as(e.toString()).isEqualTo("57014");
                    }
                }
                running.set(false);
                cancels.get();
            }
            finally {
                running.set(false);
                canceller.shutdownNow();
            }
            // a cancel that came after its statement ended does nothing to the next one
            pinned = cache.pinnedHits();
            hitsUntilOneIsAnsweredOnTheLoop(lookup, 5, expected);
            assertThat(cache.pinnedHits()).isGreaterThan(pinned);
        }
    }

    @Test
    void aHitRightBehindAQueuedOrRunningStatementIsNotAnsweredAheadOfIt()
            throws Exception
    {
        try (RawClient client = new RawClient(gateway.pgPort())) {
            client.login("admin", "admin" + TestingGateway.PASSWORD_SUFFIX);
            client.send(RawClient.parse("lookup", "SELECT id, name FROM shop.customers WHERE id = $1"), RawClient.sync());
            client.readUntilReady();
            for (int id = 1; id <= 3; id++) {
                client.send(RawClient.bind("lookup", Integer.toString(id)), RawClient.execute(), RawClient.sync());
                assertThat(client.readUntilReady()).containsExactly(Integer.toString(id));
            }
            // each batch in a write of its own: hits of ids 1-3 right behind misses (ids no statement read before) that a worker runs
            List<String> sent = new ArrayList<>();
            int unseen = 10 + (int) (System.nanoTime() % 20);
            for (int i = 0; i < 40; i++) {
                String id = i % 2 == 0 ? Integer.toString(unseen + i / 2) : Integer.toString(1 + i % 3);
                sent.add(id);
                client.send(RawClient.bind("lookup", id), RawClient.execute(), RawClient.sync());
            }
            List<String> received = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                received.addAll(client.readUntilReady());
            }
            assertThat(received).isEqualTo(sent);
        }
    }

    /** A statement pgjdbc prepares at the gateway at once: its later runs are Bind/Execute/Sync. */
    private static PreparedStatement prepared(Connection connection, String sql)
            throws SQLException
    {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.unwrap(PGStatement.class).setPrepareThreshold(1);
        return statement;
    }

    /**
     * Runs the hit until one was answered on the event loop, at most 50 times, each answer checked.
     * A hit that comes while the worker has not yet let go of the session after its ReadyForQuery
     * goes to a worker (so a loaded machine may send a few there); none of 50 on the loop means the
     * loop path stopped working.
     */
    private static void hitsUntilOneIsAnsweredOnTheLoop(PreparedStatement lookup, int parameter, List<String> expected)
            throws SQLException
    {
        long pinned = cache.pinnedHits();
        for (int i = 0; i < 50 && cache.pinnedHits() == pinned; i++) {
            assertThat(rows(lookup, parameter)).isEqualTo(expected);
        }
    }

    private static List<String> rows(PreparedStatement statement, int parameter)
            throws SQLException
    {
        statement.setInt(1, parameter);
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery()) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(result.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static List<JsonNode> statementEvents(String marker, int count)
            throws IOException, InterruptedException
    {
        // the audit trail is written by its own thread: wait for the events, not for a time
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<JsonNode> found = new ArrayList<>();
            if (Files.exists(auditFile)) {
                for (String line : Files.readAllLines(auditFile, StandardCharsets.UTF_8)) {
                    JsonNode event = JSON.readTree(line);
                    if (event.get("type").asText().equals("statement") && event.get("sql").asText().contains(marker)) {
                        found.add(event);
                    }
                }
            }
            if (found.size() >= count || System.nanoTime() > deadline) {
                assertThat(found).as("statement events of " + marker).hasSize(count);
                return found;
            }
            Thread.sleep(50);
        }
    }

    /** The PostgreSQL protocol by hand, for batches pgjdbc would not send: one write per Bind/Execute/Sync without waiting for the answers. */
    private static final class RawClient
            implements AutoCloseable
    {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        RawClient(int port)
                throws IOException
        {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(60_000);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = new DataOutputStream(socket.getOutputStream());
        }

        void login(String user, String password)
                throws IOException
        {
            byte[] userBytes = user.getBytes(StandardCharsets.UTF_8);
            out.writeInt(4 + 4 + 5 + userBytes.length + 1 + 1);
            out.writeInt(196608);
            out.write("user\0".getBytes(StandardCharsets.UTF_8));
            out.write(userBytes);
            out.write(0);
            out.write(0);
            out.flush();
            expect('R');
            String clientFirstBare = "n=,r=fyko+d2lbbFgONRv9qkxdawL";
            byte[] mechanism = "SCRAM-SHA-256\0".getBytes(StandardCharsets.UTF_8);
            byte[] clientFirst = ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
            out.writeByte('p');
            out.writeInt(4 + mechanism.length + 4 + clientFirst.length);
            out.write(mechanism);
            out.writeInt(clientFirst.length);
            out.write(clientFirst);
            out.flush();
            byte[] continuation = expect('R');
            String serverFirst = new String(continuation, 4, continuation.length - 4, StandardCharsets.UTF_8);
            String[] parts = serverFirst.split(",");
            String nonce = parts[0].substring(2);
            byte[] salt = Base64.getDecoder().decode(parts[1].substring(2));
            int iterations = Integer.parseInt(parts[2].substring(2));
            ScramMechanism sha256 = ScramMechanism.SCRAM_SHA_256;
            byte[] saltedPassword = ScramFunctions.saltedPassword(sha256, StringPreparation.POSTGRESQL_PREPARATION, password.toCharArray(), salt, iterations);
            byte[] clientKey = ScramFunctions.clientKey(sha256, saltedPassword);
            String withoutProof = "c=biws,r=" + nonce;
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] proof = ScramFunctions.clientProof(clientKey, ScramFunctions.clientSignature(sha256, ScramFunctions.storedKey(sha256, clientKey), authMessage));
            byte[] clientFinal = (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
            out.writeByte('p');
            out.writeInt(4 + clientFinal.length);
            out.write(clientFinal);
            out.flush();
            readUntilReady();
        }

        /** Writes the messages in one write. */
        void send(byte[]... messages)
                throws IOException
        {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (byte[] message : messages) {
                batch.write(message);
            }
            out.write(batch.toByteArray());
            out.flush();
        }

        /** The first column of each DataRow up to the next ReadyForQuery; an ErrorResponse fails. */
        List<String> readUntilReady()
                throws IOException
        {
            List<String> values = new ArrayList<>();
            while (true) {
                char type = (char) in.readUnsignedByte();
                byte[] body = new byte[in.readInt() - 4];
                in.readFully(body);
                if (type == 'Z') {
                    return values;
                }
                if (type == 'E') {
                    throw new IllegalStateException("error: " + new String(body, StandardCharsets.UTF_8));
                }
                if (type == 'D') {
                    ByteBuffer row = ByteBuffer.wrap(body);
                    row.getShort();
                    int length = row.getInt();
                    values.add(new String(body, row.position(), length, StandardCharsets.UTF_8));
                }
            }
        }

        private byte[] expect(char expected)
                throws IOException
        {
            char type = (char) in.readUnsignedByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            if (type != expected) {
                throw new IllegalStateException("expected " + expected + " but got " + type + ": " + new String(body, StandardCharsets.UTF_8));
            }
            return body;
        }

        static byte[] parse(String name, String sql)
        {
            return message('P', body -> {
                cString(body, name);
                cString(body, sql);
                body.putShort((short) 1);
                body.putInt(23);
            });
        }

        /** Bind of the unnamed portal, one text parameter, text results. */
        static byte[] bind(String statement, String value)
        {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            return message('B', body -> {
                cString(body, "");
                cString(body, statement);
                body.putShort((short) 0);
                body.putShort((short) 1);
                body.putInt(bytes.length);
                body.put(bytes);
                body.putShort((short) 0);
            });
        }

        static byte[] execute()
        {
            return message('E', body -> {
                cString(body, "");
                body.putInt(0);
            });
        }

        static byte[] sync()
        {
            return message('S', body -> {});
        }

        private static byte[] message(char type, java.util.function.Consumer<ByteBuffer> writer)
        {
            ByteBuffer body = ByteBuffer.allocate(4096);
            writer.accept(body);
            body.flip();
            ByteBuffer message = ByteBuffer.allocate(1 + 4 + body.remaining());
            message.put((byte) type).putInt(4 + body.remaining()).put(body);
            return message.array();
        }

        private static void cString(ByteBuffer buffer, String value)
        {
            buffer.put(value.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
        }

        @Override
        public void close()
                throws IOException
        {
            socket.close();
        }
    }
}
