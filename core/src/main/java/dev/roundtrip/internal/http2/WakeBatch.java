package dev.roundtrip.internal.http2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * WakeBatch gathers the streams the holder of the read role (the reader thread, or a leading
 * caller) has news for, and wakes their callers once per batch of frames, in three steps:
 * <ol>
 *   <li>{@link #addLocked}, as each frame is applied: a HEADERS and the DATA that came in the same
 *       read are one piece of news for their stream;</li>
 *   <li>{@link #countLocked}, once no complete frame is left in the read buffer: a wake-up is
 *       counted for each stream ({@link StreamWaiter#wakeLocked}), after all are applied, so a
 *       woken caller does not queue behind the reader for the lock. While more frames are already
 *       in the socket, the reader thread may count only the streams whose response ended
 *       ({@link #countEndedLocked}) and keep the others for a later count ({@link ReaderHolds});</li>
 *   <li>{@link #unpark}, once the lock is released (or, under it, before the role is given up):
 *       every caller of the batch is unparked at once (see {@link StreamWaiter} for why not under
 *       the lock).</li>
 * </ol>
 * Used by the holder of the read role only; the first two steps under the connection's lock.
 */
final class WakeBatch {
    private final ArrayList<Http2Stream> streams = new ArrayList<>();
    private Thread[] threads = new Thread[16];
    private int threadCount;

    /** Adds a stream with news, once per batch. */
    void addLocked(Http2Stream s) {
        if (!s.wakeQueued) {
            s.wakeQueued = true;
            streams.add(s);
        }
    }

    /**
     * Returns whether a stream added since the last count has a response not ended yet (asked by the
     * holder of the read role, which alone ends responses, as it applies frames).
     */
    boolean hasUnfinished() {
        for (int i = 0; i < streams.size(); i++) {
            if (!streams.get(i).receiver.remoteEnded) {
                return true;
            }
        }
        return false;
    }

    /** Counts a wake-up for each stream added and keeps the threads parked on them for {@link #unpark}. */
    void countLocked() {
        count(false);
    }

    /**
     * Counts a wake-up for each stream added whose response has ended (its caller can finish
     * without waiting again) and keeps the others for a later count; returns whether any were kept.
     */
    boolean countEndedLocked() {
        return count(true);
    }

    private boolean count(boolean endedOnly) {
        int kept = 0;
        for (int i = 0; i < streams.size(); i++) {
            Http2Stream s = streams.get(i);
            if (endedOnly && !s.receiver.remoteEnded) {
                streams.set(kept++, s);
                continue;
            }
            s.wakeQueued = false;
            keep(s.waiter.wakeLocked());
        }
        streams.subList(kept, streams.size()).clear();
        return kept > 0;
    }

    private void keep(Thread t) {
        if (t != null) {
            if (threadCount == threads.length) {
                threads = Arrays.copyOf(threads, threadCount * 2);
            }
            threads[threadCount++] = t;
        }
    }

    /** Unparks the threads {@link #countLocked} or {@link #countEndedLocked} kept. */
    void unpark() {
        for (int i = 0; i < threadCount; i++) {
            LockSupport.unpark(threads[i]);
            threads[i] = null;
        }
        threadCount = 0;
    }
}
