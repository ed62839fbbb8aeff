package dev.roundtrip.internal.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * StreamWaiterTest checks the caller's wait of a stream: it releases the connection's lock while
 * parked (every hold, as a condition's wait does), ends at a wake-up counted under the lock and
 * unparked after it was released, at an interrupt, or at its time, and takes the lock back.
 */
class StreamWaiterTest {
    private final ReentrantLock lock = new ReentrantLock();
    private final StreamWaiter waiter = new StreamWaiter();

    @Test
    void aWakeUpUnparkedAfterTheLockWasReleasedEndsTheWaitWithTheLockHeldAgain() throws Exception {
        CompletableFuture<Integer> holdsAfter = waitOnOtherThread(2, Long.MAX_VALUE);
        assertThat(lock.tryLock(5, TimeUnit.SECONDS)).as("both holds released while parked").isTrue();
        Thread t;
        try {
            assertThat(waiter.waitingLocked()).isTrue();
            t = waiter.wakeLocked();
        } finally {
            lock.unlock();
        }
        assertThat(t).isNotNull();
        LockSupport.unpark(t);
        assertThat(holdsAfter.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    }

    @Test
    void anInterruptEndsTheWaitAndTheFlagStaysSet() throws Exception {
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            lock.lock();
            try {
                waiter.awaitLocked(lock, Long.MAX_VALUE);
                interrupted.complete(Thread.currentThread().isInterrupted());
            } finally {
                lock.unlock();
            }
        });
        t.start();
        awaitParked();
        t.interrupt();
        assertThat(interrupted.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTimedWaitEndsAtItsTimeWithoutAWakeUp() throws Exception {
        CompletableFuture<Integer> holdsAfter = waitOnOtherThread(1, System.nanoTime() + 20_000_000L);
        assertThat(holdsAfter.get(5, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    @Timeout(10) // a lost wake-up parks this thread for good
    void aWakeUpCountedBeforeTheCallerParksIsNotLost() throws Exception {
        lock.lock();
        try {
            CompletableFuture<Integer> holdsAfter = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                lock.lock(); // blocks until the test's wait below released the lock
                try {
                    LockSupport.unpark(waiter.wakeLocked());
                } finally {
                    lock.unlock();
                }
                holdsAfter.complete(0);
            });
            t.start();
            waiter.awaitLocked(lock, Long.MAX_VALUE);
            assertThat(holdsAfter.get(5, TimeUnit.SECONDS)).isZero();
            assertThat(lock.isHeldByCurrentThread()).isTrue();
        } finally {
            lock.unlock();
        }
    }

    private CompletableFuture<Integer> waitOnOtherThread(int holds, long untilNanos) throws InterruptedException {
        CompletableFuture<Integer> holdsAfter = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            for (int i = 0; i < holds; i++) {
                lock.lock();
            }
            try {
                waiter.awaitLocked(lock, untilNanos);
                holdsAfter.complete(lock.getHoldCount());
            } finally {
                while (lock.isHeldByCurrentThread()) {
                    lock.unlock();
                }
            }
        });
        t.start();
        if (untilNanos == Long.MAX_VALUE) {
            awaitParked();
        }
        return holdsAfter;
    }

    /** Waits until a caller is parked in the waiter (it set itself under the lock). */
    private void awaitParked() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (lock.tryLock(10, TimeUnit.MILLISECONDS)) {
                try {
                    if (waiter.waitingLocked()) {
                        return;
                    }
                } finally {
                    lock.unlock();
                }
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no caller parked within 5 s");
    }
}
