package dev.sekisho.gateway.pgwire;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The idle timeouts on the event loop's clock: expiry, a busy session, a changed timeout, cancel. */
class TestIdleSessionTimer
{
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private long received;
    private final List<Boolean> expired = new ArrayList<>();
    private final IdleSessionTimer timer = new IdleSessionTimer(channel.eventLoop(), () -> received, expired::add);

    @BeforeEach
    void freezeTime()
    {
        // only advance() moves the event loop's clock: a loaded machine's real time between two calls must not count
        channel.freezeTime();
    }

    @AfterEach
    void tearDown()
    {
        channel.finishAndReleaseAll();
    }

    @Test
    void expiresOnceWhenTheClientStaysSilentForTheTimeout()
    {
        timer.ready(Duration.ofSeconds(2), false, 0);
        advance(1999);
        assertThat(expired).isEmpty();
        advance(1);
        assertThat(expired).containsExactly(false);
        advance(10_000);
        assertThat(expired).containsExactly(false);
    }

    @Test
    void theWaitStartsAgainAtEachReadyForQuery()
    {
        timer.ready(Duration.ofSeconds(2), false, 0);
        // many statements, each one message and one ReadyForQuery, the last at 1.9 s
        for (int statement = 1; statement <= 19; statement++) {
            advance(100);
            received++;
            timer.ready(Duration.ofSeconds(2), statement % 2 == 0, received);
        }
        advance(1999);
        assertThat(expired).isEmpty();
        advance(1);
        // the last ReadyForQuery says which timeout it was
        assertThat(expired).containsExactly(false);
    }

    @Test
    void aSessionBusyWithAStatementIsNotIdle()
    {
        timer.ready(Duration.ofSeconds(2), false, 0);
        // a message came and its statement runs for a minute
        received++;
        advance(60_000);
        assertThat(expired).isEmpty();
        timer.ready(Duration.ofSeconds(2), true, received);
        advance(1999);
        assertThat(expired).isEmpty();
        advance(1);
        assertThat(expired).containsExactly(true);
    }

    @Test
    void aShorterTimeoutHoldsFromTheNextReadyForQuery()
    {
        timer.ready(Duration.ofMinutes(10), false, 0);
        advance(1000);
        received++;
        timer.ready(Duration.ofSeconds(1), false, received);
        advance(999);
        assertThat(expired).isEmpty();
        advance(1);
        assertThat(expired).containsExactly(false);
    }

    @Test
    void aLongerTimeoutHoldsFromTheNextReadyForQuery()
    {
        timer.ready(Duration.ofSeconds(1), false, 0);
        received++;
        timer.ready(Duration.ofSeconds(5), false, received);
        advance(4999);
        assertThat(expired).isEmpty();
        advance(1);
        assertThat(expired).containsExactly(false);
    }

    @Test
    void noTimeoutMeansNoExpiry()
    {
        timer.ready(Duration.ofSeconds(1), true, 0);
        received++;
        timer.ready(Duration.ZERO, false, received);
        advance(60_000);
        assertThat(expired).isEmpty();
        // and a timeout set again counts from its ReadyForQuery
        received++;
        timer.ready(Duration.ofSeconds(1), false, received);
        advance(1000);
        assertThat(expired).containsExactly(false);
    }

    @Test
    void aCancelledTimerNeverExpires()
    {
        timer.ready(Duration.ofSeconds(1), false, 0);
        timer.cancel();
        advance(60_000);
        timer.ready(Duration.ofSeconds(1), false, 0);
        advance(60_000);
        assertThat(expired).isEmpty();
    }

    private void advance(long millis)
    {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
    }
}
