package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.pgwire.TestingNonBlockingConnector;
import dev.sekisho.gateway.pgwire.TestingNonBlockingConnector.HeldRun;
import dev.sekisho.gateway.pgwire.TestingNonBlockingConnector.Mode;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.gateway.sourceio.EventLoopIos;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.EventLoopIo;
import dev.sekisho.policies.Principal;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A statement started at its source on an I/O thread ({@link ClientSession#startWithoutWorker}),
 * whatever happens to it before its messages are handled: a close while it waits cancels the run and
 * gives back the permit, rows that arrive after the close are closed, a decline is reported as such,
 * and a cancel of the session while it waits ends the run with rows (the cancel's 57014).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestSourceAnswer
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestingNonBlockingConnector source = new TestingNonBlockingConnector();
    private final AtomicInteger openPermits = new AtomicInteger();
    private EventLoopGroup group;
    private EventLoopIo io;
    private ClientSession session;

    @BeforeEach
    void start()
            throws Exception
    {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        io = new EventLoopIos(() -> NioSocketChannel.class).of(group.next());
        Admission admission = new Admission()
        {
            @Override
            public Permit admit(StatementInfo statement)
            {
                openPermits.incrementAndGet();
                return openPermits::decrementAndGet;
            }

            @Override
            public Optional<Permit> admitAtOnce(StatementInfo statement)
            {
                return Optional.of(admit(statement));
            }
        };
        Sessions sessions = new Sessions(new CalciteQueryPlanner(List.of(source), PlannerOptions.defaults()), SessionPolicies.disabled(), List.of("shop"),
                new StatementPipeline(admission, StatementListener.NONE), Limits.NONE, SessionListener.NONE, Optional.empty(), List.of(source));
        session = sessions.open(new Principal("alice", Set.of(), Map.of()), Optional.empty(), Map.of());
        session.prepare("lookup", "select id, name from customers where id = $1", List.of());
    }

    @AfterEach
    void stop()
            throws Exception
    {
        onLoop(() -> {
            session.close();
            return null;
        });
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private <T> T onLoop(Callable<T> call)
            throws Exception
    {
        return group.next().submit(call).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private SourceAnswer started()
            throws Exception
    {
        return onLoop(() -> session.startWithoutWorker(session.describeStatement("lookup"), List.of(1), io).orElseThrow());
    }

    @Test
    void aCloseWhileItWaitsCancelsTheRunAndGivesBackThePermit()
            throws Exception
    {
        source.mode(Mode.HELD);
        SourceAnswer answer = started();
        HeldRun run = source.nextHeld(WAIT);
        assertThat(run).isNotNull();
        CompletableFuture<SourceAnswer.Outcome> outcome = new CompletableFuture<>();
        onLoop(() -> {
            answer.whenDone(outcome::complete);
            return null;
        });
        assertThat(openPermits).hasValue(1);
        onLoop(() -> {
            answer.close();
            return null;
        });
        assertThat(run.outcome()).isCompletedExceptionally();
        assertThat(openPermits).hasValue(0);
        // the completion's own task has run by now: a closed answer reports nothing
        onLoop(() -> null);
        assertThat(outcome).isNotDone();
    }

    @Test
    void rowsThatArriveAfterTheCloseAreClosed()
            throws Exception
    {
        source.mode(Mode.ROWS_NOW);
        onLoop(() -> {
            // the rows arrived already, their outcome waits for its own task on the loop: the close comes first
            session.startWithoutWorker(session.describeStatement("lookup"), List.of(1), io).orElseThrow().close();
            return null;
        });
        onLoop(() -> null);
        assertThat(openPermits).hasValue(0);
        assertThatThrownBy(() -> source.lastRun().given().next()).as("the rows were closed").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDeclineIsReportedAndItsPermitGoesBackWithTheAnswer()
            throws Exception
    {
        source.mode(Mode.DECLINE_LATER);
        SourceAnswer answer = started();
        CompletableFuture<SourceAnswer.Outcome> outcome = new CompletableFuture<>();
        onLoop(() -> {
            answer.whenDone(outcome::complete);
            return null;
        });
        assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(SourceAnswer.Outcome.DECLINED);
        assertThat(openPermits).hasValue(1);
        onLoop(() -> {
            answer.close();
            return null;
        });
        assertThat(openPermits).hasValue(0);
    }

    @Test
    void aCancelOfTheSessionWhileItWaitsEndsTheRunWithTheCancelsRows()
            throws Exception
    {
        source.mode(Mode.HELD);
        // the front door received the Execute that waits for these rows
        session.statementReceived();
        SourceAnswer answer = started();
        HeldRun run = source.nextHeld(WAIT);
        assertThat(run).isNotNull();
        CompletableFuture<SourceAnswer.Outcome> outcome = new CompletableFuture<>();
        onLoop(() -> {
            answer.whenDone(outcome::complete);
            return null;
        });
        // a CancelRequest comes on another connection's thread
        assertThat(session.cancel()).isTrue();
        assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(SourceAnswer.Outcome.ROWS);
        assertThat(run.outcome()).isCompletedExceptionally();
        assertThat(source.cancels()).isEqualTo(1);
        onLoop(() -> {
            answer.close();
            return null;
        });
        session.statementSkipped();
        assertThat(openPermits).hasValue(0);
    }
}
