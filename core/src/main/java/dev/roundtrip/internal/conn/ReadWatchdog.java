package dev.roundtrip.internal.conn;

import dev.roundtrip.internal.util.Scheduler;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * ReadWatchdog enforces read deadlines without timed socket reads. A timed read through a socket
 * channel's stream switches the socket to non-blocking and back around a poll on every call (four
 * extra system calls); instead a connection reads untimed and publishes the deadline of the read
 * it is blocked in, and this watchdog, ticking on the Transport's housekeeper thread only while
 * some read is armed, aborts a connection whose deadline has passed. Precision is one tick.
 */
public final class ReadWatchdog {
    /** How often armed reads are checked: 10 ms. */
    static final long TICK_NANOS = 10_000_000L;

    private final Scheduler scheduler;
    private final Set<PersistentConnection> live = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean ticking = new AtomicBoolean();

    /** Creates a watchdog ticking on {@code scheduler}. */
    public ReadWatchdog(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    void register(PersistentConnection c) {
        live.add(c);
    }

    void unregister(PersistentConnection c) {
        live.remove(c);
    }

    /** Makes sure a tick is coming; called when a read is armed. */
    void armed() {
        if (!ticking.get() && ticking.compareAndSet(false, true)) {
            scheduler.schedule(TICK_NANOS, this::tick);
        }
    }

    private void tick() {
        long now = System.nanoTime();
        boolean any = false;
        for (PersistentConnection c : live) {
            if (c.checkReadDeadline(now)) {
                any = true;
            }
        }
        if (any) {
            scheduler.schedule(TICK_NANOS, this::tick);
            return;
        }
        ticking.set(false);
        for (PersistentConnection c : live) { // a read armed while we looked must not be missed
            if (c.readArmed()) {
                armed();
                return;
            }
        }
    }
}
