package dev.roundtrip.internal.client;

import dev.roundtrip.Request;
import java.io.IOException;
import java.io.InputStream;

/** ClientBodyStream is a response body whose read failures name the request (see {@link ClientErrors}). */
public final class ClientBodyStream extends InputStream {
    private final InputStream body;
    private final Request request;
    private final ClientTimeout callTimeout;

    /** Wraps {@code body} of a response to {@code request}; {@code callTimeout} (or null) may name itself in a failure. */
    public ClientBodyStream(InputStream body, Request request, ClientTimeout callTimeout) {
        this.body = body;
        this.request = request;
        this.callTimeout = callTimeout;
    }

    @Override
    public int read() throws IOException {
        try {
            return body.read();
        } catch (IOException e) {
            throw ClientErrors.decorate(e, request, note(e));
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return body.read(b, off, len);
        } catch (IOException e) {
            throw ClientErrors.decorate(e, request, note(e));
        }
    }

    private String note(IOException e) {
        return callTimeout == null ? null : callTimeout.noteFor(e);
    }

    @Override
    public int available() throws IOException {
        return body.available();
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
