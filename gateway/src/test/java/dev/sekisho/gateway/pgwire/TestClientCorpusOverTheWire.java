package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.testing.TestingClientCorpus;
import dev.sekisho.planner.testing.TestingClientCorpus.Entry;
import dev.sekisho.planner.testing.TestingClientCorpus.Field;
import dev.sekisho.planner.testing.TestingCorpusConnector;
import dev.sekisho.policies.Principal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends every entry of the client corpus ({@code shared/clients/*.sql}) to a real {@link PgServer}
 * as the simple Query message a client sends, one connection per client file and the entries in
 * order (cursors, savepoints and transactions carry over from entry to entry as they do for the
 * client), against the planner over the corpus's fixture. Each answer is checked against the
 * entry's {@code expects} line: an ErrorResponse with a fitting SQLSTATE where PostgreSQL errs;
 * otherwise no error, the CommandComplete tags it names, the RowDescription (labels and type OIDs),
 * EmptyQueryResponse, the transaction status of ReadyForQuery, and the row count of what the
 * gateway answers itself (SHOW). Row counts of catalog queries are the planner's corpus test's.
 */
class TestClientCorpusOverTheWire
{
    private static final String PASSWORD = "corpus-secret";
    private static final Pattern COMMAND_COMPLETE = Pattern.compile("CommandComplete '([^']+)'");
    private static final Pattern READY_IN_TRANSACTION = Pattern.compile("ReadyForQuery(?: status)? ?\\(?'?T'?\\)?");
    /** SQLSTATEs that say "Sekisho failed" rather than "this statement is wrong". */
    private static final Set<String> INTERNAL_ERRORS = Set.of("XX000", "XX001", "58000");

    /** One result of a simple Query: a row set or command, an error, or an empty query. */
    record Result(List<Field> fields, int rows, String tag, String sqlState, String message, boolean empty) {}

    record Answer(List<Result> results, char status) {}

    @Test
    void everyEntryOverTheWire()
            throws Exception
    {
        Optional<Path> directory = TestingClientCorpus.directory();
        if (directory.isEmpty()) {
            System.out.println("TestClientCorpusOverTheWire skipped: no ../shared/clients directory beside the repository");
            Assumptions.abort("client corpus not found");
        }
        Map<String, List<Entry>> byFile = new LinkedHashMap<>();
        for (Entry entry : TestingClientCorpus.entries(directory.get())) {
            byFile.computeIfAbsent(entry.file(), file -> new ArrayList<>()).add(entry);
        }

        ThreadPoolExecutor workers = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(100));
        UserStore users = UserStore.of(Map.of(TestingClientCorpus.SESSION_USER, new UserRecord(new Principal(TestingClientCorpus.SESSION_USER, Set.of(), Map.of()),
                ScramVerifier.create(PASSWORD.toCharArray()))));
        CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(new TestingCorpusConnector()), PlannerOptions.defaults());
        List<String> failures = new ArrayList<>();
        int checked = 0;
        try (PgServer server = new PgServer(PgServerOptions.defaults().withPort(0), users, planner, workers, List.of("public"))) {
            int port = server.start();
            Map<Long, Long> oids = fixtureOids(port);
            for (Map.Entry<String, List<Entry>> file : byFile.entrySet()) {
                try (TestingPgSocketClient client = new TestingPgSocketClient(port)) {
                    client.login(TestingClientCorpus.SESSION_USER, PASSWORD);
                    for (Entry entry : file.getValue()) {
                        client.query(TestingClientCorpus.withOids(entry.sql(), oids));
                        Answer answer = read(client);
                        checked++;
                        check(entry, answer).ifPresent(reason -> failures.add("%s: %s%n    %s".formatted(entry.id(), reason, abbreviate(entry.sql()))));
                    }
                }
            }
        }
        finally {
            workers.shutdownNow();
        }
        String report = "Client corpus over the wire: %d entries, %d fail%n%s".formatted(checked, failures.size(), String.join("\n", failures));
        System.out.println(report);
        assertThat(checked).isGreaterThan(100);
        assertThat(failures).as(report).isEmpty();
    }

    private static Optional<String> check(Entry entry, Answer answer)
    {
        List<Result> results = answer.results();
        Optional<Result> internal = results.stream().filter(result -> result.sqlState() != null && INTERNAL_ERRORS.contains(result.sqlState())).findFirst();
        if (internal.isPresent()) {
            return Optional.of("internal error " + internal.get().sqlState() + " " + internal.get().message());
        }
        Optional<Result> error = results.stream().filter(result -> result.sqlState() != null).findFirst();
        String expects = entry.expects();
        String described = expects.contains("|") ? expects.substring(0, expects.indexOf('|')) : expects;
        List<String> tags = new ArrayList<>();
        Matcher tag = COMMAND_COMPLETE.matcher(described.isBlank() ? expects : described);
        while (tag.find()) {
            tags.add(tag.group(1));
        }
        if (entry.expectsError()) {
            if (error.isPresent()) {
                Optional<String> expected = entry.expectedSqlState();
                if (expected.isPresent() && !expected.get().equals(error.get().sqlState())) {
                    return Optional.of("SQLSTATE %s (%s), expected %s".formatted(error.get().sqlState(), error.get().message(), expected.get()));
                }
                return Optional.empty();
            }
            // the line's first half may name the answer PostgreSQL gives where the fixture's circumstances differ
            // (a DROP of the temporary table a rolled-back probe created): that answer is fine too
            if (!tags.isEmpty() && tagsMatch(tags, results)) {
                return Optional.empty();
            }
            return Optional.of("PostgreSQL answers with an error; Sekisho answered " + describe(results));
        }
        if (error.isPresent()) {
            // a statement on an object the fixture lacks fails in PostgreSQL as it does here
            if (expects.contains("fixture lacks") && error.get().sqlState().equals("42P01")) {
                return Optional.empty();
            }
            return Optional.of("error " + error.get().sqlState() + " " + error.get().message());
        }
        if (expects.contains("EmptyQueryResponse")) {
            return results.size() == 1 && results.get(0).empty() ? Optional.empty() : Optional.of("expected EmptyQueryResponse, got " + describe(results));
        }
        if (!tags.isEmpty() && !tagsMatch(tags, results)) {
            return Optional.of("CommandComplete tags " + results.stream().map(Result::tag).toList() + ", expected " + tags);
        }
        if (READY_IN_TRANSACTION.matcher(expects).find() && answer.status() != 'T') {
            return Optional.of("ReadyForQuery status " + answer.status() + ", expected T");
        }
        Optional<List<Field>> fields = entry.expectedFields();
        if (fields.isPresent()) {
            Optional<Result> described1 = results.stream().filter(result -> result.fields() != null).reduce((first, second) -> second);
            if (described1.isEmpty()) {
                return Optional.of("no RowDescription, expected " + fields.get());
            }
            if (!described1.get().fields().equals(fields.get())) {
                return Optional.of("RowDescription " + described1.get().fields() + ", expected " + fields.get());
            }
            OptionalInt rows = entry.expectedShapeRows();
            String last = results.get(results.size() - 1).tag();
            if (rows.isPresent() && last != null && last.startsWith("SHOW") && described1.get().rows() != rows.getAsInt()) {
                return Optional.of(described1.get().rows() + " rows, expected " + rows.getAsInt());
            }
        }
        else if (expects.contains("no RowDescription") && results.stream().anyMatch(result -> result.fields() != null)) {
            return Optional.of("RowDescription sent where PostgreSQL sends none");
        }
        return Optional.empty();
    }

    /** Every expected tag is answered, in order ({@code n} and {@code N} stand for a count). */
    private static boolean tagsMatch(List<String> expected, List<Result> results)
    {
        int next = 0;
        for (Result result : results) {
            if (next < expected.size() && result.tag() != null
                    && result.tag().matches(Pattern.quote(expected.get(next)).replaceAll(" [nN]\\\\E$", "\\\\E \\\\d+"))) {
                next++;
            }
        }
        return next == expected.size();
    }

    private static Map<Long, Long> fixtureOids(int port)
            throws IOException
    {
        Map<Long, Long> oids = new LinkedHashMap<>();
        try (TestingPgSocketClient client = new TestingPgSocketClient(port)) {
            client.login(TestingClientCorpus.SESSION_USER, PASSWORD);
            for (Map.Entry<Long, String> query : TestingClientCorpus.FIXTURE_OID_QUERIES.entrySet()) {
                client.query(query.getValue());
                String value = null;
                TestingPgSocketClient.Message message;
                while ((message = client.next()).type() != 'Z') {
                    if (message.type() == 'D') {
                        ByteBuffer body = ByteBuffer.wrap(message.body());
                        body.getShort();
                        byte[] text = new byte[body.getInt()];
                        body.get(text);
                        value = new String(text, StandardCharsets.UTF_8);
                    }
                }
                oids.put(query.getKey(), Long.parseLong(value));
            }
        }
        return oids;
    }

    private static Answer read(TestingPgSocketClient client)
            throws IOException
    {
        List<Result> results = new ArrayList<>();
        List<Field> fields = null;
        int rows = 0;
        while (true) {
            TestingPgSocketClient.Message message = client.next();
            ByteBuffer body = ByteBuffer.wrap(message.body());
            switch (message.type()) {
                case 'T' -> {
                    fields = new ArrayList<>();
                    int count = body.getShort();
                    for (int i = 0; i < count; i++) {
                        String name = string(body);
                        body.getInt();
                        body.getShort();
                        int oid = body.getInt();
                        body.getShort();
                        body.getInt();
                        body.getShort();
                        fields.add(new Field(name, oid));
                    }
                    rows = 0;
                }
                case 'D' -> rows++;
                case 'C' -> {
                    results.add(new Result(fields, rows, string(body), null, null, false));
                    fields = null;
                    rows = 0;
                }
                case 'I' -> results.add(new Result(null, 0, null, null, null, true));
                case 'E' -> {
                    String sqlState = null;
                    String text = null;
                    for (byte code = body.get(); code != 0; code = body.get()) {
                        String value = string(body);
                        if (code == 'C') {
                            sqlState = value;
                        }
                        else if (code == 'M') {
                            text = value;
                        }
                    }
                    results.add(new Result(null, 0, null, sqlState, text, false));
                    fields = null;
                }
                case 'Z' -> {
                    return new Answer(results, (char) body.get());
                }
                default -> { } // NoticeResponse, ParameterStatus
            }
        }
    }

    private static String string(ByteBuffer body)
    {
        int start = body.position();
        while (body.get() != 0) {
            // up to the terminator
        }
        return new String(body.array(), start, body.position() - start - 1, StandardCharsets.UTF_8);
    }

    private static String describe(List<Result> results)
    {
        return results.stream().map(result -> result.empty() ? "EmptyQueryResponse" : result.tag() != null ? result.tag() : "ERROR " + result.sqlState()).toList().toString();
    }

    private static String abbreviate(String sql)
    {
        String flat = sql.replaceAll("\\s+", " ");
        return flat.substring(0, Math.min(140, flat.length()));
    }
}
