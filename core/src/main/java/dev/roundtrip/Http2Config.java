package dev.roundtrip;

import java.time.Duration;
import java.util.Objects;

/**
 * Http2Config is the immutable HTTP/2 part of a {@link TransportConfig}
 * ({@link TransportConfig#http2()}): the limits this client announces and keeps, its health check,
 * and how it shares connections when a server limits concurrent streams. Every default is a named
 * constant here with its reason; {@link #toBuilder()} derives a changed copy.
 *
 * @param maxConcurrentStreams        most streams this client opens at once on one connection,
 *                                    whatever the server allows; default
 *                                    {@link #DEFAULT_MAX_CONCURRENT_STREAMS}; at least 1 (zero is refused)
 * @param initialStreamWindow         receive window of each stream (SETTINGS_INITIAL_WINDOW_SIZE),
 *                                    65535 to 2^31-1; default {@link #DEFAULT_INITIAL_STREAM_WINDOW}
 * @param initialConnectionWindow     receive window of each connection, 65535 to 2^31-1; default
 *                                    {@link #DEFAULT_INITIAL_CONNECTION_WINDOW}
 * @param maxFrameSize                largest frame accepted (SETTINGS_MAX_FRAME_SIZE), 16384 to
 *                                    16777215; default {@link #DEFAULT_MAX_FRAME_SIZE}
 * @param maxHeaderListSize           most a response's header (or trailer) list may count, name +
 *                                    value + 32 octets a field, announced as
 *                                    SETTINGS_MAX_HEADER_LIST_SIZE; zero (the default) means
 *                                    {@link TransportConfig#maxResponseHeaderBytes()}, so both
 *                                    protocols accept the same responses
 * @param readIdleTimeout             silence on a connection with streams open after which a PING
 *                                    checks it; zero means no health check; default
 *                                    {@link #DEFAULT_READ_IDLE_TIMEOUT}
 * @param pingTimeout                 wait for that PING's answer before the connection is closed as
 *                                    lost; must be positive (zero is refused); default
 *                                    {@link #DEFAULT_PING_TIMEOUT}
 * @param strictMaxConcurrentStreams  at the server's SETTINGS_MAX_CONCURRENT_STREAMS, whether a
 *                                    request waits for a stream slot on an open connection (true)
 *                                    or another connection is opened (false, the default, as Go);
 *                                    see {@link #DEFAULT_STRICT_MAX_CONCURRENT_STREAMS}
 */
