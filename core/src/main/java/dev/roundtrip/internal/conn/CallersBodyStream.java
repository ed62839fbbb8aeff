package dev.roundtrip.internal.conn;

import dev.roundtrip.internal.exchange.PreparedRequest;
import java.io.IOException;
import java.io.InputStream;

/**
 * CallersBodyStream is the caller's request body as the exchange reads it: a failure to open or
 * read it is marked ({@link ExchangeErrors.CallersBody}), so it is never mistaken for a failed
 * socket write. The exchange then returns the body's own exception at once, closes the connection
 * and retries nothing (Go's {@code requestBodyReadError}, #18239).
 */
final class CallersBodyStream extends InputStream {
    private final InputStream body;

    private CallersBodyStream(InputStream body) {
        this.body = body;
    }

    /** Opens the caller's body. */
    static InputStream open(PreparedRequest.BodyOpener opener) throws IOException {
        try {
            return new CallersBodyStream(opener.open());
        } catch (IOException e) {
            throw new ExchangeErrors.CallersBody(e);
        }
    }

    @Override
    public int read() throws IOException {
        try {
            return body.read();
        } catch (IOException e) {
            throw new ExchangeErrors.CallersBody(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return body.read(b, off, len);
        } catch (IOException e) {
            throw new ExchangeErrors.CallersBody(e);
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
