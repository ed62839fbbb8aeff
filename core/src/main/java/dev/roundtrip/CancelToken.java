package dev.roundtrip;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * CancelToken lets another thread cancel requests: attach it to a {@link Request} and call
 * {@link #cancel()}. A request waiting for a connection, writing, reading the response head or
 * reading the body then fails promptly with a
 * {@link dev.roundtrip.error.RequestCanceledException}, and its connection is closed.
 *
 * <p>One token may be shared by several requests (all redirect hops of one call, say); once
 * canceled it stays canceled. Thread-safe.
 */
public final class CancelToken {
    private final ReentrantLock lock = new ReentrantLock();
    private boolean canceled; // guarded by lock
    private List<Runnable> listeners; // guarded by lock

    private CancelToken() {
    }

    /** Returns a new token that is not canceled. */
    public static CancelToken create() {
        return new CancelToken();
    }

    /** Cancels every request using this token, now and later. Idempotent. */
    public void cancel() {
        List<Runnable> toRun;
        lock.lock();
        try {
            if (canceled) {
                return;
            }
            canceled = true;
            toRun = listeners;
            listeners = null;
        } finally {
            lock.unlock();
        }
        if (toRun != null) {
            for (Runnable r : toRun) {
                r.run();
            }
        }
    }

    /** Returns true once {@link #cancel()} was called. */
    public boolean isCanceled() {
        lock.lock();
        try {
            return canceled;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code action} on cancel (at once if already canceled); the returned runnable removes
     * it again.
     */
    Runnable onCancel(Runnable action) {
        lock.lock();
        try {
            if (!canceled) {
                if (listeners == null) {
                    listeners = new ArrayList<>(2);
                }
                listeners.add(action);
                return () -> remove(action);
            }
        } finally {
            lock.unlock();
        }
        action.run();
        return () -> { };
    }

    private void remove(Runnable action) {
        lock.lock();
        try {
            if (listeners != null) {
                listeners.remove(action);
            }
        } finally {
            lock.unlock();
        }
    }
}
