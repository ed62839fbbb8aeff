package dev.roundtrip.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The watchdog over waits: what it does with a wait past its deadline, and what the last wait
 * leaving does to the pending check (the planning itself is also tested through
 * {@code conn.ReadWatchdogTest} and {@code conn.ReadDeadlineTest}).
 */
class DeadlineWatchdogTest {
    private static final long NONE = DeadlineWatchdog.NONE;

    /** A wait until {@code until}: the watchdog counts it down once it is late. */
    private static final class Wait implements DeadlineWatchdog.Watched {
        final long until;
        final CountDownLatch woken = new CountDownLatch(1);
        final AtomicInteger checks = new AtomicInteger();

        Wait(long until) {
            this.until = until;
        }

        @Override
        public long checkDeadlines(long now) {
            checks.incrementAndGet();
            if (woken.getCount() == 0 || until - now > 0) {
                return woken.getCount() == 0 ? NONE : until;
            }
            woken.countDown();
            return NONE;
        }

        @Override
        public long watchedDeadline() {
            return woken.getCount() == 0 ? NONE : until;
        }
    }

    @Test
    void aWaitPastItsDeadlineIsActedOnByTheCheckAndTheOthersWaitOn() throws Exception {
        DeadlineWatchdog w = new DeadlineWatchdog(new Scheduler("deadline-watchdog-test", Clock.SYSTEM), false);
        Wait soon = new Wait(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
        Wait later = new Wait(System.nanoTime() + TimeUnit.HOURS.toNanos(1));
        w.register(later);
        w.armed(later.until);
        w.register(soon);
        w.armed(soon.until);
        assertThat(w.nextCheck()).as("the sooner wait moved the check forward").isEqualTo(soon.until);
        assertThat(soon.woken.await(10, TimeUnit.SECONDS)).as("woken by the check at its deadline").isTrue();
        assertThat(later.woken.getCount()).as("not due: left waiting").isEqualTo(1);
        awaitNextCheck(w, later.until);
        w.unregister(soon);
        w.unregister(later);
    }

    @Test
    void forShortWaitsTheLastOneLeavingKeepsThePendingCheck() {
        DeadlineWatchdog w = new DeadlineWatchdog(new Scheduler("deadline-watchdog-test", Clock.SYSTEM), false);
        long t = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
        for (int i = 0; i < 3; i++) {
            Wait one = new Wait(t + i);
            w.register(one);
            w.armed(one.until);
            w.unregister(one);
            assertThat(w.nextCheck()).as("wait %s: one check planned by the first wait, kept", i).isEqualTo(t);
        }
    }

    @Test
    void forConnectionsTheLastOneLeavingDropsThePendingCheck() {
        DeadlineWatchdog w = new DeadlineWatchdog(new Scheduler("deadline-watchdog-test", Clock.SYSTEM));
        Wait one = new Wait(System.nanoTime() + TimeUnit.HOURS.toNanos(1));
        w.register(one);
        w.armed(one.until);
        assertThat(w.nextCheck()).isEqualTo(one.until);
        w.unregister(one);
        assertThat(w.nextCheck()).as("nothing left to watch: the housekeeper may exit").isEqualTo(NONE);
    }

    /** Waits (on the check's own progress, bounded) until the watchdog planned its next check for {@code t}. */
    private static void awaitNextCheck(DeadlineWatchdog w, long t) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (w.nextCheck() != t && System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
        assertThat(w.nextCheck()).as("the check planned the next one for the wait left").isEqualTo(t);
    }
}
