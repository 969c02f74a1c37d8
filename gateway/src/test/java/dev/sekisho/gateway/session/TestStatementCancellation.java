package dev.sekisho.gateway.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a CancelRequest counts: while a statement runs, and while one the client sent waits for a
 * worker; never while the session is idle, nor for the statement after one that was skipped.
 */
class TestStatementCancellation
{
    private final StatementCancellation cancellation = new StatementCancellation();

    @Test
    void idleCancelDoesNothing()
    {
        assertThat(cancellation.cancel()).isFalse();
        cancellation.statementStarted();
        SessionExecutionContext context = new SessionExecutionContext("alice", 0);
        cancellation.activate(context);
        assertThat(context.isCancelled()).isFalse();
    }

    @Test
    void cancelWhileTheStatementWaitsForAWorkerReachesItAtItsSource()
    {
        cancellation.statementReceived();
        assertThat(cancellation.cancel()).isTrue();
        cancellation.statementStarted();
        SessionExecutionContext context = new SessionExecutionContext("alice", 0);
        cancellation.activate(context);
        assertThat(context.cancelReason()).contains(StatementCancellation.USER_CANCEL);
        cancellation.statementFinished();

        // the next statement is not touched
        cancellation.statementReceived();
        cancellation.statementStarted();
        SessionExecutionContext next = new SessionExecutionContext("alice", 0);
        cancellation.activate(next);
        assertThat(next.isCancelled()).isFalse();
    }

    @Test
    void skippedStatementLeavesTheSessionIdle()
    {
        cancellation.statementReceived();
        cancellation.statementSkipped();
        assertThat(cancellation.cancel()).isFalse();
        cancellation.statementReceived();
        assertThat(cancellation.cancel()).isTrue();
        // dropped after an error: the cancel waiting for it goes too
        cancellation.statementSkipped();
        cancellation.statementStarted();
        SessionExecutionContext context = new SessionExecutionContext("alice", 0);
        cancellation.activate(context);
        assertThat(context.isCancelled()).isFalse();
    }

    @Test
    void cancelReachesTheRunningStatementNotTheOneQueuedBehindIt()
    {
        cancellation.statementReceived();
        cancellation.statementReceived();
        cancellation.statementStarted();
        SessionExecutionContext running = new SessionExecutionContext("alice", 0);
        cancellation.activate(running);
        assertThat(cancellation.cancel()).isTrue();
        assertThat(running.isCancelled()).isTrue();
        cancellation.statementFinished();

        cancellation.statementStarted();
        SessionExecutionContext queued = new SessionExecutionContext("alice", 0);
        cancellation.activate(queued);
        assertThat(queued.isCancelled()).isFalse();
    }
}
