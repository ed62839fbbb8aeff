package dev.roundtrip.internal.http2;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * StreamTable is a connection's stream bookkeeping: the streams open by id, the slots reserved by
 * streams that have no id yet, the next id (odd, ascending, RFC 9113 §5.1.1), and the concurrency
 * limit in force: {@link Http2Settings#streamsBeforeSettings()} until the server's first SETTINGS,
 * then the server's SETTINGS_MAX_CONCURRENT_STREAMS capped by {@link
 * Http2Settings#maxConcurrentStreams()}. A stream holds its slot from its reservation until both
 * sides ended it or it was reset.
 *
 * <p>Not thread-safe: every method runs under the connection's lock.
 */
final class StreamTable {
    /** The largest stream id (§5.1.1: 31 bits). */
    static final int LAST_STREAM_ID = Integer.MAX_VALUE;

    private final Http2Settings settings;
    private final Map<Integer, Http2Stream> streams = new HashMap<>();
    private int nextStreamId = 1;
    private int reserved;
    private boolean settingsReceived;
    private long peerMaxConcurrentStreams = Long.MAX_VALUE;

    StreamTable(Http2Settings settings) {
        this.settings = settings;
    }

    /** Returns the open stream {@code id}, or null. */
    Http2Stream get(int id) {
        return streams.get(id);
    }

    /** Returns the open streams, a copy. */
    List<Http2Stream> open() {
        return new ArrayList<>(streams.values());
    }

    /** Returns the number of streams open or reserved. */
    int active() {
        return streams.size() + reserved;
    }

    /** Returns whether no stream is open or reserved. */
    boolean isEmpty() {
        return streams.isEmpty() && reserved == 0;
    }

    /** Returns whether ids are left for new streams. */
    boolean idsLeft() {
        return nextStreamId <= LAST_STREAM_ID - 2;
    }

    /** Returns true if {@code id} is a stream this side never opened (idle, or even: server-initiated). */
    boolean isIdle(int id) {
        return id % 2 == 0 || id >= nextStreamId;
    }

    /** Returns whether the server's first SETTINGS arrived. */
    boolean settingsReceived() {
        return settingsReceived;
    }

    /** Records the server's SETTINGS: its stream limit if stated ({@code -1}: not in this frame). */
    void settingsReceived(long maxConcurrentStreams) {
        settingsReceived = true;
        if (maxConcurrentStreams >= 0) {
            peerMaxConcurrentStreams = maxConcurrentStreams;
        }
    }

    /** Returns the stream limit in force. */
    int limit() {
        if (!settingsReceived) {
            return settings.streamsBeforeSettings();
        }
        return (int) Math.min(peerMaxConcurrentStreams, settings.maxConcurrentStreams());
    }

    /** Returns how many streams could be reserved now (ids and limit permitting). */
    int available() {
        long idsLeft = ((long) LAST_STREAM_ID - nextStreamId) / 2 - reserved;
        return (int) Math.max(0, Math.min(idsLeft, limit() - streams.size() - reserved));
    }

    /** Takes a slot for a stream that will get its id later. */
    void reserve() {
        reserved++;
    }

    /** Gives back a slot that never got an id. */
    void unreserve() {
        reserved--;
    }

    /**
     * Opens {@code s} with the next id and returns it, or -1 if ids ran out; its reservation must
     * have been given back ({@link #unreserve()}) first.
     */
    int register(Http2Stream s) {
        if (!idsLeft()) {
            return -1;
        }
        int id = nextStreamId;
        nextStreamId += 2;
        streams.put(id, s);
        return id;
    }

    /** Removes a stream that has an id; returns false if it was not open. */
    boolean remove(Http2Stream s) {
        return s.id != 0 && streams.remove(s.id, s);
    }

    /** Forgets every stream (the connection ended). */
    void clear() {
        streams.clear();
    }
}
