package dev.roundtrip.internal.conn;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * RequestBodySource wraps the stream of a request body so that a failure of the body itself (the
 * caller's stream) is told apart from a failure of the connection: it is thrown as a
 * {@link Failure}, which the connection reports at once as the body's own exception, without
 * waiting for a response the server cannot send (it still waits for the rest of the body) and
 * without a retry (Go's {@code requestBodyReadError}).
 */
final class RequestBodySource extends FilterInputStream {
    RequestBodySource(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (IOException e) {
            throw new Failure(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (IOException e) {
            throw new Failure(e);
        }
    }

    /** Failure carries the exception the request body's stream threw; it never leaves the connection. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;

        Failure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        /** Returns what the body's stream threw. */
        IOException original() {
            return (IOException) getCause();
        }
    }
}
