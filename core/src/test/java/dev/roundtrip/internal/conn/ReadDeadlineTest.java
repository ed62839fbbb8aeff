package dev.roundtrip.internal.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.exchange.Deadline;
import dev.roundtrip.internal.util.Clock;
import dev.roundtrip.internal.util.Scheduler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Read deadlines without timed reads: a read publishes the armed deadline while it blocks, and
 * the watchdog aborts the connection of a read past it, recording which limit fired. Reads that
 * are not armed are never aborted.
 */
class ReadDeadlineTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aWatchedStreamPublishesTheArmedDeadlineOnlyWhileItReads() throws IOException {
        ReadDeadline d = new ReadDeadline(new ReadWatchdog(new Scheduler("read-deadline-test", Clock.SYSTEM)));
        boolean[] seenWhileReading = new boolean[1];
        InputStream in = d.watch(new ByteArrayInputStream(new byte[] {7, 8, 9}) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                seenWhileReading[0] = d.inProgress();
                return super.read(b, off, len);
            }
        });
        d.disarm(TimeoutPhase.READ_BODY);
        assertThat(in.read()).isEqualTo(7);
        assertThat(seenWhileReading[0]).as("not armed: no deadline published").isFalse();
        assertThat(in.available()).isEqualTo(2);
        long at = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
        d.arm(at, TimeoutPhase.RESPONSE_HEADERS, true);
        assertThat(d.phase()).isEqualTo(TimeoutPhase.RESPONSE_HEADERS);
        assertThat(d.isRequestDeadline()).isTrue();
        assertThat(in.read(new byte[4], 0, 4)).isEqualTo(2);
        assertThat(seenWhileReading[0]).isTrue();
        assertThat(d.inProgress()).as("only while the read blocks").isFalse();
        assertThat(d.active()).as("no read in progress: nothing for the watchdog").isEqualTo(ReadDeadline.NONE);
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void aBlockedReadIsAbortedAtThePhaseTimeout() throws Exception {
        try (LoopbackPair p = new LoopbackPair(80 * MS, 0, 0, 0, 0)) {
            p.conn.armRead(80 * MS, Deadline.NONE, TimeoutPhase.RESPONSE_HEADERS);
            Throwable t = catchThrowable(() -> p.conn.input().fill());
            assertThat(t).isInstanceOf(IOException.class);
            AbortCause a = p.conn.abortCause();
            assertThat(a.kind()).isEqualTo(AbortCause.Kind.READ_TIMEOUT);
            assertThat(a.phase()).isEqualTo(TimeoutPhase.RESPONSE_HEADERS);
            assertThat(a.byDeadline()).isFalse();
            assertThat(p.conn.isClosed()).isTrue();
        }
    }

    @Test
    void aSoonerDeadlineWinsOverThePhaseTimeout() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, TimeUnit.HOURS.toNanos(1), 0, 0, 0)) {
            Deadline soon = new Deadline(System.nanoTime() + 80 * MS, "request deadline");
            p.conn.armRead(TimeUnit.HOURS.toNanos(1), soon, TimeoutPhase.READ_BODY);
            assertThat(catchThrowable(() -> p.conn.input().fill())).isInstanceOf(IOException.class);
            assertThat(p.conn.abortCause().byDeadline()).isTrue();
            assertThat(p.conn.abortCause().phase()).isEqualTo(TimeoutPhase.READ_BODY);
        }
    }

    @Test
    void aPassedDeadlineFailsBeforeReading() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, 0, 0, 0, 0)) {
            Deadline passed = new Deadline(System.nanoTime() - 1, "request deadline");
            assertThat(catchThrowable(() -> p.conn.armRead(0, passed, TimeoutPhase.READ_BODY)))
                    .isInstanceOf(HttpTimeoutException.class);
        }
    }

    @Test
    void anUnarmedReadWaitsAsLongAsItTakes() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, 0, 0, 0, 0)) {
            p.conn.armRead(30 * MS, Deadline.NONE, TimeoutPhase.READ_BODY);
            p.conn.endExchange(); // the exchange ended: its deadline must not reach later reads
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.conn.input().fill();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(150); // well past the forgotten 30 ms: a read still armed would have been aborted
            p.serverWrites("late");
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(4);
            assertThat(p.conn.abortCause()).isNull();
            assertThat(p.conn.readArmed()).isFalse();
        }
    }

    @Test
    void noPhaseTimeoutAndNoDeadlineDisarms() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, 0, 0, 0, 0)) {
            p.conn.armRead(0, Deadline.NONE, TimeoutPhase.RESPONSE_HEADERS);
            p.serverWrites("x");
            assertThat(p.conn.input().fill()).isEqualTo(1);
            assertThat(p.conn.checkDeadlines(Long.MAX_VALUE)).as("nothing armed, nothing in progress")
                    .isEqualTo(ReadWatchdog.NONE);
            assertThat(p.conn.abortCause()).isNull();
        }
    }

    @Test
    void aDrainStopsAtItsTime() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, 0, 0, 1 << 20, 80 * MS)) {
            assertThat(catchThrowable(() -> p.conn.armDrain(System.nanoTime() - 1)))
                    .as("no time left: no read").isInstanceOf(java.net.SocketTimeoutException.class);
            p.conn.armDrain(System.nanoTime() + 80 * MS);
            assertThat(catchThrowable(() -> p.conn.input().fill())).isInstanceOf(IOException.class);
            assertThat(p.conn.abortCause().phase()).isEqualTo(TimeoutPhase.READ_BODY);
            assertThat(p.conn.abortCause().byDeadline()).isFalse();
        }
    }

    /** Reads on {@code p} from another thread; the server writes one byte after {@code afterMillis}. */
    private static int readWithLateByte(LoopbackPair p, long afterMillis) throws Exception {
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return p.conn.input().fill();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(afterMillis);
        p.serverWrites("x");
        return read.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aDistantDeadlineDoesNotAbortAReadThatEnds() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, 0, 0, 0, 0)) {
            p.conn.armRead(0, new Deadline(System.nanoTime() + TimeUnit.HOURS.toNanos(1), "d"), TimeoutPhase.READ_BODY);
            assertThat(readWithLateByte(p, 100)).isEqualTo(1);
            assertThat(p.conn.abortCause()).isNull();
        }
    }

    @Test
    void aLongerPhaseTimeoutThanTheDeadlineYieldsToTheDeadline() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, 0, 0, 0, 0)) {
            p.conn.armRead(TimeUnit.HOURS.toNanos(1), new Deadline(System.nanoTime() + 60 * MS, "d"),
                    TimeoutPhase.RESPONSE_HEADERS);
            assertThat(catchThrowable(() -> p.conn.input().fill())).isInstanceOf(IOException.class);
            assertThat(p.conn.abortCause().byDeadline()).isTrue();
        }
    }

    @Test
    void aShorterPhaseTimeoutThanTheDeadlineFiresFirst() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, 0, 0, 0, 0)) {
            p.conn.armRead(60 * MS, new Deadline(System.nanoTime() + TimeUnit.HOURS.toNanos(1), "d"),
                    TimeoutPhase.READ_BODY);
            assertThat(catchThrowable(() -> p.conn.input().fill())).isInstanceOf(IOException.class);
            assertThat(p.conn.abortCause().byDeadline()).isFalse();
        }
    }

    @Test
    void armingWithNothingToEnforceForgetsAnEarlierDeadline() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, 0, 0, 0, 0)) {
            p.conn.armRead(30 * MS, Deadline.NONE, TimeoutPhase.RESPONSE_HEADERS);
            p.conn.armRead(0, Deadline.NONE, TimeoutPhase.READ_BODY);
            assertThat(readWithLateByte(p, 150)).isEqualTo(1);
            assertThat(p.conn.abortCause()).isNull();
        }
    }

    @Test
    void theWatchdogKeepsWorkingAfterItWentQuiet() throws Exception {
        ReadWatchdog shared = LoopbackPair.newWatchdog();
        try (LoopbackPair a = new LoopbackPair(0, 0, 0, 0, 0, 0, shared);
             LoopbackPair b = new LoopbackPair(0, 0, 0, 0, 0, 0, shared)) {
            a.conn.armRead(40 * MS, Deadline.NONE, TimeoutPhase.READ_BODY);
            assertThat(catchThrowable(() -> a.conn.input().fill())).isInstanceOf(IOException.class);
            Thread.sleep(100); // nothing armed: the watchdog stops ticking
            b.conn.armRead(40 * MS, Deadline.NONE, TimeoutPhase.READ_BODY);
            CompletableFuture<Throwable> read = CompletableFuture.supplyAsync(() -> catchThrowable(() -> b.conn.input().fill()));
            assertThat(read.get(10, TimeUnit.SECONDS)).as("a read armed later still times out").isInstanceOf(IOException.class);
            assertThat(b.conn.abortCause().kind()).isEqualTo(AbortCause.Kind.READ_TIMEOUT);
        }
    }

    @Test
    void oneConnectionsTimeoutLeavesAnotherArmedReadAlone() throws Exception {
        ReadWatchdog shared = LoopbackPair.newWatchdog();
        try (LoopbackPair shortRead = new LoopbackPair(0, 0, 0, 0, 0, 0, shared);
             LoopbackPair longRead = new LoopbackPair(0, 0, 0, 0, 0, 0, shared)) {
            longRead.conn.armRead(TimeUnit.HOURS.toNanos(1), Deadline.NONE, TimeoutPhase.READ_BODY);
            CompletableFuture<Integer> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return longRead.conn.input().fill();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            shortRead.conn.armRead(40 * MS, Deadline.NONE, TimeoutPhase.READ_BODY);
            assertThat(catchThrowable(() -> shortRead.conn.input().fill())).isInstanceOf(IOException.class);
            Thread.sleep(50); // the watchdog keeps watching the long read
            assertThat(longRead.conn.readArmed()).isTrue();
            assertThat(longRead.conn.abortCause()).isNull();
            longRead.serverWrites("y");
            assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(longRead.conn.abortCause()).isNull();
        }
    }

    @Test
    void theNextCheckIsDueAtTheSoonestBlockedDeadlineNotSooner() throws Exception {
        ReadWatchdog shared = LoopbackPair.newWatchdog();
        try (LoopbackPair p = new LoopbackPair(0, 0, 0, 0, 0, 0, shared)) {
            long hour = TimeUnit.HOURS.toNanos(1);
            p.conn.armRead(hour, Deadline.NONE, TimeoutPhase.READ_BODY);
            CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.conn.input().fill();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!p.conn.readArmed() && System.nanoTime() - until < 0) {
                Thread.sleep(1);
            }
            long blocked = p.conn.watchedDeadline();
            assertThat(blocked).as("the read published its deadline").isNotEqualTo(ReadWatchdog.NONE);
            assertThat(shared.nextCheck()).as("one check, at the read's deadline: no periodic wake-ups")
                    .isEqualTo(blocked);
            p.serverWrites("z");
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(p.conn.abortCause()).isNull();
        }
    }

    @Test
    void closingTheLastConnectionDropsThePendingCheck() throws Exception {
        // A check planned for an hour-long read stays pending after the read ends; once no
        // connection is left to watch (Transport.close), it must not keep the housekeeper waiting.
        ReadWatchdog shared = LoopbackPair.newWatchdog();
        LoopbackPair p = new LoopbackPair(0, 0, 0, 0, 0, 0, shared);
        p.conn.armRead(TimeUnit.HOURS.toNanos(1), Deadline.NONE, TimeoutPhase.READ_BODY);
        p.serverWrites("z");
        assertThat(p.conn.input().fill()).isEqualTo(1);
        assertThat(shared.nextCheck()).as("planned by the read").isNotEqualTo(ReadWatchdog.NONE);
        p.close();
        assertThat(shared.nextCheck()).as("no connection left: no check").isEqualTo(ReadWatchdog.NONE);
    }

    /** Starts an untimed-looking read of {@code p} on another thread and waits until it blocks with its deadline. */
    private static CompletableFuture<Throwable> blockedRead(LoopbackPair p) throws InterruptedException {
        CompletableFuture<Throwable> read = CompletableFuture.supplyAsync(() -> catchThrowable(() -> p.conn.input().fill()));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!p.conn.readArmed() && System.nanoTime() - until < 0) {
            Thread.sleep(1);
        }
        assertThat(p.conn.readArmed()).as("the read published its deadline").isTrue();
        return read;
    }

    @Test
    void aBlockedReadIsLateExactlyAtItsDeadline() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, 0, 0, 0, 0)) {
            p.conn.armRead(TimeUnit.HOURS.toNanos(1), Deadline.NONE, TimeoutPhase.READ_BODY);
            CompletableFuture<Throwable> read = blockedRead(p);
            long due = p.conn.watchedDeadline();
            assertThat(p.conn.checkDeadlines(due - 1)).as("a nanosecond before: still to come").isEqualTo(due);
            assertThat(p.conn.abortCause()).isNull();
            assertThat(p.conn.checkDeadlines(due)).as("aborted: nothing left to watch").isEqualTo(ReadWatchdog.NONE);
            assertThat(p.conn.abortCause().kind()).isEqualTo(AbortCause.Kind.READ_TIMEOUT);
            assertThat(read.get(10, TimeUnit.SECONDS)).as("the blocked read returned at once").isInstanceOf(IOException.class);
        }
    }

    @Test
    void aBodyWriteIsLateExactlyAtItsDueTime() throws Exception {
        try (LoopbackPair p = new LoopbackPair(0, 0, TimeUnit.HOURS.toNanos(1), 0, 0)) {
            long due = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
            p.conn.watchWrite(due, false);
            assertThat(p.conn.checkDeadlines(due - 1)).as("a nanosecond before: still to come").isEqualTo(due);
            assertThat(p.conn.isClosed()).isFalse();
            assertThat(p.conn.checkDeadlines(due)).as("aborted: nothing left to watch").isEqualTo(ReadWatchdog.NONE);
            assertThat(p.conn.abortCause().kind()).isEqualTo(AbortCause.Kind.WRITE_TIMEOUT);
            assertThat(p.conn.abortCause().byDeadline()).isFalse();
            assertThat(p.conn.isClosed()).as("a blocked write returns at once").isTrue();
        }
    }
}
