package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.NonBlockingRun;
import dev.sekisho.planner.spi.ResultStream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Running statements both ways for the non-blocking tests: {@code execute} on the test's thread,
 * {@code startWithoutBlocking} on a {@link TestingEventLoop}, rows as lists (byte arrays as hex, so
 * that rows compare by content), and waiting for a condition without fixed sleeps.
 */
final class TestingNonBlockingRuns
{
    static final Duration AWAIT = Duration.ofSeconds(20);

    private TestingNonBlockingRuns() {}

    static List<List<Object>> jdbcRows(Connector connector, BackendQuery query)
    {
        try (ResultStream stream = connector.execute(query, new TestingExecutionContext())) {
            return rows(stream);
        }
    }

    static List<List<Object>> rows(ResultStream stream)
    {
        List<List<Object>> rows = new ArrayList<>();
        while (stream.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 0; i < stream.columns().size(); i++) {
                Object value = stream.value(i);
                // arrays compare by content
                row.add(value instanceof byte[] bytes ? "bytes:" + HexFormat.of().formatHex(bytes) : value);
            }
            rows.add(row);
        }
        return rows;
    }

    static Optional<NonBlockingRun> start(Connector connector, TestingEventLoop io, BackendQuery query)
            throws Exception
    {
        return io.call(() -> connector.startWithoutBlocking(query, io));
    }

    static Optional<List<List<Object>>> result(NonBlockingRun run)
            throws Exception
    {
        Optional<ResultStream> stream = run.result().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (stream.isEmpty()) {
            return Optional.empty();
        }
        try (ResultStream rows = stream.get()) {
            return Optional.of(rows(rows));
        }
    }

    /** The rows of a run that must not decline. */
    static List<List<Object>> nonBlocking(Connector connector, TestingEventLoop io, BackendQuery query)
            throws Exception
    {
        NonBlockingRun run = start(connector, io, query).orElseThrow(() -> new AssertionError("declined: " + query.sql()));
        return result(run).orElseThrow(() -> new AssertionError("completed empty: " + query.sql()));
    }

    /** The rows of the first run that does not decline or complete empty (the server's session is read once, on another thread). */
    static List<List<Object>> awaitNonBlocking(Connector connector, TestingEventLoop io, BackendQuery query)
            throws Exception
    {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<NonBlockingRun> run = start(connector, io, query);
            if (run.isPresent()) {
                Optional<List<List<Object>>> rows = result(run.get());
                if (rows.isPresent()) {
                    return rows.get();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no non-blocking run succeeded within " + AWAIT + ": " + query.sql());
    }

    interface Condition
    {
        boolean holds()
                throws Exception;
    }

    static void awaitTrue(Condition condition, String what)
            throws Exception
    {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + AWAIT + ": " + what);
            }
            Thread.sleep(20);
        }
    }

}
