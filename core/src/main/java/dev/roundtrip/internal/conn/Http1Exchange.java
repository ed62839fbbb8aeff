package dev.roundtrip.internal.conn;

import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.exchange.Deadline;
import dev.roundtrip.internal.exchange.Exchange;
import dev.roundtrip.internal.exchange.ExchangeFailure;
import dev.roundtrip.internal.exchange.ExchangeResponse;
import dev.roundtrip.internal.exchange.ExchangeState;
import dev.roundtrip.internal.exchange.PreparedRequest;
import dev.roundtrip.internal.exchange.ReleaseListener;
import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.wire.BodyFraming;
import dev.roundtrip.internal.wire.BodySource;
import dev.roundtrip.internal.wire.BodyWriter;
import dev.roundtrip.internal.wire.HeadBuffer;
import dev.roundtrip.internal.wire.RequestHeadWriter;
import dev.roundtrip.internal.wire.ResponseHead;
import dev.roundtrip.internal.wire.ResponseHeadReader;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedByInterruptException;

/**
 * Http1Exchange is one request and its response on a {@link PersistentConnection}, all on the
 * caller's thread. Its steps, in order (each a state of {@link ExchangeState}):
 * <ol>
 *   <li>WRITING_HEAD: the head, with a body that fits the write buffer, in one write (a chunked
 *       body of a usually bodyless method is probed first, as Go does: empty means no body);</li>
 *   <li>AWAITING_CONTINUE, for {@code Expect: 100-continue}: {@link ContinueWait};</li>
 *   <li>WRITING_BODY: the body, under a {@link WriteWatchdog}; a socket failure here is held back
 *       while the server's answer is read, since it may have answered before taking the whole body
 *       (a 413, Go #3595); the caller's own body failing ends the exchange at once (Go #18239);</li>
 *   <li>READING_HEAD: the status line and headers, 1xx reported and skipped, under the response
 *       header timeout;</li>
 *   <li>READING_BODY: the caller reads a {@link ResponseBodyStream}; its end or close releases the
 *       connection ({@link #released}), then DONE;</li>
 *   <li>any failure: FAILED, the connection closed, and {@link ExchangeErrors} says what the
 *       caller sees and whether a retry is safe.</li>
 * </ol>
 */
final class Http1Exchange implements Exchange {
    private final PersistentConnection conn;
    private final ConnSettings settings;
    private final Deadline deadline;
    private final ClientTrace trace;
    private final ReleaseListener release;
    /** Where the exchange is; written by the owning thread, read by {@link #cancel} too. */
    private volatile ExchangeState state = ExchangeState.WRITING_HEAD;
    /** Set by {@link #cancel}, read by {@link #released}: together they keep a cancel off a reused connection. */
    private volatile boolean canceled;
    /** Set once the exchange has ended (released or failed): a later cancel must not touch the connection. */
    private volatile boolean ended;
    // Owned by the thread running the exchange.
    private long written;
    private long receivedMark;
    private int headBudget;
    private boolean firstByteSeen;
    private boolean wroteReported;
    private long bodyLength;
    private InputStream bodyStream;
    private int firstBodyByte = -1;
    /** A body write failure held back in case the server already answered (Go #3595). */
    private IOException pendingWrite;
    /** A final response that came before 100 Continue: the body was not sent. */
    private ResponseHead earlyHead;
    private long wroteNanos;
    private long responseNanos;
    private long idleHintNanos = -1;

    Http1Exchange(PersistentConnection conn, Deadline deadline, ClientTrace trace, ReleaseListener release) {
        this.conn = conn;
        this.settings = conn.settings();
        this.deadline = deadline;
        this.trace = trace;
        this.release = release;
    }

    @Override
    public ExchangeState state() {
        return state;
    }

    @Override
    public void cancel() {
        canceled = true;
        if (!ended) {
            conn.abort(AbortCause.CANCELED);
        }
    }

    @Override
    public ExchangeResponse roundTrip(PreparedRequest r) throws ExchangeFailure {
        receivedMark = conn.input().totalRead() - conn.input().buffered();
        headBudget = settings.maxHeaderBytes();
        try {
            boolean bodyToSend = writeHead(r);
            if (bodyToSend && r.expectContinue() && settings.expectContinueNanos() > 0) {
                move(ExchangeState.AWAITING_CONTINUE);
                if (trace != null) trace.wait100Continue();
                earlyHead = ContinueWait.await(this);
                bodyToSend = earlyHead == null;
            }
            if (bodyToSend) {
                move(ExchangeState.WRITING_BODY);
                writeBody(r);
            }
            wrote();
            move(ExchangeState.READING_HEAD);
            return respond(r, earlyHead != null ? earlyHead : readFinalHead());
        } catch (IOException e) {
            throw fail(e);
        } catch (RuntimeException | Error e) {
            failUnchecked();
            throw e;
        } finally {
            closeQuietly(bodyStream);
        }
    }

