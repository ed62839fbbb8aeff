package dev.roundtrip.internal.conn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.exchange.Deadline;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The write watchdog: no progress for the write timeout, or the deadline reached, aborts the
 * connection (so a blocked write returns) and says which; progress keeps it quiet; once stopped it
 * never aborts anything, even after its time.
 */
class WriteWatchdogTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private static boolean eventually(BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    @Test
    void noProgressForTheWriteTimeoutAborts() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, 0, 60 * MS, 0, 0)) {
            WriteWatchdog dog = WriteWatchdog.start(p.conn, Deadline.NONE);
            assertThat(dog).isNotNull();
            assertThat(eventually(() -> p.conn.abortCause() != null)).isTrue();
            assertThat(p.conn.abortCause().kind()).isEqualTo(AbortCause.Kind.WRITE_TIMEOUT);
            assertThat(p.conn.abortCause().phase()).isEqualTo(TimeoutPhase.WRITE);
            assertThat(p.conn.abortCause().byDeadline()).isFalse();
            assertThat(p.conn.isClosed()).isTrue();
        }
    }

    @Test
    void theDeadlineAbortsEvenWithProgress() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, 0, TimeUnit.HOURS.toNanos(1), 0, 0)) {
            Deadline soon = new Deadline(System.nanoTime() + 80 * MS, "request deadline");
            WriteWatchdog dog = WriteWatchdog.start(p.conn, soon);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (p.conn.abortCause() == null && System.nanoTime() - end < 0) {
                dog.progressed();
                Thread.sleep(2);
            }
            assertThat(p.conn.abortCause()).isNotNull();
            assertThat(p.conn.abortCause().byDeadline()).isTrue();
        }
    }

    @Test
    void progressKeepsItQuietAndStopEndsIt() throws Exception {
        // A generous timeout against the 5 ms cadence: on a loaded machine a sleep can overrun.
        try (LoopbackPair p = new LoopbackPair(0, 0, 250 * MS, 0, 0)) {
            WriteWatchdog dog = WriteWatchdog.start(p.conn, Deadline.NONE);
            long until = System.nanoTime() + 750 * MS; // three timeouts' worth of steady progress
            while (System.nanoTime() - until < 0) {
                dog.progressed();
                Thread.sleep(5);
            }
            dog.progressed();
            dog.stop(); // at once: no timeout's worth of silence before it
            assertThat(p.conn.abortCause()).as("progress seen all along").isNull();
            dog.stop(); // idempotent
            assertThat(p.conn.watchedDeadline()).as("nothing left to watch").isEqualTo(ReadWatchdog.NONE);
            Thread.sleep(600); // past two timeouts with no progress at all
            assertThat(p.conn.abortCause()).as("a stopped watchdog aborts nothing").isNull();
            assertThat(p.conn.isClosed()).isFalse();
        }
    }

    @Test
    void nothingToWatchWithoutATimeoutOrADeadline() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, 0, 0, 0, 0)) {
            assertThat(WriteWatchdog.start(p.conn, Deadline.NONE)).isNull();
            assertThat(WriteWatchdog.start(p.conn, new Deadline(System.nanoTime() + TimeUnit.HOURS.toNanos(1), "d")))
                    .as("a deadline alone is watched").isNotNull();
        }
    }

    @Test
    void aWatchedWriteAsksForOneCheckAtItsDueTimeAndProgressDoesNotMoveIt() throws Exception {
        ReadWatchdog shared = LoopbackPair.newWatchdog();
        long hour = TimeUnit.HOURS.toNanos(1);
        try (LoopbackPair p = new LoopbackPair(0, 0, hour, 0, 0, 0, shared)) {
            long before = System.nanoTime();
            WriteWatchdog dog = WriteWatchdog.start(p.conn, Deadline.NONE);
            long due = shared.nextCheck();
            assertThat(due - before).as("due one write timeout after the start").isBetween(hour, hour + TimeUnit.MINUTES.toNanos(1));
            assertThat(p.conn.watchedDeadline()).isEqualTo(due);
            dog.progressed();
            assertThat(shared.nextCheck()).as("a later due time needs no new check: nothing scheduled per write")
                    .isEqualTo(due);
            assertThat(p.conn.watchedDeadline()).isGreaterThanOrEqualTo(due);
            dog.stop();
            assertThat(p.conn.watchedDeadline()).isEqualTo(ReadWatchdog.NONE);
        }
    }

    @Test
    void aDeadlineAloneIsWhatTheWriteIsDueByAndProgressDoesNotMoveIt() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, 0, 0, 0, 0)) { // no write timeout
            Deadline d = new Deadline(System.nanoTime() + TimeUnit.HOURS.toNanos(1), "request deadline");
            WriteWatchdog dog = WriteWatchdog.start(p.conn, d);
            assertThat(p.conn.watchedDeadline()).as("due by the deadline").isEqualTo(d.nanos());
            dog.progressed();
            assertThat(p.conn.watchedDeadline()).as("progress does not move a deadline").isEqualTo(d.nanos());
            dog.stop();
            assertThat(p.conn.watchedDeadline()).isEqualTo(ReadWatchdog.NONE);
            assertThat(p.conn.abortCause()).isNull();
        }
    }
}
