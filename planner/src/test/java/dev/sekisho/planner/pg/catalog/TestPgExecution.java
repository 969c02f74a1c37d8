package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.testing.TestingCorpusConnector;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPgExecution
{
    private final CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(new TestingCorpusConnector()), PlannerOptions.defaults());
    private final SessionContext session = new SessionContext("alice", List.of("public"));

    @Test
    void pgSleepStopsWhenCancelled()
    {
        PreparedQuery query = planner.prepare("select pg_sleep(5)", List.of(), session);
        assertThat(query.isFullyPushedDown()).isFalse();
        CancellableContext context = new CancellableContext();
        ScheduledExecutorService canceller = Executors.newSingleThreadScheduledExecutor();
        try {
            canceller.schedule(context::cancel, 200, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            assertThatThrownBy(() -> TestClientCorpus.readAll(query.execute(List.of(), context)))
                    .isInstanceOfSatisfying(QueryException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo("57014");
                        assertThat(e.getMessage()).isEqualTo("canceling statement due to user request");
                    });
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
        }
        finally {
            canceller.shutdownNow();
        }
    }

    @Test
    void pgSleepReturnsWhenNotCancelled()
    {
        PreparedQuery query = planner.prepare("select pg_sleep(0.05)", List.of(), session);
        assertThat(TestClientCorpus.readAll(query.execute(List.of(), new CancellableContext()))).containsExactly(List.of(""));
    }

    @Test
    void localRowsStopAfterCancel()
    {
        PreparedQuery query = planner.prepare("select relname from pg_class", List.of(), session);
        CancellableContext context = new CancellableContext();
        try (ResultStream rows = query.execute(List.of(), context)) {
            assertThat(rows.next()).isTrue();
            context.cancel();
            assertThatThrownBy(rows::next)
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
        }
    }

    private static final class CancellableContext
            implements ExecutionContext
    {
        private final AtomicBoolean cancelled = new AtomicBoolean();

        void cancel()
        {
            cancelled.set(true);
        }

        @Override
        public String user()
        {
            return "alice";
        }

        @Override
        public Registration onCancel(Runnable action)
        {
            return () -> {};
        }

        @Override
        public boolean isCancelled()
        {
            return cancelled.get();
        }

        @Override
        public Optional<String> cancelReason()
        {
            return cancelled.get() ? Optional.of("canceling statement due to user request") : Optional.empty();
        }
    }
}
