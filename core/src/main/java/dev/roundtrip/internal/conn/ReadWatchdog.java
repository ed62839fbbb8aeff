package dev.roundtrip.internal.conn;

import dev.roundtrip.internal.util.DeadlineWatchdog;
import dev.roundtrip.internal.util.Scheduler;

/**
 * ReadWatchdog enforces read deadlines without timed socket reads. A timed read through a socket
 * channel's stream switches the socket to non-blocking and back around a poll on every call (four
 * extra system calls); instead a connection reads untimed and publishes the deadline of the read
 * it is blocked in, and this watchdog aborts a connection whose read is past its deadline
 * ({@link PersistentConnection#checkDeadlines}). It also watches HTTP/1.1 request body writes the
 * same way (see {@link WriteWatchdog}): a write's due time is one more deadline of its connection.
 * How the checks are planned is {@link DeadlineWatchdog}'s.
 */
public final class ReadWatchdog extends DeadlineWatchdog {
    /** Creates a watchdog whose checks run on {@code scheduler}. */
    public ReadWatchdog(Scheduler scheduler) {
        super(scheduler);
    }
}
