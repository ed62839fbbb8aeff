package dev.roundtrip.micrometer;

import java.io.IOException;

/**
 * ResponseLeakedException is the error an {@link ObservationRoundTripper} observation stops with
 * when its response body was garbage collected without being closed or read to its end: the
 * exchange never finished for the application, and its connection was held until then. It is never
 * thrown; it only marks the observation.
 */
public final class ResponseLeakedException extends IOException {
    private static final long serialVersionUID = 1L;

    ResponseLeakedException(String message) {
        super(message);
    }
}
