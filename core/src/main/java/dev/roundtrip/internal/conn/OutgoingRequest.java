package dev.roundtrip.internal.conn;

import java.io.IOException;
import java.io.InputStream;

/**
 * OutgoingRequest is what a connection needs to write one request, already validated.
 *
 * @param method      the method
 * @param target      the request-target
 * @param host        the Host header value
 * @param userAgent   the User-Agent value, or null for none
 * @param headers     caller fields as name/value pairs
 * @param headerCount pairs used in {@code headers}
 * @param close       whether the request asks to close the connection after the response
 * @param bodyLength  {@code RequestHeadWriter.NO_BODY}, {@code CHUNKED}, or the exact length
 * @param inlineBody  the whole body when it is in memory, else null
 * @param body        opens the body stream when it is not in memory, else null
 * @param extra       Transport extra fields as pairs, or null
 * @param expectContinue whether the request says {@code Expect: 100-continue} and has a body
 */
public record OutgoingRequest(String method, String target, String host, String userAgent, String[] headers,
                              int headerCount, boolean close, long bodyLength, byte[] inlineBody, BodyOpener body,
                              String[] extra, boolean expectContinue) {

    /** Opens a request body stream. */
    @FunctionalInterface
    public interface BodyOpener {
        /** Returns a fresh stream of the body. */
        InputStream open() throws IOException;
    }
}
