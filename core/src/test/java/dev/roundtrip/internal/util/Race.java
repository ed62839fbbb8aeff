package dev.roundtrip.internal.util;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Race runs a body on several daemon threads released together, for tests of thread-safe code:
 * {@link #start} starts them parked on a gate; {@link Started#go} opens it (the caller may act
 * right after, racing them); {@link Started#await} waits for all, bounded.
 */
public final class Race {
    /** The body each thread runs; {@code thread} is 0 to n - 1. */
    @FunctionalInterface
    public interface Body {
        void run(int thread) throws Exception;
    }

    /** Threads started and parked on the gate. */
    public static final class Started {
        private final CountDownLatch gate = new CountDownLatch(1);
        private final CountDownLatch done;

        private Started(int n) {
            done = new CountDownLatch(n);
        }

        /** Opens the gate: every thread starts its body. */
        public void go() {
            gate.countDown();
        }

        /** Waits up to {@code bound} for every body to end; returns true when all did. */
        public boolean await(Duration bound) throws InterruptedException {
            return done.await(bound.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private Race() {
    }

    /** Starts {@code n} daemon threads running {@code body} once the gate opens. */
    public static Started start(int n, Body body) {
        Started s = new Started(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                try {
                    s.gate.await();
                    body.run(index);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    s.done.countDown();
                }
            }, "race-" + i);
            t.setDaemon(true);
            t.start();
        }
        return s;
    }
}
