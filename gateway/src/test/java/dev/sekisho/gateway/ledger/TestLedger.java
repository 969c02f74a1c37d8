package dev.sekisho.gateway.ledger;

import dev.sekisho.planner.spi.QueryException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ledger on its real databases: an embedded H2 file keeps every account's spend across a
 * restart; two ledgers (two gateways) sharing one PostgreSQL, with 16 clients between them,
 * never let a team spend past its allowance by more than the documented in-flight bound.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestLedger
{
    private static final String DAY = "2026-12-05";

    @TempDir
    Path directory;

    @Test
    void theEmbeddedFileKeepsSpendAcrossARestartAndRefusesWhatIsOverTheLimit()
    {
        String url = "jdbc:h2:file:" + directory.resolve("ledger") + ";DB_CLOSE_ON_EXIT=FALSE";
        List<Ledger.Charge> charges = List.of(new Ledger.Charge("user:alice", DAY, OptionalLong.of(1000), "budgets at shop.yaml:40"),
                new Ledger.Charge("team:analysts", DAY, OptionalLong.of(5000), "budgets at shop.yaml:43"));
        try (Ledger ledger = Ledger.open(url, "sa", "")) {
            Ledger.Reservation reservation = ledger.reserve(charges, 600);
            assertThat(reservation.remaining()).hasValue(1000);
            assertThat(ledger.usage("user:alice", DAY)).isEqualTo(new Ledger.Usage("user:alice", DAY, 0, 600));
            // the source billed less than the estimate: the ledger is charged what was billed
            reservation.settle(550);
            assertThat(ledger.usage("user:alice", DAY)).isEqualTo(new Ledger.Usage("user:alice", DAY, 550, 0));
        }
        try (Ledger restarted = Ledger.open(url, "sa", "")) {
            assertThat(restarted.usage("user:alice", DAY).spent()).isEqualTo(550);
            assertThat(restarted.usage("team:analysts", DAY).spent()).isEqualTo(550);
            assertThatThrownBy(() -> restarted.reserve(charges, 600))
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("53400"))
                    .hasMessage("statement would read 600 bytes by its dry run, but user:alice has 450 bytes left today (2026-12-05): "
                            + "1.0 KB (1,000 bytes) per day (budgets at shop.yaml:40), 550 bytes spent, 0 bytes reserved by statements running");
            Ledger.Reservation rest = restarted.reserve(charges, 450);
            assertThat(rest.remaining()).hasValue(450);
            rest.settle(450);
            assertThat(restarted.usage("user:alice", DAY).spent()).isEqualTo(1000);
        }
    }

    /**
     * 16 clients, half on each of two ledgers sharing one PostgreSQL, spend a team's 10,000-byte
     * allowance with statements estimated at 100 to 400 bytes and billed up to 25% more than
     * estimated (never more than their maximumBytesBilled). The documented bound: the team ends at
     * most the sum of (billed - reserved) of statements in flight together over its limit; with 16
     * clients and at most 25% over an estimate of at most 400 bytes, below 16 x 100 bytes.
     */
    @Test
    void twoGatewaysSharingPostgresqlStayWithinTheInFlightBound()
            throws Exception
    {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            long limit = 10_000;
            List<Ledger.Charge> charges = List.of(new Ledger.Charge("team:analysts", DAY, OptionalLong.of(limit), "budgets at shop.yaml:43"));
            AtomicLong billedTotal = new AtomicLong();
            AtomicLong overReservation = new AtomicLong();
            try (Ledger first = Ledger.open(url, "postgres", "postgres"); Ledger second = Ledger.open(url, "postgres", "postgres")) {
                ExecutorService clients = Executors.newFixedThreadPool(16);
                List<Future<Integer>> runs = new ArrayList<>();
                for (int client = 0; client < 16; client++) {
                    Ledger ledger = client % 2 == 0 ? first : second;
                    runs.add(clients.submit(() -> {
                        int admitted = 0;
                        for (int attempt = 0; attempt < 40; attempt++) {
                            long estimate = ThreadLocalRandom.current().nextLong(100, 401);
                            Ledger.Reservation reservation;
                            try {
                                reservation = ledger.reserve(charges, estimate);
                            }
                            catch (QueryException refused) {
                                assertThat(refused.sqlState()).isEqualTo("53400");
                                continue;
                            }
                            admitted++;
                            long billed = Math.min(estimate + ThreadLocalRandom.current().nextLong(0, estimate / 4 + 1), reservation.remaining().orElseThrow());
                            overReservation.accumulateAndGet(billed - estimate, Math::max);
                            billedTotal.addAndGet(billed);
                            reservation.settle(billed);
                        }
                        return admitted;
                    }));
                }
                int admitted = 0;
                for (Future<Integer> run : runs) {
                    admitted += run.get(100, TimeUnit.SECONDS);
                }
                clients.shutdown();
                assertThat(admitted).isGreaterThan(20);
                Ledger.Usage usage = first.usage("team:analysts", DAY);
                assertThat(usage.reserved()).isZero();
                assertThat(usage.spent()).isEqualTo(billedTotal.get());
                // the documented bound: in-flight statements x the most one is billed over its reservation
                assertThat(usage.spent()).isLessThanOrEqualTo(limit + 16 * overReservation.get());
                assertThat(usage.spent()).isGreaterThan(limit - 400);
            }
        }
    }
}
