package dev.sekisho.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * statement_timeout against a real MariaDB, through either front door: the client gets 57014
 * "due to statement timeout", and the statement is gone from MariaDB's PROCESSLIST (cancelled at
 * the source, not abandoned there).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ParameterizedClass
@EnumSource(FrontDoor.class)
class TestStatementTimeout
{
    @Parameter
    FrontDoor frontDoor;

    /** A query MariaDB would run for hours (a three-way cross join of 10,000 orders), with a marker to find it. */
    private static final String ENDLESS = "select count(*) from shop.orders a cross join shop.orders b cross join shop.orders c "
            + "where a.id + b.id + c.id = -424242";

    @Test
    void timeoutCancelsTheStatementAtTheSource()
            throws Exception
    {
        TestingGateway gateway = TestingGateway.shared();
        try (Connection connection = frontDoor.connect(gateway.gateway(), "alice");
                Statement statement = connection.createStatement();
                Connection direct = gateway.connectDirect("shop")) {
            statement.execute("set statement_timeout = '3s'");
            long started = System.nanoTime();
            CompletableFuture<SQLException> failure = CompletableFuture.supplyAsync(() -> {
                try (ResultSet ignored = statement.executeQuery(ENDLESS)) {
                    return null;
                }
                catch (SQLException e) {
                    return e;
                }
            });
            // it reached MariaDB
            assertThat(waitForRunning(direct, true)).as("the statement runs at MariaDB").isTrue();
            SQLException e = failure.get(60, TimeUnit.SECONDS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat((Object) e).as("the statement failed").isNotNull();
            assertThat(e.getSQLState()).isEqualTo("57014");
            assertThat(e.getMessage()).contains("canceling statement due to statement timeout");
            assertThat(tookMillis).isBetween(2_900L, 30_000L);
            // and it is gone from MariaDB
            assertThat(waitForRunning(direct, false)).as("the statement is gone from MariaDB's PROCESSLIST").isTrue();
            // the session goes on
            try (ResultSet rows = statement.executeQuery("select count(*) from shop.products")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(100);
            }
            statement.execute("reset statement_timeout");
        }
    }

    /** Waits up to 20 s until the marked statement is (or is no longer) in MariaDB's PROCESSLIST. */
    private static boolean waitForRunning(Connection direct, boolean running)
            throws SQLException, InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            boolean found;
            try (Statement statement = direct.createStatement();
                    ResultSet rows = statement.executeQuery("select count(*) from information_schema.processlist "
                            + "where id <> connection_id() and command = 'Query' and info like '%424242%'")) {
                rows.next();
                found = rows.getLong(1) > 0;
            }
            if (found == running) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