    /** Writes the head (and an inline body); returns true if a body is still to be sent. */
    private boolean writeHead(PreparedRequest r) throws IOException {
        bodyLength = r.bodyLength();
        byte[] inline = r.inlineBody();
        if (bodyLength == RequestHeadWriter.CHUNKED && inline == null && RequestHeadWriter.usuallyBodyless(r.method())) {
            // Go's probe (without its 200 ms timer): an empty body is sent as no body.
            bodyStream = CallersBodyStream.open(r.body());
            firstBodyByte = bodyStream.read();
            if (firstBodyByte < 0) {
                bodyLength = RequestHeadWriter.NO_BODY;
            }
        }
        HeadBuffer head = conn.headBuffer();
        head.reset();
        RequestHeadWriter.write(head, r.method(), r.target(), r.host(), r.userAgent(), r.headers(), r.headerCount(),
                r.close(), bodyLength, r.extra(), TracedHead.of(trace));
        boolean bodyPending = bodyLength != RequestHeadWriter.NO_BODY && bodyLength != 0;
        if (bodyPending && !r.expectContinue() && inline != null
                && head.size() + inline.length <= settings.writeBufferSize()) {
            head.bytes(inline, 0, inline.length);
            bodyPending = false;
        }
        try {
            ExchangeErrors.remainingOrThrow(deadline, TimeoutPhase.WRITE);
            conn.output().write(head.array(), 0, head.size());
            written += head.size();
        } finally {
            head.release(); // the head is written (or the exchange failed): the array goes back to the pool
        }
        return bodyPending;
    }

    /** Writes the body; a socket failure is kept in {@link #pendingWrite} if the server may have answered. */
    private void writeBody(PreparedRequest r) throws IOException {
        WriteWatchdog dog = WriteWatchdog.start(conn, deadline);
        try {
            byte[] inline = r.inlineBody();
            if (inline != null) {
                conn.output().write(inline, 0, inline.length);
                written += inline.length;
            } else {
                if (bodyStream == null) {
                    bodyStream = CallersBodyStream.open(r.body());
                }
                byte[] scratch = settings.writeBuffers().take();
                try {
                    BodyWriter.copy(bodyStream, firstBodyByte, conn.output(), bodyLength, scratch, n -> {
                        written += n;
                        if (dog != null) dog.progressed();
                    });
                } catch (HttpProtocolException e) {
                    throw new ExchangeErrors.CallersBody(e); // longer or shorter than its declared length
                } finally {
                    settings.writeBuffers().give(scratch);
                }
            }
        } catch (IOException e) {
            if (!serverMayHaveAnswered(e)) {
                throw e;
            }
            pendingWrite = e; // read the answer first; report this only if there is none
        } finally {
            if (dog != null) dog.stop();
        }
    }

    private boolean serverMayHaveAnswered(IOException e) {
        return !(e instanceof ExchangeErrors.CallersBody) && !(e instanceof HttpTimeoutException)
                && !(e instanceof ClosedByInterruptException) && conn.abortCause() == null && !conn.isClosed()
                && written > 0;
    }

    /** The request is written (or as written as it will be): timings and the trace learn it. */
    private void wrote() {
        wroteNanos = System.nanoTime();
        wroteReported = true;
        if (trace != null) trace.wroteRequest(pendingWrite == null ? null
                : ExchangeErrors.failure(pendingWrite, facts(ExchangeState.WRITING_BODY), conn).error());
    }

    /** Reads response heads until a final one (or 101), reporting the 1xx ones. */
    private ResponseHead readFinalHead() throws IOException {
        boolean first = true;
        while (true) {
            ResponseHead h = readHead();
            if (first) {
                responseNanos = System.nanoTime();
                first = false;
            }
            if (h.isFinal()) {
                return h;
            }
            report1xx(h);
        }
    }

