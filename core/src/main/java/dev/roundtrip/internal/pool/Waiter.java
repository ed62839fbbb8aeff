package dev.roundtrip.internal.pool;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Waiter is Go's {@code wantConn}: one request waiting for a connection. Three outcomes race:
 * a returning connection is handed to it, its own dial finishes, or it is canceled. The first
 * {@code tryDeliver}/{@code tryFail} wins; a connection that loses goes back to the pool. As a
 * {@link Receipt} it records how the connection it got was found.
 */
public final class Waiter<C> extends Receipt {
    private final CompletableFuture<PoolEntry<C>> result = new CompletableFuture<>();
    /**
     * Who owns a delivered entry: set once, either by {@link #await} handing it to the request
     * or by {@link ConnectionPool#cancel} taking it back. Whoever loses must not touch it.
     */
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile IOException cancelError;
    /** The dial this waiter counts on (its own or an adopted orphan), or null. Pool lock. */
    PoolEntry<C> dial;
    /** The first dial the pool started for this waiter, or null; never cleared. Pool lock, then published by delivery. */
    private volatile PoolEntry<C> ownDial;
    private final Object attachment;

    /** Creates a waiter carrying {@code attachment} (the request's dial context). */
    public Waiter(Object attachment) {
        this.attachment = attachment;
    }

    /** Returns what the request attached (used by the dialer for trace events). */
    public Object attachment() {
        return attachment;
    }

    /** Records the dial started for this waiter; pool lock. */
    void dialStarted(PoolEntry<C> e) {
        if (ownDial == null) {
            ownDial = e;
        }
    }

    /** Returns whether {@code e} is the connection of a dial the pool started for this waiter. */
    public boolean ownDial(PoolEntry<C> e) {
        return e != null && e == ownDial;
    }

    /** Returns true until one outcome has won. */
    public boolean waiting() {
        return !result.isDone();
    }

    boolean tryDeliver(PoolEntry<C> entry) {
        return result.complete(entry);
    }

    boolean tryFail(IOException error) {
        return result.completeExceptionally(error);
    }

    /**
     * Waits up to {@code timeoutNanos} ({@code <= 0}: forever) for the outcome.
     *
     * @return the delivered entry (state IN_USE)
     * @throws IOException          the dial's error, or the cancellation error
     * @throws TimeoutException     when the time ran out (the caller must {@code cancel})
     * @throws InterruptedException when the thread was interrupted (the caller must {@code cancel})
     */
    public PoolEntry<C> await(long timeoutNanos) throws IOException, TimeoutException, InterruptedException {
        try {
            return claim(timeoutNanos > 0 ? result.get(timeoutNanos, TimeUnit.NANOSECONDS) : result.get());
        } catch (ExecutionException e) {
            throw failure(e);
        }
    }

    /**
     * Waits for the outcome with no time limit of its own: whoever bounds the wait ends it with
     * {@link ConnectionPool#cancel} (an untimed wait costs a virtual thread no timer).
     *
     * @return the delivered entry (state IN_USE)
     * @throws IOException          the dial's error, or the cancellation error
     * @throws InterruptedException when the thread was interrupted (the caller must {@code cancel})
     */
    public PoolEntry<C> await() throws IOException, InterruptedException {
        try {
            return claim(result.get());
        } catch (ExecutionException e) {
            throw failure(e);
        }
    }

    private PoolEntry<C> claim(PoolEntry<C> e) throws IOException {
        if (!claimed.compareAndSet(false, true)) {
            // canceled after delivery: the pool already took the connection back
            IOException c = cancelError;
            throw c != null ? c : new IOException("the wait for a connection was canceled");
        }
        return e;
    }

    /** Returns the error a failed outcome carries (a runtime exception is thrown as is). */
    private static IOException failure(ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof IOException) {
            return (IOException) c;
        }
        if (c instanceof RuntimeException) {
            throw (RuntimeException) c;
        }
        return new IOException(c);
    }

    /** Returns the delivered entry without claiming it, or null (for inspection). */
    PoolEntry<C> peekDelivered() {
        return result.isDone() && !result.isCompletedExceptionally() ? result.join() : null;
    }

    /**
     * Takes back the entry delivered to a waiter that gave up, exactly once and only if the
     * request has not taken it; returns null otherwise.
     */
    PoolEntry<C> reclaimDelivered(IOException why) {
        if (result.isDone() && !result.isCompletedExceptionally()) {
            cancelError = why;
            if (claimed.compareAndSet(false, true)) {
                return result.join();
            }
        }
        return null;
    }
}
