package dev.roundtrip.soak;

import dev.roundtrip.PoolStats;
import dev.roundtrip.Transport;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * SoakWatch is what the HTTP/1.1 and HTTP/2 soaks share around their senders: the hang watchdog
 * (with the stuck thread's stack), progress lines, and the checks after the run (pools idle,
 * sockets back to the baseline).
 */
final class SoakWatch {
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * Senders are the sending threads and what each is doing: {@code startedAt[w]} is when
     * worker {@code w} started its current request (0: between requests), {@code current[w]} that
     * request's index; {@code next} is the next index to hand out.
     */
    record Senders(Thread[] workers, AtomicLongArray startedAt, AtomicLongArray current, AtomicLong next) {
        Senders(Thread[] workers) {
            this(workers, new AtomicLongArray(workers.length), new AtomicLongArray(workers.length), new AtomicLong());
        }
    }

    private SoakWatch() {}

    /**
     * Waits for the senders, flagging as a hang every request that runs longer than the hang
     * limit (in the row of its fault, with its description and the sender's stack); prints
     * progress every 10 s; gives up on senders still running a hang limit after the sending time
     * is over.
     */
    static void watch(Senders s, SoakSettings settings, Tally tally, long start, LongFunction<Enum<?>> faultOf,
                      LongFunction<String> describe) throws InterruptedException {
        long hang = settings.hangLimit().toNanos();
        long giveUp = start + settings.duration().toNanos() + 2 * hang;
        long[] flagged = new long[s.workers().length];
        Arrays.fill(flagged, -1);
        long nextProgress = start + PROGRESS_NANOS;
        while (anyAlive(s.workers()) && System.nanoTime() - giveUp < 0) {
            TimeUnit.MILLISECONDS.sleep(100);
            long now = System.nanoTime();
            for (int w = 0; w < s.workers().length; w++) {
                long began = s.startedAt().get(w);
                long i = s.current().get(w);
                if (began != 0 && now - began > hang && flagged[w] != i) {
                    flagged[w] = i;
                    tally.judgedDefect(faultOf.apply(i), Defect.HANG, describe.apply(i) + "\n      -> still running after "
                            + TimeUnit.NANOSECONDS.toSeconds(now - began) + " s at" + stack(s.workers()[w]));
                }
            }
            if (now - nextProgress > 0) {
                nextProgress = now + PROGRESS_NANOS;
                System.out.printf(Locale.ROOT, "soak: %,d requests in %d s, defects so far %s%n",
                        Math.min(s.next().get(), settings.requests()), TimeUnit.NANOSECONDS.toSeconds(now - start),
                        tally.defectTotals());
            }
        }
    }

    private static boolean anyAlive(Thread[] threads) {
        for (Thread t : threads) {
            if (t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** The top of {@code t}'s stack, for a hang's example. */
    static String stack(Thread t) {
        StringBuilder sb = new StringBuilder();
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(12, st.length); i++) {
            sb.append("\n        ").append(st[i]);
        }
        return sb.toString();
    }

    /**
     * Waits (5 s at most) until {@code t} has nothing in use (connections, dials, waiters, HTTP/2
     * streams); counts a leak if it does not, and the responses it reports leaked.
     */
    static PoolStats checkIdle(Transport t, String name, Tally tally) throws InterruptedException {
        BooleanSupplier quiet = () -> t.stats().hosts().stream()
                .allMatch(h -> h.inUse() == 0 && h.dialing() == 0 && h.waiting() == 0 && h.streamsInUse() == 0);
        boolean ok = eventually(quiet, Duration.ofSeconds(5));
        PoolStats s = t.stats();
        if (!ok) {
            long busy = s.hosts().stream().mapToLong(h -> h.inUse() + h.dialing() + h.waiting() + h.streamsInUse())
                    .sum();
            tally.runDefect(Defect.POOL_LEAK, busy, name + " still busy after the run: " + s);
        }
        tally.runDefect(Defect.POOL_LEAK, s.leaks(), name + " reported leaked responses: " + s);
        return s;
    }

    /** Waits (5 s at most) for the socket count to return to {@code before}; returns the last count. */
    static FdCount.Snapshot settle(FdCount.Snapshot before) throws InterruptedException {
        FdCount.Snapshot[] last = {FdCount.now()};
        eventually(() -> {
            last[0] = FdCount.now();
            return last[0] != null && last[0].socketCount() <= before.socketCount();
        }, Duration.ofSeconds(5));
        return last[0];
    }

    /** Counts a descriptor leak if sockets stayed above {@code before}; returns the count after. */
    static FdCount.Snapshot checkDescriptors(FdCount.Snapshot before, Tally tally) throws InterruptedException {
        FdCount.Snapshot after = before == null ? null : settle(before);
        if (after != null && after.socketCount() > before.socketCount()) {
            tally.runDefect(Defect.FD_LEAK, after.socketCount() - before.socketCount(), "before " + before
                    + ", after closing everything " + after + ": " + FdCount.newSockets(before, after));
        }
        return after;
    }

    /** Polls {@code condition} every 10 ms until it holds (true) or {@code limit} passes (false). */
    static boolean eventually(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return true;
    }
}
