package dev.roundtrip.internal.conn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The read watchdog's planning, without waiting for any check: times compare as
 * {@link System#nanoTime()} values (by their difference, so across the wrap-around), the first
 * deadline plans the one pending check, and only a sooner deadline moves it.
 */
class ReadWatchdogTest {
    private static final long NONE = ReadWatchdog.NONE;

    @Test
    void soonerPicksTheEarlierTimeAndIgnoresNone() {
        assertThat(ReadWatchdog.sooner(NONE, NONE)).isEqualTo(NONE);
        assertThat(ReadWatchdog.sooner(NONE, 5)).isEqualTo(5);
        assertThat(ReadWatchdog.sooner(5, NONE)).isEqualTo(5);
        assertThat(ReadWatchdog.sooner(3, 5)).isEqualTo(3);
        assertThat(ReadWatchdog.sooner(5, 3)).isEqualTo(3);
        assertThat(ReadWatchdog.sooner(-4, 2)).isEqualTo(-4);
        assertThat(ReadWatchdog.sooner(Long.MAX_VALUE, Long.MAX_VALUE + 2)).as("across the wrap-around")
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theFirstDeadlinePlansTheCheckAndOnlyASoonerOneMovesIt() throws Exception {
        ReadWatchdog w = LoopbackPair.newWatchdog();
        try (LoopbackPair p = new LoopbackPair(0, 0, 0, 0, 0, 0, w)) { // a watched connection, closed at the end
            long t = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
            assertThat(w.nextCheck()).as("nothing planned yet").isEqualTo(NONE);
            w.armed(t);
            assertThat(w.nextCheck()).isEqualTo(t);
            w.armed(t + 1000);
            assertThat(w.nextCheck()).as("a later deadline: the planned check covers it").isEqualTo(t);
            w.armed(t - 1000);
            assertThat(w.nextCheck()).as("a sooner deadline moves the check forward").isEqualTo(t - 1000);
            assertThat(p.conn.abortCause()).isNull();
        }
        assertThat(w.nextCheck()).as("no connection left: no check").isEqualTo(NONE);
    }
}