public record Http2Config(int maxConcurrentStreams, int initialStreamWindow, int initialConnectionWindow,
                          int maxFrameSize, int maxHeaderListSize, Duration readIdleTimeout, Duration pingTimeout,
                          boolean strictMaxConcurrentStreams) {
    /**
     * Streams used at once on one connection at most: 1000, Go's assumption when a server states no
     * limit. Servers announce less (nginx 128, Go 250, Jetty 128 by default), and their limit wins.
     */
    public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 1000;
    /**
     * Each stream's receive window: 4 MiB (Go's value). A stream buffers at most this much that its
     * reader has not consumed; 4 MiB sustains about 400 MB/s per stream at a 10 ms round trip.
     */
    public static final int DEFAULT_INITIAL_STREAM_WINDOW = 4 << 20;
    /**
     * The connection's receive window: 1 GiB (Go's value). Credit comes back as bodies are read, so
     * it bounds what all streams buffer unread together; it is large so that a few slow readers
     * (each holding at most its stream window) never starve the other streams.
     */
    public static final int DEFAULT_INITIAL_CONNECTION_WINDOW = 1 << 30;
    /** The largest frame accepted: 16384, the protocol's minimum, which every server handles (Go up to 1.26). */
    public static final int DEFAULT_MAX_FRAME_SIZE = 16384;
    /** The header list limit: zero, which means {@link TransportConfig#maxResponseHeaderBytes()} (256 KiB by default). */
    public static final int DEFAULT_MAX_HEADER_LIST_SIZE = 0;
    /**
     * Silence before a health PING: 30 s, and only while streams are open (golang/go#31643: a
     * connection that died without a FIN, e.g. dropped by a NAT, otherwise hangs every request on
     * it until a timeout). Go's health check is off by default; a finite one here means no hang.
     * Idle connections are not pinged, so servers that limit pings without streams (gRPC) are not
     * provoked.
     */
    public static final Duration DEFAULT_READ_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Wait for a health PING's answer: 15 s (Go's value). */
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(15);
    /**
     * Whether requests wait for a stream slot at the server's limit: false, as Go's default (its
     * {@code StrictMaxConcurrentRequests}, Go 1.26). A server's SETTINGS_MAX_CONCURRENT_STREAMS is a
     * per-connection fairness limit, not a request to queue: opening another connection when every
     * connection of the origin is full keeps a fan-out beyond the limit from waiting on the slowest
     * streams. The extra connections stay pooled and are reused, so there is no churn, and never
     * more are opened than the limit requires: the limit is learned from the server's first
     * SETTINGS before any connection carries more than one stream, then one connection is opened
     * per {@code limit} requests waiting. With {@link TransportConfig#maxConnsPerHost()} set, a
     * request at that cap waits for a stream slot instead. Set it to true for a hard bound of one
     * connection per origin (requests then queue for slots, and {@link Timings#streamWait()} shows
     * the wait).
     */
    public static final boolean DEFAULT_STRICT_MAX_CONCURRENT_STREAMS = false;

    private static final int MIN_WINDOW = 65535;
    private static final int MIN_FRAME = 16384;
    private static final int MAX_FRAME = (1 << 24) - 1;

    /** Checks the values; see each component for its range. */
    public Http2Config {
        require(maxConcurrentStreams >= 1, "maxConcurrentStreams must be at least 1", maxConcurrentStreams);
        require(initialStreamWindow >= MIN_WINDOW, "initialStreamWindow must be 65535 to 2^31-1", initialStreamWindow);
        require(initialConnectionWindow >= MIN_WINDOW, "initialConnectionWindow must be 65535 to 2^31-1",
                initialConnectionWindow);
        require(maxFrameSize >= MIN_FRAME && maxFrameSize <= MAX_FRAME, "maxFrameSize must be 16384 to 16777215",
                maxFrameSize);
        require(maxHeaderListSize >= 0, "maxHeaderListSize must not be negative", maxHeaderListSize);
        Objects.requireNonNull(readIdleTimeout, "readIdleTimeout");
        Objects.requireNonNull(pingTimeout, "pingTimeout");
        require(!readIdleTimeout.isNegative(), "readIdleTimeout must not be negative", readIdleTimeout);
        require(pingTimeout.compareTo(Duration.ZERO) > 0, "pingTimeout must be positive", pingTimeout);
    }

    /** Returns the configuration with every default. */
    public static Http2Config defaults() {
        return new Builder().build();
    }

    /** Returns a builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxConcurrentStreams = maxConcurrentStreams;
        b.initialStreamWindow = initialStreamWindow;
        b.initialConnectionWindow = initialConnectionWindow;
        b.maxFrameSize = maxFrameSize;
        b.maxHeaderListSize = maxHeaderListSize;
        b.readIdleTimeout = readIdleTimeout;
        b.pingTimeout = pingTimeout;
        b.strictMaxConcurrentStreams = strictMaxConcurrentStreams;
        return b;
    }

    private static void require(boolean ok, String what, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(what + ", got " + value);
        }
    }

    /** Builder of {@link Http2Config}; not thread-safe. Each setter's range is its component's. */
    public static final class Builder {
        private int maxConcurrentStreams = DEFAULT_MAX_CONCURRENT_STREAMS;
        private int initialStreamWindow = DEFAULT_INITIAL_STREAM_WINDOW;
        private int initialConnectionWindow = DEFAULT_INITIAL_CONNECTION_WINDOW;
        private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
        private int maxHeaderListSize = DEFAULT_MAX_HEADER_LIST_SIZE;
        private Duration readIdleTimeout = DEFAULT_READ_IDLE_TIMEOUT;
        private Duration pingTimeout = DEFAULT_PING_TIMEOUT;
        private boolean strictMaxConcurrentStreams = DEFAULT_STRICT_MAX_CONCURRENT_STREAMS;

        private Builder() {
        }

        /** Sets the most streams used at once on one connection; at least 1. */
        public Builder maxConcurrentStreams(int n) { maxConcurrentStreams = n; return this; }
        /** Sets each stream's receive window, 65535 to 2^31-1. */
        public Builder initialStreamWindow(int n) { initialStreamWindow = n; return this; }
        /** Sets each connection's receive window, 65535 to 2^31-1. */
        public Builder initialConnectionWindow(int n) { initialConnectionWindow = n; return this; }
        /** Sets the largest frame accepted, 16384 to 16777215. */
        public Builder maxFrameSize(int n) { maxFrameSize = n; return this; }
        /** Sets the header list limit; zero = {@link TransportConfig#maxResponseHeaderBytes()}. */
        public Builder maxHeaderListSize(int n) { maxHeaderListSize = n; return this; }
        /** Sets the silence before a health PING; zero = no health check. */
        public Builder readIdleTimeout(Duration d) { readIdleTimeout = d; return this; }
        /** Sets the wait for a PING's answer; must be positive. */
        public Builder pingTimeout(Duration d) { pingTimeout = d; return this; }
        /** Sets whether requests wait for a stream slot at the server's limit instead of opening a connection. */
        public Builder strictMaxConcurrentStreams(boolean b) { strictMaxConcurrentStreams = b; return this; }

        /**
         * Returns the immutable configuration.
         *
         * @throws IllegalArgumentException naming the first value out of its range
         */
        public Http2Config build() {
            return new Http2Config(maxConcurrentStreams, initialStreamWindow, initialConnectionWindow, maxFrameSize,
                    maxHeaderListSize, readIdleTimeout, pingTimeout, strictMaxConcurrentStreams);
        }
    }
}