    /** Reads one response head under the response header timeout; fires the first-byte hook once. */
    ResponseHead readHead() throws IOException {
        conn.armRead(settings.responseHeaderTimeoutNanos(), deadline, TimeoutPhase.RESPONSE_HEADERS);
        ResponseHead h = ResponseHeadReader.read(conn.input(), headBudget, settings.maxHeaderBytes());
        if (h == null) {
            throw new ExchangeErrors.ServerClosed();
        }
        headBudget -= h.headBytes();
        if (!firstByteSeen) {
            firstByteSeen = true;
            if (trace != null) trace.gotFirstResponseByte();
        }
        return h;
    }

    /** Reports an informational response; a hook that throws aborts the exchange with its own exception. */
    void report1xx(ResponseHead h) throws IOException {
        if (trace == null) {
            return;
        }
        if (h.status() == 100) {
            trace.got100Continue();
        }
        try {
            trace.got1xxResponse(h.status(), h.fieldMap());
        } catch (IOException e) {
            throw new ExchangeErrors.HookAbort(e);
        }
    }

    /** Records when a final answer arrived during the 100-continue wait. */
    void earlyAnswer() {
        responseNanos = System.nanoTime();
    }

    PersistentConnection connection() {
        return conn;
    }

    Deadline deadline() {
        return deadline;
    }

    private ExchangeResponse respond(PreparedRequest r, ResponseHead head) throws IOException {
        BodyFraming f = head.status() == 101
                // Protocol switch: the rest of the connection belongs to the caller (Go #26161).
                ? new BodyFraming(BodyFraming.Kind.UNTIL_CLOSE, -1, -1, false, false, -1)
                : BodyFraming.of(r.method(), head);
        String[] fields = head.fields();
        int count = head.fieldCount();
        if (f.dropContentLength()) {
            fields = head.fieldsWithout("Content-Length");
            count = fields.length / 2;
        }
        // Go #7569: a connection whose request body was not fully written is never reused.
        boolean keepAlive = f.keepAlive() && !r.close() && pendingWrite == null && earlyHead == null;
        idleHintNanos = f.keepAliveTimeoutSeconds() < 0 ? -1
                : Math.max(0, f.keepAliveTimeoutSeconds() * 1_000_000_000L - 1_000_000_000L);
        move(ExchangeState.READING_BODY);
        ResponseBodyStream body = new ResponseBodyStream(this, BodySource.of(f, conn.input(), settings.maxHeaderBytes()),
                keepAlive);
        return new ExchangeResponse(head.status(), head.reason(), head.protocol(), fields, count, f.contentLength(),
                f.kind() != BodyFraming.Kind.NONE, body, wroteNanos, Math.max(responseNanos, wroteNanos));
    }

    /** Arms the deadline of the next body reads: the read timeout, or the request's deadline if sooner. */
    void armBodyRead() throws IOException {
        conn.armRead(settings.readTimeoutNanos(), deadline, TimeoutPhase.READ_BODY);
    }

    /**
     * Ends the exchange once its body ended, was closed or failed: the connection goes back to the
     * pool if {@code reusable} (and not canceled meanwhile), else it is closed.
     */
    void released(boolean reusable, CloseCause reason, boolean failed) {
        ended = true;
        if (canceled && reusable) {
            reusable = false;
            reason = CloseCause.CANCELED;
        }
        state = state.moveTo(failed ? ExchangeState.FAILED : ExchangeState.DONE);
        conn.endExchange();
        if (!reusable) {
            conn.close();
        }
        release.released(reusable, reasonOrDefault(reusable, reason), idleHintNanos);
    }

    private static CloseCause reasonOrDefault(boolean reusable, CloseCause reason) {
        return reusable ? null : reason != null ? reason : CloseCause.NOT_REUSABLE;
    }

    private ExchangeFailure fail(IOException e) {
        ExchangeState at = state;
        end();
        ExchangeFailure f = ExchangeErrors.failure(e, facts(at), conn);
        if (!wroteReported && trace != null) {
            wroteReported = true;
            trace.wroteRequest(f.error());
        }
        return f;
    }

    private void failUnchecked() {
        end();
    }

    private void end() {
        ended = true;
        if (!state.isFinal()) {
            state = state.moveTo(ExchangeState.FAILED);
        }
        conn.endExchange();
        conn.close();
    }

    private ExchangeErrors.Facts facts(ExchangeState at) {
        return new ExchangeErrors.Facts(at, deadline, written, received(), pendingWrite);
    }

    /** Returns true once any byte of a response has arrived for this exchange, consumed or not. */
    private boolean received() {
        return conn.input().totalRead() > receivedMark;
    }

    private void move(ExchangeState next) {
        state = state.moveTo(next);
    }

    private static void closeQuietly(InputStream s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the request body's close failing does not change the exchange
            }
        }
    }
}
