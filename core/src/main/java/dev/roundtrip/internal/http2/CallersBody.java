package dev.roundtrip.internal.http2;

import dev.roundtrip.internal.exchange.PreparedRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * CallersBody is the caller's request body as a stream reads it: a failure to open or read it is
 * marked ({@link Failure}), so it is never mistaken for a failed stream; the exchange then resets
 * the stream and gives the caller the body's own exception, never retried (Go's
 * {@code requestBodyReadError}, #18239).
 */
final class CallersBody extends InputStream {
    private final InputStream body;

    private CallersBody(InputStream body) {
        this.body = body;
    }

    /** Opens the caller's body. */
    static InputStream open(PreparedRequest.BodyOpener opener) throws IOException {
        try {
            return new CallersBody(opener.open());
        } catch (IOException e) {
            throw new Failure(e);
        }
    }

    @Override
    public int read() throws IOException {
        try {
            return body.read();
        } catch (IOException e) {
            throw new Failure(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return body.read(b, off, len);
        } catch (IOException e) {
            throw new Failure(e);
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }

    /** The caller's own exception, marked. */
    static final class Failure extends IOException {
        private static final long serialVersionUID = 1L;

        Failure(IOException original) {
            super(original.getMessage(), original);
        }

        IOException original() {
            return (IOException) getCause();
        }
    }
}
