package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.pgwire.TestingQueryPlanner;
import dev.sekisho.gateway.session.Portal;
import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.policies.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The statement pipeline as a front door drives it, without any protocol: a recording sink and recording hooks. */
class TestStatementPipeline
{
    private final TestingQueryPlanner planner = new TestingQueryPlanner();
    private final List<String> events = new ArrayList<>();
    private Admission admission = statement -> {
        events.add("admit " + statement.statement().sql());
        return () -> events.add("release");
    };
    private final StatementListener listener = new StatementListener()
    {
        @Override
        public void prepared(Principal principal, PreparedStatement statement)
        {
            events.add("prepared " + principal.name() + " " + statement.sql());
        }

        @Override
        public void started(StatementInfo statement)
        {
            events.add("started " + statement.portal());
        }

        @Override
        public void suspended(StatementInfo statement, long rows)
        {
            events.add("suspended " + rows);
        }

        @Override
        public void finished(StatementInfo statement, long rows, Optional<Throwable> failure)
        {
            events.add("finished " + rows + failure.map(e -> " " + e.getClass().getSimpleName()).orElse(""));
        }
    };
    private final Sessions sessions = new Sessions(planner, SessionPolicies.disabled(), List.of("shop"),
            new StatementPipeline(statement -> admission.admit(statement), listener));
    private final ClientSession session = sessions.open(new Principal("alice", Set.of(), Map.of()), Optional.empty(), Map.of());

    @AfterEach
    void tearDown()
    {
        session.close();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void rowsStreamIntoTheSinkUpToTheRowLimit()
    {
        session.prepare("s", "select n from series(5)", List.of());
        session.bind("p", "s", List.of(), List.of());
        RecordingSink sink = new RecordingSink();
        assertThat(session.execute("p", 2, sink).proceed()).isEqualTo(StatementRun.Outcome.SUSPENDED);
        assertThat(sink.events).containsExactly("start p", "row 0", "row 1", "suspended");

        sink = new RecordingSink();
        assertThat(session.execute("p", 0, sink).proceed()).isEqualTo(StatementRun.Outcome.COMPLETED);
        assertThat(sink.events).containsExactly("start p", "row 2", "row 3", "row 4", "completed SELECT 3");
        assertThat(events).containsExactly(
                "prepared alice select n from series(5)",
                "started p", "admit select n from series(5)", "release", "suspended 2",
                "started p", "admit select n from series(5)", "release", "finished 3");
        assertThat(planner.openStreams()).isZero();
    }

    @Test
    void aSinkThatIsNotReadyPausesTheRunUntilItProceeds()
    {
        session.prepare("", "select n from series(3)", List.of());
        session.bind("", "", List.of(), List.of());
        RecordingSink sink = new RecordingSink();
        sink.readyFor = 1;
        StatementRun run = session.execute("", 0, sink);
        assertThat(run.proceed()).isEqualTo(StatementRun.Outcome.PAUSED);
        assertThat(sink.events).containsExactly("start ", "row 0");
        assertThat(events).doesNotContain("release");

        sink.readyFor = Integer.MAX_VALUE;
        assertThat(run.proceed()).isEqualTo(StatementRun.Outcome.COMPLETED);
        assertThat(sink.events).containsExactly("start ", "row 0", "row 1", "row 2", "completed SELECT 3");
        assertThat(events).endsWith("release", "finished 3");
        assertThatThrownBy(run::proceed).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCommandCompletesWithoutRows()
    {
        session.prepare("", "set application_name = 'redash'", List.of());
        session.bind("", "", List.of(), List.of());
        RecordingSink sink = new RecordingSink();
        assertThat(session.execute("", 0, sink).proceed()).isEqualTo(StatementRun.Outcome.COMPLETED);
        assertThat(sink.events).containsExactly("start ", "completed SET");
        assertThat(session.settings().show("application_name")).contains("redash");
    }

    @Test
    void admissionMayRefuseBeforeAnySourceIsReached()
    {
        admission = statement -> {
            throw new QueryException("53000", "the analysts' resource group is full");
        };
        session.prepare("", "select n from series(3)", List.of());
        session.bind("", "", List.of(), List.of());
        RecordingSink sink = new RecordingSink();
        assertThatThrownBy(() -> session.execute("", 0, sink).proceed())
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("53000"));
        assertThat(sink.events).isEmpty();
        assertThat(planner.openStreams()).isZero();
        assertThat(events).endsWith("started ", "finished 0 QueryException");
    }

    @Test
    void aFailureWhileStreamingClosesThePortalAndEndsTheRun()
    {
        session.prepare("", "select n from read_throws(npe)", List.of());
        session.bind("", "", List.of(), List.of());
        RecordingSink sink = new RecordingSink();
        assertThatThrownBy(() -> session.execute("", 0, sink).proceed()).isInstanceOf(NullPointerException.class);
        assertThat(sink.events).containsExactly("start ", "row 1");
        assertThat(events).endsWith("release", "finished 1 NullPointerException");
        assertThatThrownBy(() -> session.describePortal(""))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("34000"));
    }

    @Test
    void whatAFailingEngineOpenedIsReleased()
    {
        session.prepare("", "select n from execute_throws(npe)", List.of());
        session.bind("", "", List.of(), List.of());
        assertThatThrownBy(() -> session.execute("", 0, new RecordingSink()).proceed()).isInstanceOf(NullPointerException.class);
        assertThat(planner.heldResources()).isZero();
        assertThat(events).endsWith("release", "finished 0 NullPointerException");
    }

    @Test
    void cancelByKeyReachesTheRunningStatement()
    {
        Sessions.CancelKey key = session.cancelKey();
        assertThat(sessions.cancel(key.processId(), key.secretKey() + 1)).isFalse();
        assertThat(sessions.cancel(key.processId(), key.secretKey())).isTrue();

        session.statementStarted();
        session.prepare("", "select n from blocking(1)", List.of());
        session.bind("", "", List.of(), List.of());
        // cancelled while planning: the statement fails as soon as it reaches its source
        assertThat(session.cancel()).isTrue();
        RecordingSink sink = new RecordingSink();
        assertThatThrownBy(() -> session.execute("", 0, sink).proceed())
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
        session.statementFinished();
        assertThat(events).endsWith("finished 1 QueryException");
    }

    /** Records what a front door's encoder would write; not ready after {@code readyFor} rows. */
    private static final class RecordingSink
            implements RowSink
    {
        private final List<String> events = new ArrayList<>();
        private int readyFor = Integer.MAX_VALUE;
        private int rows;

        @Override
        public void start(Portal portal)
        {
            events.add("start " + portal.name());
        }

        @Override
        public boolean isReady()
        {
            return rows < readyFor;
        }

        @Override
        public void write(ResultRow row)
        {
            rows++;
            events.add("row " + row.value(0));
        }

        @Override
        public void suspended()
        {
            events.add("suspended");
        }

        @Override
        public void completed(String commandTag)
        {
            events.add("completed " + commandTag);
        }
    }
}
