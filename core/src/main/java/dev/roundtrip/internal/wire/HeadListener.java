package dev.roundtrip.internal.wire;

import java.util.List;

/**
 * HeadListener hears what {@link RequestHeadWriter} wrote, field by field, so the caller can
 * report it (the connection passes it on to a trace's {@code wroteHeaderField} and
 * {@code wroteHeaders}); the codec itself knows nothing of traces.
 */
public interface HeadListener {
    /** Called after the field {@code name} was buffered with {@code values} (several for a repeated name). */
    void wroteField(String name, List<String> values);

    /** Called after the blank line that ends the head was buffered. */
    void wroteHead();
}
