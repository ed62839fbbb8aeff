package dev.roundtrip.internal.http2;

import java.time.Duration;

/**
 * Http2Settings are the limits and timings of one HTTP/2 connection, every one a named default
 * with its reason; the Transport's config will expose them. Immutable; derive with the
 * {@code with...} methods.
 *
 * @param headerTableSize       this side's HPACK decoder table, sent as SETTINGS_HEADER_TABLE_SIZE
 *                              when not 4096. Default {@link #DEFAULT_HEADER_TABLE_SIZE}
 * @param maxEncoderTableSize   cap on the table the server lets this side's encoder use. Default
 *                              {@link #DEFAULT_MAX_ENCODER_TABLE_SIZE}
 * @param initialStreamWindow   receive window of each stream (SETTINGS_INITIAL_WINDOW_SIZE), at
 *                              least 65535. Default {@link #DEFAULT_INITIAL_STREAM_WINDOW}
 * @param connectionWindow      receive window of the connection, at least 65535. Default
 *                              {@link #DEFAULT_CONNECTION_WINDOW}
 * @param maxFrameSize          SETTINGS_MAX_FRAME_SIZE this side accepts, 16384 to 16777215.
 *                              Default {@link #DEFAULT_MAX_FRAME_SIZE}
 * @param maxHeaderListSize     most a response's header (or trailer) list may count, name + value
 *                              + 32 a field; sent as SETTINGS_MAX_HEADER_LIST_SIZE. The Transport
 *                              passes {@code maxResponseHeaderBytes}. Default
 *                              {@link #DEFAULT_MAX_HEADER_LIST_SIZE}
 * @param maxContinuationFrames most CONTINUATION frames of one header block. Default
 *                              {@link #DEFAULT_MAX_CONTINUATION_FRAMES}
 * @param streamsBeforeSettings streams opened before the server's first SETTINGS says its limit.
 *                              Default {@link #DEFAULT_STREAMS_BEFORE_SETTINGS}
 * @param maxConcurrentStreams  most streams this side uses at once, whatever the server allows.
 *                              Default {@link #DEFAULT_MAX_CONCURRENT_STREAMS}
 * @param readIdleTimeout       silence, with streams open, after which a PING is sent; zero means
 *                              no health check. Default {@link #DEFAULT_READ_IDLE_TIMEOUT}
 * @param pingTimeout           wait for a PING's answer before the connection is closed as lost.
 *                              Default {@link #DEFAULT_PING_TIMEOUT}
 * @param writeTimeout          longest a write to the socket may go without progress before the
 *                              connection is closed as lost (Go's WriteByteTimeout), and longest a
 *                              request body waits for flow-control credit before its stream fails
 *                              with a timeout; zero means none. Default {@link #DEFAULT_WRITE_TIMEOUT}
 */
