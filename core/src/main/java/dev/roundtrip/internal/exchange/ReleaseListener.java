package dev.roundtrip.internal.exchange;

import dev.roundtrip.internal.util.CloseCause;

/**
 * ReleaseListener learns, exactly once, that an exchange released its connection, and whether the
 * connection may carry another exchange. The Transport passes it to the pool: reusable means
 * "put back" (HTTP/1: idle or handed to a waiter; HTTP/2: one stream slot freed), not reusable
 * means "discard". Called on the thread that ended the body, before that thread's read returns
 * end-of-stream, and never under a lock.
 */
@FunctionalInterface
public interface ReleaseListener {
    /**
     * Called when the exchange ended: its body was read to the end, closed, or failed.
     *
     * @param reusable whether the connection may carry another exchange
     * @param reason   why not, when not reusable; else null
     * @param idleHintNanos how long the server says it keeps an idle connection (HTTP/1.1
     *                 {@code Keep-Alive: timeout=}, less a second of margin), or -1 when it did not say
     */
    void released(boolean reusable, CloseCause reason, long idleHintNanos);
}
