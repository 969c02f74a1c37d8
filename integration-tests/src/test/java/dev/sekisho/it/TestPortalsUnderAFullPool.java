package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.planner.spi.ServerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions that hold every source connection (suspended portals, as a driver's fetch size leaves
 * them) must go on while more statements than there are workers wait for a connection: the soak's
 * 200 clients once fell to two statements a second because the holders' next Execute queued behind
 * workers that waited for the connections those holders held, until the pool's wait timed out.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public class TestPortalsUnderAFullPool
{
    private static final int HOLDERS = 2;
    /** More than the test gateway's 16 workers: every worker ends up waiting for a connection. */
    private static final int WAITERS = 20;
    private static final String SCAN = "select id, customer_id, amount from shop.orders order by id";

    @Test
    public void holdersOfEveryConnectionFinishWhileEveryWorkerWaitsForOne()
            throws Exception
    {
        TestingGateway shared = TestingGateway.shared();
        // the wait is long: without the fix the waiters fail only when it ends (53300)
        try (Gateway gateway = shared.startGatewayWithPool("{max_size: 2, min_idle: 0, connection_timeout_ms: 20000, extra_connection_wait_ms: 300}", null)) {
            long orders;
            try (Connection probe = TestingGateway.connect(gateway, "admin", "admin" + TestingGateway.PASSWORD_SUFFIX)) {
                orders = QueryAssertions.rows(probe, "select count(*) from shop.orders").get(0).get(0) instanceof Number n ? n.longValue() : -1;
            }
            List<Connection> holders = new ArrayList<>();
            List<Statement> statements = new ArrayList<>();
            List<ResultSet> results = new ArrayList<>();
            ExecutorService waiters = Executors.newFixedThreadPool(WAITERS);
            try {
                for (int i = 0; i < HOLDERS; i++) {
                    Connection holder = TestingGateway.connect(gateway, "admin", "admin" + TestingGateway.PASSWORD_SUFFIX);
                    holders.add(holder);
                    holder.setAutoCommit(false);
                    Statement statement = holder.createStatement();
                    statement.setFetchSize(50);
                    statements.add(statement);
                    ResultSet rows = statement.executeQuery(SCAN);
                    assertThat(rows.next()).isTrue();
                    results.add(rows);
                }
                awaitSource(gateway, status -> status.activeConnections() == HOLDERS);

                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                List<Future<?>> waiting = new ArrayList<>();
                for (int i = 0; i < WAITERS; i++) {
                    int id = i + 1;
                    waiting.add(waiters.submit(() -> {
                        try (Connection client = TestingGateway.connect(gateway, "admin", "admin" + TestingGateway.PASSWORD_SUFFIX)) {
                            List<List<Object>> rows = QueryAssertions.rows(client, "select id from shop.customers where id = " + id);
                            if (rows.size() != 1) {
                                failures.add("customer " + id + ": " + rows);
                            }
                        }
                        catch (SQLException e) {
                            failures.add("customer " + id + ": " + e.getSQLState() + " " + e.getMessage());
                        }
                        return null;
                    }));
                }
                // every worker now waits for one of the two connections the holders have
                awaitSource(gateway, status -> status.waitingStatements() >= 16);

                for (ResultSet rows : results) {
                    long read = 1;
                    while (rows.next()) {
                        read++;
                    }
                    assertThat(read).isEqualTo(orders);
                }
                for (Connection holder : holders) {
                    holder.commit();
                }
                for (Future<?> future : waiting) {
                    future.get(60, TimeUnit.SECONDS);
                }
                assertThat(failures).as("statements that waited for a connection the holders gave back").isEmpty();
            }
            finally {
                waiters.shutdownNow();
                for (Connection holder : holders) {
                    holder.close();
                }
            }
        }
    }

    /** Waits until a server of source {@code shop} matches {@code condition} (30 s at most). */
    static void awaitSource(Gateway gateway, java.util.function.Predicate<ServerStatus> condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (gateway.servers("shop").stream().noneMatch(condition)) {
            assertThat(System.nanoTime()).as("source shop never matched: %s", gateway.servers("shop")).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
