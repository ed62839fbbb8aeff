package dev.roundtrip.internal.http2;

import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.internal.exchange.Deadline;
import dev.roundtrip.internal.exchange.Exchange;
import dev.roundtrip.internal.exchange.ExchangeFailure;
import dev.roundtrip.internal.exchange.ExchangeResponse;
import dev.roundtrip.internal.exchange.ExchangeState;
import dev.roundtrip.internal.exchange.PreparedRequest;
import dev.roundtrip.internal.exchange.ReleaseListener;
import dev.roundtrip.internal.exchange.RetryVerdict;
import dev.roundtrip.internal.http2.hpack.HeaderField;
import dev.roundtrip.internal.wire.RequestHeadWriter;
import dev.roundtrip.internal.wire.Tokens;
import dev.roundtrip.trace.ClientTrace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Http2Exchange is one request and its response as a stream of an {@link Http2ExchangeConnection},
 * all on the caller's thread. Its steps, in order (each a state of {@link ExchangeState}):
 * <ol>
 *   <li>WRITING_HEAD: the request converted to HTTP/2 fields ({@link RequestFields}), a stream
 *       slot taken (waiting for one when the pool handed the connection over beyond the server's
 *       limit: the wait is {@code streamWait}), the HEADERS written;</li>
 *   <li>AWAITING_CONTINUE, for {@code Expect: 100-continue}: the body waits for a 100 or the
 *       expect-continue timeout, and is not sent at all if a final answer comes first;</li>
 *   <li>WRITING_BODY: DATA within the flow-control windows (the waits for credit are
 *       {@code flowControlWait}); the caller's body is opened only now, so a request refused
 *       before it can go again even with a one-shot body;</li>
 *   <li>READING_HEAD: the final head (1xx heads reported), under the response header timeout;</li>
 *   <li>READING_BODY: the caller reads a {@link StreamBody}; its end or close frees the stream
 *       slot ({@link #finish}), then DONE; a request that asked to close its connection
 *       ({@code Request.close()}, a {@code Connection: close} field, {@code disableKeepAlives})
 *       retires it instead: no new stream, closed once the others ended;</li>
 *   <li>any failure: FAILED; the stream was reset (the connection lives on, unless the failure
 *       was the connection's), and {@link Http2Errors} says what the caller sees and whether a
 *       retry is safe.</li>
 * </ol>
 * Trace hooks fire as in Go's HTTP/2 transport (go-http2.md §7): {@code wroteHeaderField} per
 * field in wire order, {@code wroteHeaders}, {@code wait100Continue}, {@code wroteRequest},
 * {@code gotFirstResponseByte}, {@code got100Continue}/{@code got1xxResponse}; never
 * {@code putIdleConn}.
 */
final class Http2Exchange implements Exchange, StreamEvents {
    private final Http2ExchangeConnection owner;
    private final Deadline deadline;
    private final ClientTrace trace;
    private final ReleaseListener release;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Where the exchange is; written by the owning thread, read by {@link #cancel} too. */
    private volatile ExchangeState state = ExchangeState.WRITING_HEAD;
    private volatile boolean canceled;
    private volatile Http2Stream stream;
    // Owned by the thread running the exchange (events run on it too).
    private long streamWaitNanos;
    private long flowWaitNanos;
    private long wroteNanos;
    private long responseNanos;
    private boolean closeAfter;

    Http2Exchange(Http2ExchangeConnection owner, Deadline deadline, ClientTrace trace, ReleaseListener release) {
        this.owner = owner;
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
        Http2Stream s = stream;
        if (s != null) {
            s.cancel();
        } else {
            owner.connection().wakeWaiters();
        }
    }

    @Override
    public ExchangeResponse roundTrip(PreparedRequest r) throws ExchangeFailure {
        closeAfter = r.close() || asksToClose(r);
        InputStream body = null;
        try {
            RequestFields f = RequestFields.of(r.method(), owner.scheme(), r.host(), r.target(), fields(r),
                    fieldCount(r), bodyLength(r));
            Http2Stream s = open();
            Http2ExchangeConnection.Timeouts t = owner.timeouts();
            if (trace != null) {
                for (HeaderField h : f.fields()) {
                    trace.wroteHeaderField(h.name(), List.of(h.value()));
                }
            }
            s.writeHeaders(f.fields(), f.endStream());
            if (!f.endStream()) {
                boolean send = true;
                if (f.expectContinue() && t.expectContinueNanos() > 0) {
                    move(ExchangeState.AWAITING_CONTINUE);
                    if (trace != null) trace.wait100Continue();
                    send = s.awaitContinue(t.expectContinueNanos());
                }
                if (send) {
                    move(ExchangeState.WRITING_BODY);
                    body = r.inlineBody() != null ? new ByteArrayInputStream(r.inlineBody()) : CallersBody.open(r.body());
                    s.writeBody(body, f.contentLength(), true);
                } else {
                    wroteRequest(null, System.nanoTime());
                }
            }
            move(ExchangeState.READING_HEAD);
            Http2Response head = s.awaitResponse();
            move(ExchangeState.READING_BODY);
            return respond(r, s, head);
        } catch (IOException e) {
            throw fail(e);
        } catch (RuntimeException | Error e) {
            Http2Stream s = stream;
            if (s != null) {
                s.cancel();
            }
            end(ExchangeState.FAILED);
            throw e;
        } finally {
            closeQuietly(body);
        }
    }

    /** Takes a stream slot now, or waits for one (bounded by the deadline, ended by a cancel). */
    private Http2Stream open() throws IOException {
        Http2Connection c = owner.connection();
        Http2ExchangeConnection.Timeouts t = owner.timeouts();
        Http2Stream s = c.tryOpenStream(this, deadline.nanos(), t.responseHeaderNanos(), t.readNanos());
        if (s == null) {
            long until = deadline.isSet() ? deadline.nanos() : System.nanoTime() + TimeUnit.DAYS.toNanos(365);
            s = c.openStream(until, this, () -> canceled);
            s.setDeadline(deadline.nanos());
            s.setPhaseTimeouts(t.responseHeaderNanos(), t.readNanos());
        }
        stream = s;
        if (canceled) {
            s.cancel();
            throw new RequestCanceledException("request canceled before its HTTP/2 stream was sent");
        }
        return s;
    }

    private ExchangeResponse respond(PreparedRequest r, Http2Stream s, Http2Response head) {
        List<HeaderField> h = head.headers();
        String[] fields = new String[2 * h.size()];
        for (int i = 0; i < h.size(); i++) {
            fields[2 * i] = h.get(i).name();
            fields[2 * i + 1] = h.get(i).value();
        }
        boolean contentless = r.method().equals("HEAD") || head.status() == 204 || head.status() == 304;
        boolean hasBody = !contentless && head.contentLength() != 0 && !s.bodyConsumed();
        StreamBody b = new StreamBody(this, s);
        return new ExchangeResponse(head.status(), "", "HTTP/2.0", fields, h.size(), head.contentLength(), hasBody, b,
                wroteNanos, Math.max(responseNanos, wroteNanos), streamWaitNanos, flowWaitNanos);
    }

    /**
     * Ends the exchange once its body ended, was closed or failed: the stream slot goes back to the
     * pool; the connection is kept unless the request asked to close it.
     */
    void finish(boolean failed) {
        if (end(failed ? ExchangeState.FAILED : ExchangeState.DONE)) {
            release.released(!closeAfter, closeAfter ? dev.roundtrip.internal.util.CloseCause.NOT_REUSABLE : null, -1);
        }
    }

    private boolean end(ExchangeState last) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        if (!state.isFinal()) {
            state = state.canMoveTo(last) ? last : ExchangeState.FAILED;
        }
        return true;
    }

    private ExchangeFailure fail(IOException e) {
        IOException cause = e instanceof CallersBody.Failure cb ? cb.original()
                : e instanceof HookAbort ha ? ha.original() : e;
        RetryVerdict verdict = cause == e ? Http2Errors.verdict(e) : RetryVerdict.NEVER;
        Http2Stream s = stream;
        if (s != null) {
            s.cancel(); // a stream still open is reset; one already ended is left alone
            s.sender.last.abandon();
        }
        IOException shown = Http2Errors.toPublic(cause);
        wroteRequest(shown, System.nanoTime());
        end(ExchangeState.FAILED);
        return new ExchangeFailure(shown, verdict);
    }

    private void move(ExchangeState next) {
        if (state != next) {
            state = state.moveTo(next);
        }
    }

    /**
     * Returns true if the caller's {@code Connection} field says {@code close}. The field itself is
     * never sent (RFC 9113 §8.2.2), but its wish is kept, as Go's HTTP/2 Transport keeps it
     * ({@code isConnectionCloseRequest}): the connection takes no new stream after this one.
     */
    private static boolean asksToClose(PreparedRequest r) {
        String[] h = r.headers();
        for (int i = 0; i < r.headerCount(); i++) {
            if (h[2 * i].equalsIgnoreCase("Connection") && Tokens.listContains(h[2 * i + 1], "close")) {
                return true;
            }
        }
        return false;
    }

    /** Caller fields without User-Agent (the Transport's choice follows), then its extra fields. */
    private static String[] fields(PreparedRequest r) {
        String[] h = r.headers();
        String[] extra = r.extra() == null ? new String[0] : r.extra();
        List<String> out = new ArrayList<>(2 * r.headerCount() + extra.length + 2);
        for (int i = 0; i < r.headerCount(); i++) {
            if (!h[2 * i].equalsIgnoreCase("User-Agent")) {
                out.add(h[2 * i]);
                out.add(h[2 * i + 1]);
            }
        }
        for (String x : extra) {
            out.add(x);
        }
        if (r.userAgent() != null && !r.userAgent().isEmpty()) {
            out.add("User-Agent");
            out.add(r.userAgent());
        }
        return out.toArray(new String[0]);
    }

    private static int fieldCount(PreparedRequest r) {
        int n = r.extra() == null ? 0 : r.extra().length / 2;
        for (int i = 0; i < r.headerCount(); i++) {
            if (!r.headers()[2 * i].equalsIgnoreCase("User-Agent")) {
                n++;
            }
        }
        return n + (r.userAgent() != null && !r.userAgent().isEmpty() ? 1 : 0);
    }

    private static long bodyLength(PreparedRequest r) {
        long n = r.bodyLength();
        return n == RequestHeadWriter.NO_BODY ? RequestFields.NO_BODY
                : n == RequestHeadWriter.CHUNKED ? RequestFields.UNKNOWN_LENGTH : n;
    }

    // --- StreamEvents, on this thread ---

    @Override
    public void waitedForStreamSlot(long nanos) {
        streamWaitNanos += nanos;
    }

    @Override
    public void wroteHeaders() {
        if (trace != null) trace.wroteHeaders();
    }

    @Override
    public void waitedForFlowControl(long nanos) {
        flowWaitNanos += nanos;
    }

    @Override
    public void wroteRequest(IOException error, long atNanos) {
        if (wroteNanos != 0) {
            return;
        }
        wroteNanos = atNanos;
        if (trace != null) trace.wroteRequest(error == null ? null : Http2Errors.toPublic(error));
    }

    @Override
    public void gotFirstResponseByte(long atNanos) {
        responseNanos = atNanos;
        if (trace != null) trace.gotFirstResponseByte();
    }

    @Override
    public void got1xxResponse(int status, List<HeaderField> fields) throws IOException {
        if (trace == null) {
            return;
        }
        if (status == 100) {
            trace.got100Continue();
        }
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (HeaderField f : fields) {
            map.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(f.value());
        }
        try {
            trace.got1xxResponse(status, map);
        } catch (IOException e) {
            throw new HookAbort(e);
        }
    }

    /** Marks an exception a trace hook threw to abort the request: the caller gets it as is. */
    static final class HookAbort extends IOException {
        private static final long serialVersionUID = 1L;

        HookAbort(IOException original) {
            super(original.getMessage(), original);
        }

        IOException original() {
            return (IOException) getCause();
        }
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
