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
        assertThat(d.expired(at + 1)).as("no read in progress: nothing to expire").isFalse();
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
            assertThat(p.conn.checkReadDeadline(Long.MAX_VALUE)).as("nothing armed, nothing in progress").isFalse();
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
}
