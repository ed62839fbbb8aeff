package dev.roundtrip.internal.conn;

import dev.roundtrip.internal.wire.HeadListener;
import dev.roundtrip.trace.ClientTrace;
import java.util.List;

/** TracedHead passes what the head writer wrote on to a trace (Go's WroteHeaderField, WroteHeaders). */
final class TracedHead implements HeadListener {
    private final ClientTrace trace;

    private TracedHead(ClientTrace trace) {
        this.trace = trace;
    }

    /** Returns a listener reporting to {@code trace}, or null when there is no trace. */
    static HeadListener of(ClientTrace trace) {
        return trace == null ? null : new TracedHead(trace);
    }

    @Override
    public void wroteField(String name, List<String> values) {
        trace.wroteHeaderField(name, values);
    }

    @Override
    public void wroteHead() {
        trace.wroteHeaders();
    }
}
