package dev.roundtrip.internal.conn;

import dev.roundtrip.internal.util.BufferPool;
import dev.roundtrip.internal.util.Scheduler;

/**
 * ConnSettings are the per-connection limits and timeouts, taken from the Transport's config.
 * Timeouts are in nanoseconds; 0 means none.
 *
 * @param readBufferSize            bytes of the connection's read buffer
 * @param writeBufferSize           largest body sent in the same write as the head
 * @param maxHeaderBytes            cap on a response head (and on 1xx heads before it, together)
 * @param responseHeaderTimeoutNanos wait for the response head after the request was written
 * @param readTimeoutNanos          longest wait for any read of the body
 * @param writeTimeoutNanos         longest time without progress while writing the body
 * @param maxDrainBytes             most unread body bytes read on close to save the connection
 * @param maxDrainNanos             most time spent on that
 * @param expectContinueNanos       wait for 100 Continue before sending the body anyway
 * @param scheduler                 the Transport's housekeeper, on which the watchdog's checks run
 * @param watchdog                  enforces read deadlines and body write timeouts
 * @param readBuffers               lends read buffers ({@code readBufferSize} bytes) to exchanges:
 *                                  a connection holds one only during an exchange (process-wide,
 *                                  {@link BufferPool#shared})
 * @param writeBuffers              lends head and request-body buffers ({@code writeBufferSize}
 *                                  bytes); the same pool as {@code readBuffers} when the sizes match
 */
public record ConnSettings(int readBufferSize, int writeBufferSize, int maxHeaderBytes,
                           long responseHeaderTimeoutNanos, long readTimeoutNanos, long writeTimeoutNanos,
                           long maxDrainBytes, long maxDrainNanos, long expectContinueNanos, Scheduler scheduler, ReadWatchdog watchdog,
                           BufferPool readBuffers, BufferPool writeBuffers) {
    /** Returns the pools of read and of write buffers: the process-wide ones of those sizes (one when they match). */
    public static BufferPool[] pools(int readBufferSize, int writeBufferSize) {
        return new BufferPool[] {BufferPool.shared(readBufferSize), BufferPool.shared(writeBufferSize)};
    }
}