public record Http2Settings(int headerTableSize, int maxEncoderTableSize, int initialStreamWindow,
                            int connectionWindow, int maxFrameSize, int maxHeaderListSize, int maxContinuationFrames,
                            int streamsBeforeSettings, int maxConcurrentStreams, Duration readIdleTimeout,
                            Duration pingTimeout, Duration writeTimeout) {
    /** The HPACK table the decoder keeps: 4096, the protocol's initial value (RFC 9113 §6.5.2), so no setting is sent. */
    public static final int DEFAULT_HEADER_TABLE_SIZE = 4096;
    /** The largest encoder table used: 4096 octets, enough for a request's repeated fields (Go's default). */
    public static final int DEFAULT_MAX_ENCODER_TABLE_SIZE = 4096;
    /**
     * Each stream's receive window: 4 MiB (Go's value). A stream buffers at most this much that
     * its reader has not consumed; 4 MiB sustains about 400 MB/s per stream at a 10 ms round trip.
     */
    public static final int DEFAULT_INITIAL_STREAM_WINDOW = 4 << 20;
    /**
     * The connection's receive window: 1 GiB (Go's value). Credit comes back as bodies are read, so
     * this bounds what all streams together buffer unread; it is large so that a few slow readers
     * (each holding at most its stream window) never starve the other streams of the connection.
     */
    public static final int DEFAULT_CONNECTION_WINDOW = 1 << 30;
    /** The largest frame accepted: 16384, the protocol minimum every server handles (Go up to 1.26). */
    public static final int DEFAULT_MAX_FRAME_SIZE = 16384;
    /**
     * The header list limit: 256 KiB, the same as the Transport's default
     * {@code maxResponseHeaderBytes} for HTTP/1.1, so both protocols accept the same responses.
     */
    public static final int DEFAULT_MAX_HEADER_LIST_SIZE = 256 * 1024;
    /**
     * CONTINUATION frames a header block may use: 1024. Legitimate servers need a few (a 256 KiB
     * block at the 16 KiB frame minimum takes 16); empty CONTINUATIONs count too, so a flood of them
     * (CVE-2023-45288) ends quickly.
     */
    public static final int DEFAULT_MAX_CONTINUATION_FRAMES = 1024;
    /**
     * Streams opened before the server's first SETTINGS: 1. RFC 9113 §5.1.2 lets a client assume no
     * limit until told, but a burst against a server allowing fewer streams would then be refused
     * or spread over new connections; the first request goes out with the preface at once, the
     * others wait for the server's SETTINGS, which servers send first thing (§3.4), so at most one
     * round trip.
     */
    public static final int DEFAULT_STREAMS_BEFORE_SETTINGS = 1;
    /** Streams used at once at most: 1000, Go's assumption when a server states no limit. */
    public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 1000;
    /**
     * Silence before a health PING: 30 s, only while streams are open (golang/go#31643: dead
     * connections otherwise hang requests). Not sent on idle connections, so servers that limit
     * pings without streams (gRPC) are not provoked.
     */
    public static final Duration DEFAULT_READ_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Wait for a PING's answer: 15 s (Go's value). */
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(15);
    /**
     * Longest socket write without progress: 30 s, as the Transport's HTTP/1.1 write timeout. Flow
     * control keeps a healthy peer reading, so a write stalled that long means the peer stopped
     * reading. A stream past its deadline, or canceled, needs much less: see {@link WriteWatchdog}.
     */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);

    /** The smallest receive window: the protocol's initial 65535 (§6.9.2). */
    private static final int MIN_WINDOW = 65535;

    /** Checks the values. */
    public Http2Settings {
        require(headerTableSize >= 0, "headerTableSize", headerTableSize);
        require(maxEncoderTableSize >= 0, "maxEncoderTableSize", maxEncoderTableSize);
        require(initialStreamWindow >= MIN_WINDOW, "initialStreamWindow", initialStreamWindow);
        require(connectionWindow >= MIN_WINDOW, "connectionWindow", connectionWindow);
        require(maxFrameSize >= SettingId.MIN_MAX_FRAME_SIZE && maxFrameSize <= SettingId.MAX_MAX_FRAME_SIZE,
                "maxFrameSize", maxFrameSize);
        require(maxHeaderListSize > 0, "maxHeaderListSize", maxHeaderListSize);
        require(maxContinuationFrames >= 0, "maxContinuationFrames", maxContinuationFrames);
        require(streamsBeforeSettings >= 1, "streamsBeforeSettings", streamsBeforeSettings);
        require(maxConcurrentStreams >= 1, "maxConcurrentStreams", maxConcurrentStreams);
        require(!readIdleTimeout.isNegative(), "readIdleTimeout", readIdleTimeout);
        require(pingTimeout.compareTo(Duration.ZERO) > 0, "pingTimeout", pingTimeout);
        require(!writeTimeout.isNegative(), "writeTimeout", writeTimeout);
    }

    /** Returns the defaults. */
    public static Http2Settings defaults() {
        return new Http2Settings(DEFAULT_HEADER_TABLE_SIZE, DEFAULT_MAX_ENCODER_TABLE_SIZE, DEFAULT_INITIAL_STREAM_WINDOW,
                DEFAULT_CONNECTION_WINDOW, DEFAULT_MAX_FRAME_SIZE, DEFAULT_MAX_HEADER_LIST_SIZE,
                DEFAULT_MAX_CONTINUATION_FRAMES, DEFAULT_STREAMS_BEFORE_SETTINGS, DEFAULT_MAX_CONCURRENT_STREAMS,
                DEFAULT_READ_IDLE_TIMEOUT, DEFAULT_PING_TIMEOUT, DEFAULT_WRITE_TIMEOUT);
    }

    /**
     * Returns the most octets one header block may take on the wire: twice the header list limit
     * (at least 16 KiB). An encoder never needs more: a field's representation is shorter than the
     * 32 octets of overhead it counts for (Go closes at twice the remaining budget too).
     */
    public int maxHeaderBlockBytes() {
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(16 * 1024, 2L * maxHeaderListSize));
    }

    /**
     * Returns the SETTINGS this side sends first, as id, value pairs: ENABLE_PUSH=0 (this client
     * refuses push), the stream window, the largest frame and header list accepted, and the HPACK
     * table size when it is not the protocol's initial 4096 (RFC 9113 §6.5.2). No
     * MAX_CONCURRENT_STREAMS: the server opens no streams to a client that refuses push.
     */
    long[] initialSettings() {
        long[] pairs = {SettingId.ENABLE_PUSH, 0, SettingId.INITIAL_WINDOW_SIZE, initialStreamWindow,
            SettingId.MAX_FRAME_SIZE, maxFrameSize, SettingId.MAX_HEADER_LIST_SIZE, maxHeaderListSize,
            SettingId.HEADER_TABLE_SIZE, headerTableSize};
        return headerTableSize == DEFAULT_HEADER_TABLE_SIZE ? java.util.Arrays.copyOf(pairs, 8) : pairs;
    }

    /** Returns these settings with another stream receive window. */
    public Http2Settings withInitialStreamWindow(int v) {
        return new Http2Settings(headerTableSize, maxEncoderTableSize, v, connectionWindow, maxFrameSize,
                maxHeaderListSize, maxContinuationFrames, streamsBeforeSettings, maxConcurrentStreams, readIdleTimeout,
                pingTimeout, writeTimeout);
    }

    /** Returns these settings with another connection receive window. */
    public Http2Settings withConnectionWindow(int v) {
        return new Http2Settings(headerTableSize, maxEncoderTableSize, initialStreamWindow, v, maxFrameSize,
                maxHeaderListSize, maxContinuationFrames, streamsBeforeSettings, maxConcurrentStreams, readIdleTimeout,
                pingTimeout, writeTimeout);
    }

    /** Returns these settings with another header list limit. */
    public Http2Settings withMaxHeaderListSize(int v) {
        return new Http2Settings(headerTableSize, maxEncoderTableSize, initialStreamWindow, connectionWindow,
                maxFrameSize, v, maxContinuationFrames, streamsBeforeSettings, maxConcurrentStreams, readIdleTimeout,
                pingTimeout, writeTimeout);
    }

    /** Returns these settings with another number of streams allowed before the server's SETTINGS. */
    public Http2Settings withStreamsBeforeSettings(int v) {
        return new Http2Settings(headerTableSize, maxEncoderTableSize, initialStreamWindow, connectionWindow,
                maxFrameSize, maxHeaderListSize, maxContinuationFrames, v, maxConcurrentStreams, readIdleTimeout,
                pingTimeout, writeTimeout);
    }

    /** Returns these settings with other health-check and write timings. */
    public Http2Settings withTimeouts(Duration readIdle, Duration ping, Duration write) {
        return new Http2Settings(headerTableSize, maxEncoderTableSize, initialStreamWindow, connectionWindow,
                maxFrameSize, maxHeaderListSize, maxContinuationFrames, streamsBeforeSettings, maxConcurrentStreams,
                readIdle, ping, write);
    }

    private static void require(boolean ok, String name, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("invalid HTTP/2 setting " + name + ": " + value);
        }
    }
}
