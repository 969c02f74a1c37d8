package dev.sekisho.gateway.execution;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway-wide budget of bytes read ahead: reservations within the total succeed, one beyond it
 * is refused without reserving anything (a session then does not read ahead, it never waits),
 * bytes given back make room again, and giving back more than was reserved is a bug that shows.
 */
class TestReadAheadBudget
{
    @Test
    void reservesWithinTheTotalOnly()
    {
        ReadAheadBudget budget = new ReadAheadBudget(100);
        assertThat(budget.isEnabled()).isTrue();
        assertThat(budget.tryReserve(60)).isTrue();
        assertThat(budget.tryReserve(41)).as("beyond the total").isFalse();
        assertThat(budget.usedBytes()).as("a refused reservation takes nothing").isEqualTo(60);
        assertThat(budget.tryReserve(40)).isTrue();
        assertThat(budget.usedBytes()).isEqualTo(100);
        assertThat(budget.tryReserve(1)).isFalse();

        budget.release(30);
        assertThat(budget.tryReserve(30)).isTrue();
        budget.release(100);
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void aRowBeyondTheReservationIsCountedAndHoldsBackFurtherReservations()
    {
        ReadAheadBudget budget = new ReadAheadBudget(100);
        assertThat(budget.tryReserve(90)).isTrue();
        budget.reserveKept(30);
        assertThat(budget.usedBytes()).isEqualTo(120);
        assertThat(budget.tryReserve(1)).isFalse();
        budget.release(120);
        assertThat(budget.usedBytes()).isZero();
        assertThat(budget.tryReserve(100)).isTrue();
    }

    @Test
    void zeroTurnsReadingAheadOff()
    {
        assertThat(ReadAheadBudget.NONE.isEnabled()).isFalse();
        assertThat(new ReadAheadBudget(0).tryReserve(1)).isFalse();
        assertThatThrownBy(() -> new ReadAheadBudget(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void givingBackMoreThanWasReservedFails()
    {
        ReadAheadBudget budget = new ReadAheadBudget(100);
        assertThat(budget.tryReserve(10)).isTrue();
        assertThatThrownBy(() -> budget.release(11)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> budget.tryReserve(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessionsReservingAtOnceNeverExceedTheTotal()
            throws InterruptedException
    {
        ReadAheadBudget budget = new ReadAheadBudget(1000);
        Thread[] threads = new Thread[4];
        long[] maxSeen = new long[threads.length];
        for (int t = 0; t < threads.length; t++) {
            int index = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    if (budget.tryReserve(300)) {
                        maxSeen[index] = Math.max(maxSeen[index], budget.usedBytes());
                        budget.release(300);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(budget.usedBytes()).isZero();
        for (long seen : maxSeen) {
            assertThat(seen).isLessThanOrEqualTo(900);
        }
    }
}
