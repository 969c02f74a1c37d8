package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
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
 * The Avatica door's {@link TestPortalsUnderAFullPool}: Avatica connections whose results stay open
 * between fetches hold every source connection, and their next fetch must go on while more
 * statements than there are workers wait for a connection. Were the fetch queued behind those
 * workers, each side would wait for the other until the pool's wait ran out (53300).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public class TestAvaticaResultsUnderAFullPool
{
    private static final int HOLDERS = 2;
    /** More than the test gateway's 16 workers: every worker ends up waiting for a connection. */
    private static final int WAITERS = 20;
    private static final String SCAN = "select id, customer_id, amount from shop.orders order by id";

    @Test
    public void fetchesOfOpenResultsFinishWhileEveryWorkerWaitsForAConnection()
            throws Exception
    {
        TestingGateway shared = TestingGateway.shared();
        // the wait is long: without holder threads the waiters fail only when it ends (53300)
        try (Gateway gateway = shared.startGatewayWithPool("{max_size: 2, min_idle: 0, connection_timeout_ms: 20000, extra_connection_wait_ms: 300}", null)) {
            long orders;
            try (Connection probe = TestingGateway.connect(gateway, "admin", "admin" + TestingGateway.PASSWORD_SUFFIX)) {
                orders = QueryAssertions.rows(probe, "select count(*) from shop.orders").get(0).get(0) instanceof Number n ? n.longValue() : -1;
            }
            List<Connection> holders = new ArrayList<>();
            List<ResultSet> results = new ArrayList<>();
            ExecutorService waiters = Executors.newFixedThreadPool(WAITERS);
            try {
                for (int i = 0; i < HOLDERS; i++) {
                    Connection holder = TestingGateway.connectAvatica(gateway, "admin");
                    holders.add(holder);
                    Statement statement = holder.createStatement();
                    statement.setFetchSize(50);
                    ResultSet rows = statement.executeQuery(SCAN);
                    assertThat(rows.next()).isTrue();
                    results.add(rows);
                }
                TestPortalsUnderAFullPool.awaitSource(gateway, status -> status.activeConnections() == HOLDERS);

                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                List<Future<?>> waiting = new ArrayList<>();
                for (int i = 0; i < WAITERS; i++) {
                    int id = i + 1;
                    waiting.add(waiters.submit(() -> {
                        try (Connection client = TestingGateway.connectAvatica(gateway, "admin")) {
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
                TestPortalsUnderAFullPool.awaitSource(gateway, status -> status.waitingStatements() >= 16);

                for (ResultSet rows : results) {
                    long read = 1;
                    while (rows.next()) {
                        read++;
                    }
                    assertThat(read).isEqualTo(orders);
                    rows.close();
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
}
