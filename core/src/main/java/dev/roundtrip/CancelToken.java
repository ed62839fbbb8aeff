package dev.roundtrip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

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
    /** The state once canceled. */
    private static final Object CANCELED = new Object();
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(CancelToken.class, "state", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * null (no listener), one {@link Runnable}, a {@code Runnable[]} of two or more, or
     * {@link #CANCELED}. Changed by compare-and-set only: a token costs one small object and no
     * lock, since {@link Client#sendAsync} makes one per request.
     */
    private volatile Object state;

    private CancelToken() {
    }

    /** Returns a new token that is not canceled. */
    public static CancelToken create() {
        return new CancelToken();
    }

    /** Cancels every request using this token, now and later. Idempotent. */
    public void cancel() {
        Object s = STATE.getAndSet(this, CANCELED);
        if (s == CANCELED || s == null) {
            return;
        }
        if (s instanceof Runnable) {
            ((Runnable) s).run();
            return;
        }
        for (Runnable r : (Runnable[]) s) {
            r.run();
        }
    }

    /** Returns true once {@link #cancel()} was called. */
    public boolean isCanceled() {
        return state == CANCELED;
    }

    /**
     * Runs {@code action} on cancel (at once if already canceled); the returned runnable removes
     * it again.
     */
    Runnable onCancel(Runnable action) {
        while (true) {
            Object s = state;
            if (s == CANCELED) {
                action.run();
                return () -> { };
            }
            Object next;
            if (s == null) {
                next = action;
            } else if (s instanceof Runnable) {
                next = new Runnable[] {(Runnable) s, action};
            } else {
                Runnable[] a = (Runnable[]) s;
                Runnable[] b = Arrays.copyOf(a, a.length + 1);
                b[a.length] = action;
                next = b;
            }
            if (STATE.compareAndSet(this, s, next)) {
                return () -> remove(action);
            }
        }
    }

    /** Removes one registration of {@code action}, if it is still there. */
    private void remove(Runnable action) {
        while (true) {
            Object s = state;
            Object next;
            if (s == action) {
                next = null;
            } else if (s instanceof Runnable[]) {
                Runnable[] a = (Runnable[]) s;
                int i = 0;
                while (i < a.length && a[i] != action) {
                    i++;
                }
                if (i == a.length) {
                    return;
                }
                if (a.length == 2) {
                    next = a[1 - i];
                } else {
                    Runnable[] b = new Runnable[a.length - 1];
                    System.arraycopy(a, 0, b, 0, i);
                    System.arraycopy(a, i + 1, b, i, a.length - i - 1);
                    next = b;
                }
            } else {
                return; // canceled, empty, or another single action
            }
            if (STATE.compareAndSet(this, s, next)) {
                return;
            }
        }
    }
}
