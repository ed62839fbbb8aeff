package dev.roundtrip.internal.exchange;

/**
 * DialTimes is how long the dial of a connection spent in each phase, in nanoseconds; they add up
 * to the whole dial.
 *
 * @param dnsNanos     name resolution
 * @param connectNanos TCP connect attempts plus any proxy handshake
 * @param tlsNanos     TLS handshakes
 */
public record DialTimes(long dnsNanos, long connectNanos, long tlsNanos) {
    /** No dial time (a connection whose dial was already reported). */
    public static final DialTimes NONE = new DialTimes(0, 0, 0);
}
