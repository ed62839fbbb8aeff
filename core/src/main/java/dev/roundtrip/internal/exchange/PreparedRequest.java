package dev.roundtrip.internal.exchange;

import java.io.IOException;
import java.io.InputStream;

/**
 * PreparedRequest is what an exchange needs to send one request, validated and with the
 * Transport's decisions made (User-Agent, extra fields such as {@code Accept-Encoding},
 * {@code Connection: close}, the request-target form). It is protocol-neutral: HTTP/1.1 writes it
 * as a head and a framed body; an HTTP/2 stream would take {@code :method} from {@code method},
 * {@code :authority} from {@code host} and {@code :path} from an origin-form {@code target}.
 *
 * @param method         the method
 * @param target         the request-target (origin-form, or absolute-form through an HTTP proxy)
 * @param host           the Host header value (the authority)
 * @param userAgent      the User-Agent value, or null for none
 * @param headers        caller fields as name/value pairs
 * @param headerCount    pairs used in {@code headers}
 * @param close          whether the request asks to close the connection after the response
 * @param bodyLength     {@code RequestHeadWriter.NO_BODY}, {@code CHUNKED}, or the exact length
 * @param inlineBody     the whole body when it is in memory, else null
 * @param body           opens the body stream when it is not in memory, else null
 * @param extra          Transport extra fields as pairs, or null
 * @param expectContinue whether the request says {@code Expect: 100-continue} and has a body
 */
public record PreparedRequest(String method, String target, String host, String userAgent, String[] headers,
                              int headerCount, boolean close, long bodyLength, byte[] inlineBody, BodyOpener body,
                              String[] extra, boolean expectContinue) {

    /** Opens a request body stream. */
    @FunctionalInterface
    public interface BodyOpener {
        /** Returns a fresh stream of the body. */
        InputStream open() throws IOException;
    }
}
