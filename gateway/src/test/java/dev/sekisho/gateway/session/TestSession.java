package dev.sekisho.gateway.session;

import dev.sekisho.gateway.pgwire.TestingQueryPlanner;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.policies.Principal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Session behaviour that the wire tests cannot time precisely: when a cancel counts. */
class TestSession
{
    private final TestingQueryPlanner planner = new TestingQueryPlanner();

    private Session session()
    {
        return new Session(new Principal("alice", Set.of(), Map.of()), planner, List.of("shop"), Optional.empty(), Map.of());
    }

    @Test
    void cancelWhileIdleDoesNothing()
    {
        Session session = session();
        assertThat(session.cancel()).isFalse();
        session.statementStarted();
        session.parse("", "select n from series(2)", List.of());
        session.bind("", "", List.of(), List.of());
        Portal portal = session.execute("", 0);
        assertThat(portal.stream().next()).isTrue();
        session.statementFinished();
        // a cancel after the statement finished must not reach it (or the next one)
        assertThat(session.cancel()).isFalse();
        assertThat(portal.stream().next()).isTrue();
        session.close();
    }

    @Test
    void cancelBeforeTheSourceIsReachedCancelsWhenItIs()
    {
        Session session = session();
        session.statementStarted();
        session.parse("", "select n from blocking(0)", List.of());
        // the CancelRequest arrives while the statement is still being planned
        assertThat(session.cancel()).isTrue();
        session.bind("", "", List.of(), List.of());
        Portal portal = session.execute("", 0);
        assertThatThrownBy(() -> portal.stream().next())
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("57014"))
                .hasMessage("canceling statement due to user request");
        assertThat(planner.cancelActionsRun()).isEqualTo(1);
        session.statementFinished();

        // the next statement is not affected
        session.statementStarted();
        session.parse("", "select n from series(1)", List.of());
        session.bind("", "", List.of(), List.of());
        assertThat(session.execute("", 0).stream().next()).isTrue();
        session.statementFinished();
        session.close();
    }

    @Test
    void terminateCancelsEvenSuspendedPortals()
    {
        Session session = session();
        session.statementStarted();
        session.parse("", "select n from blocking(1)", List.of());
        session.bind("p", "", List.of(), List.of());
        Portal portal = session.execute("p", 1);
        assertThat(portal.stream().next()).isTrue();
        session.statementFinished();
        session.terminate();
        assertThat(planner.cancelActionsRun()).isEqualTo(1);
        session.close();
        assertThat(planner.openStreams()).isZero();
    }
}
