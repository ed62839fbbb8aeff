package dev.roundtrip.fuzz;

import dev.roundtrip.Cookie;
import dev.roundtrip.Headers;
import dev.roundtrip.Response;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.Wire;
import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.TruncatedBodyException;
import dev.roundtrip.internal.wire.ContentTypes;
import dev.roundtrip.internal.wire.GzipSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * ParseOracle runs one fuzz case through every public entry point that parses server bytes and
 * judges the result. Allowed: a response whose head, fields, body (gzip-decoded when it says so),
 * trailers and cookies can be read, and that {@link Wire#writeResponse} writes back to the same
 * head; or one of the documented exceptions ({@link HttpProtocolException}, its
 * {@link TruncatedBodyException}, {@link EOFException} for an empty stream); the charset of its
 * {@code Content-Type} is read too. Anything else is a
 * finding: another exception type, an unchecked exception or error, a body longer than its
 * input allows, a head that does not survive writing, or allocation out of proportion to the
 * input. Hangs are caught by the caller, which runs each case under a time budget.
 */
final class ParseOracle {
    /** What a case came to. */
    enum Outcome { PARSED, PROTOCOL_ERROR, TRUNCATED, EMPTY }

    /** The most bytes a case may allocate per input byte, beyond {@link #FIXED_ALLOCATION}. */
    static final int ALLOCATION_PER_BYTE = 64;
    /** Allocation allowed whatever the input: buffers, the gzip decoder, the written copy. */
    static final long FIXED_ALLOCATION = 4L << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ParseOracle() {
    }

    /** A case that broke the oracle's rules. */
    static final class Finding extends AssertionError {
        private static final long serialVersionUID = 1L;

        Finding(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Runs {@code c} and returns its outcome, or throws a {@link Finding}. */
    static Outcome check(ByteMutator.Case c) {
        Outcome outcome;
        try {
            outcome = parseAll(c);
        } catch (TruncatedBodyException e) {
            outcome = Outcome.TRUNCATED;
        } catch (HttpProtocolException e) {
            outcome = Outcome.PROTOCOL_ERROR;
        } catch (EOFException e) {
            if (c.message().length != 0) {
                throw new Finding("EOFException for a non-empty message", e);
            }
            outcome = Outcome.EMPTY;
        } catch (IOException e) {
            throw new Finding("undocumented IOException type " + e.getClass().getName(), e);
        } catch (Finding e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw new Finding("unchecked " + e.getClass().getName() + " escaped", e);
        }
        return outcome;
    }

    private static Outcome parseAll(ByteMutator.Case c) throws IOException {
        byte[] message = c.message();
        ByteArrayInputStream in = new ByteArrayInputStream(message);
        boolean gzip = false;
        long decoded = 0;
        Response r;
        // The parse itself (head, body, trailers) must allocate in proportion to its input.
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        try {
            r = Wire.readResponse(in, c.method());
            gzip = isGzip(r);
            try (InputStream body = gzip ? gzipOf(r.body()) : r.body()) {
                decoded = drain(body, 1 + (int) Math.floorMod(c.seed(), 3) * 4096);
            }
            r.trailers();
        } finally {
            long allocated = THREADS.getThreadAllocatedBytes(id) - before;
            long bound = ALLOCATION_PER_BYTE * (long) message.length + FIXED_ALLOCATION;
            if (allocated > bound) {
                throw new Finding("allocated " + allocated + " bytes for " + message.length
                        + " input bytes (bound " + bound + ")", null);
            }
        }
        long most = gzip ? TransportConfig.DEFAULT_MAX_DECOMPRESSED_BYTES : message.length;
        if (decoded > most) {
            throw new Finding("body of " + decoded + " bytes from " + message.length + " input bytes", null);
        }
        touch(r.headers());
        ContentTypes.charset(r.headers().first("Content-Type"), StandardCharsets.UTF_8);
        for (Cookie cookie : Cookie.parseAll(r.headers())) {
            cookie.toString();
            cookie.toHeaderPair();
        }
        touch(r.trailers());
        r.toString();
        checkWrittenBack(c);
        return Outcome.PARSED;
    }

    private static boolean isGzip(Response r) {
        String encoding = r.headers().first("Content-Encoding");
        return encoding != null && encoding.trim().equalsIgnoreCase("gzip");
    }

    private static InputStream gzipOf(InputStream body) {
        return new GzipSource(body, TransportConfig.DEFAULT_MAX_DECOMPRESSED_BYTES,
                TransportConfig.DEFAULT_MAX_DECOMPRESSION_RATIO, null);
    }

    private static void touch(Headers h) {
        for (int i = 0; i < h.size(); i++) {
            h.name(i).length();
            h.value(i).length();
        }
        h.toMap();
        h.names();
        h.toString();
    }

    private static long drain(InputStream in, int readSize) throws IOException {
        byte[] b = new byte[readSize];
        long total = 0;
        if (readSize == 1) {
            while (in.read() >= 0) {
                total++;
            }
            return total;
        }
        int n;
        while ((n = in.read(b, 0, b.length)) >= 0) {
            total += n;
        }
        return total;
    }

    /** Returns the length of the head {@link Wire#writeResponse} wrote: up to and with its blank line. */
    private static int writtenHeadBytes(byte[] written) {
        for (int i = 3; i < written.length; i++) {
            if (written[i] == '\n' && written[i - 1] == '\r' && written[i - 2] == '\n' && written[i - 3] == '\r') {
                return i + 1;
            }
        }
        return written.length;
    }

    /** A response that parsed is written back and read again: its status line and fields survive. */
    private static void checkWrittenBack(ByteMutator.Case c) throws IOException {
        Response r = Wire.readResponse(new ByteArrayInputStream(c.message()), c.method());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Wire.writeResponse(r, out);
        Response again;
        try {
            again = Wire.readResponse(new ByteArrayInputStream(out.toByteArray()), c.method());
        } catch (HttpProtocolException e) {
            if (writtenHeadBytes(out.toByteArray()) > TransportConfig.DEFAULT_MAX_RESPONSE_HEADER_BYTES) {
                return; // writing normalizes bare LFs and folds to CRLF lines: a head near the limit grew past it
            }
            throw new Finding("the written response does not parse: " + e, e);
        }
        String was = r.protocol() + " " + r.status() + " " + r.reason() + " " + r.headers();
        String is = again.protocol() + " " + again.status() + " " + again.reason() + " " + again.headers();
        if (!was.equals(is) || !r.headers().equals(again.headers())) {
            throw new Finding("head changed when written back: " + was + " became " + is, null);
        }
    }
}
