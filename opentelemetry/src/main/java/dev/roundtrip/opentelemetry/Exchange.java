package dev.roundtrip.opentelemetry;

import dev.roundtrip.BodyListener;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Timings;
import dev.roundtrip.trace.GotConnInfo;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Exchange is the telemetry of one round trip through an {@link OpenTelemetryRoundTripper}: its
 * {@code CLIENT} span, its entry in {@code http.client.active_requests} and its
 * {@code http.client.request.duration}.
 *
 * <p>Its life, in order:
 * <ol>
 *   <li>{@link #start}: the span starts, with the attributes the conventions want at creation
 *       (method, {@code server.address}, {@code server.port}, {@code url.full}); active + 1;</li>
 *   <li>trace hooks, through its {@link ConnectionTrace}: the wait for a connection and the dial
 *       become child spans ({@link #connected} puts the connection's attributes on the span; a
 *       Transport retry adds an event and counts as a resend);</li>
 *   <li>{@link #responded}: the status, protocol version and, for 4xx and 5xx, the error;</li>
 *   <li>as the {@link BodyListener} of the response ({@code Response.withBodyListener}): each
 *       read is a sign of life ({@link #bytesRead});</li>
 *   <li>the end, exactly once, at the first of: {@link #failed} (no response), {@link #ended} with
 *       the body read to its end, failed, or closed (at once for a response without a body), or
 *       leaked (garbage collected unclosed: the span ends at the response's last activity, not at
 *       collection time, as the conventions ask). Then the duration is recorded with the final
 *       attributes, and active - 1.</li>
 * </ol>
 * Times are {@code System.nanoTime()} values turned into epoch nanoseconds from one anchor taken at
 * the start, so the span and its children nest exactly and match the recorded durations.
 *
 * <p>Nothing here refers to the response or its body, so an unclosed body can be collected and
 * noticed as leaked.
 */
final class Exchange implements BodyListener {
    private final Instruments in;
    private final Span span;
    private final Context context;
    private final URI uri;
    private final boolean recording;
    private final String serverAddress;
    private final int serverPort;
    /** method, server.address, server.port (and url.template): the attributes of active_requests. */
    private final Attributes requestAttributes;
    private final long startNanos;
    private final long startEpochNanos;
    private final int chainResends;
    private final ConnectionTrace trace;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** How many requests went out for this exchange (a Transport retry makes 2); written by the caller's thread. */
    private volatile int sent = 1;
    // Set by responded(), on the caller's thread, before the body (and so the end) can be reached.
    private volatile int status;
    private volatile String protocolVersion;
    /** nanoTime of the last sign of life: the response head, then each body read. */
    private volatile long lastActivity;

    private Exchange(Instruments in, Span span, Context context, URI uri, String serverAddress, int serverPort,
                     Attributes requestAttributes, long startNanos, long startEpochNanos, int chainResends) {
        this.in = in;
        this.span = span;
        this.context = context;
        this.uri = uri;
        this.recording = span.isRecording();
        this.serverAddress = serverAddress;
        this.serverPort = serverPort;
        this.requestAttributes = requestAttributes;
        this.startNanos = startNanos;
        this.startEpochNanos = startEpochNanos;
        this.chainResends = chainResends;
        this.trace = new ConnectionTrace(this, in);
        this.lastActivity = startNanos;
    }

    /**
     * Starts the span of {@code request} as a child of {@code parent}; {@code resends} is how many
     * requests of its redirect chain went before it, {@code template} its {@code url.template} or null.
     */
    static Exchange start(Instruments in, Context parent, Request request, String method, String template,
                          int resends) {
        long nanos = System.nanoTime();
        Instant now = Instant.now();
        long epoch = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        URI uri = request.uri();
        String address = request.host();
        int port = request.port();
        boolean other = method.equals(RequestAttributes.OTHER_METHOD);
        String name = (other ? "HTTP" : method) + (template != null ? " " + template : "");
        SpanBuilder b = in.tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT).setParent(parent)
                .setStartTimestamp(epoch, TimeUnit.NANOSECONDS)
                .setAttribute(SemConv.HTTP_REQUEST_METHOD, method)
                .setAttribute(SemConv.SERVER_ADDRESS, address)
                .setAttribute(SemConv.SERVER_PORT, (long) port)
                .setAttribute(SemConv.URL_FULL, RequestAttributes.urlFull(uri));
        if (other) {
            b.setAttribute(SemConv.HTTP_REQUEST_METHOD_ORIGINAL, request.method());
        }
        if (template != null) {
            b.setAttribute(SemConv.URL_TEMPLATE, template);
        }
        if (resends > 0) {
            b.setAttribute(SemConv.HTTP_REQUEST_RESEND_COUNT, (long) resends);
        }
        Span span = b.startSpan();
        AttributesBuilder a = Attributes.builder().put(SemConv.HTTP_REQUEST_METHOD, method)
                .put(SemConv.SERVER_ADDRESS, address).put(SemConv.SERVER_PORT, (long) port);
        if (template != null) {
            a.put(SemConv.URL_TEMPLATE, template);
        }
        Attributes attrs = a.build();
        in.activeRequests.add(1, attrs);
        return new Exchange(in, span, parent.with(span), uri, address, port, attrs, nanos, epoch, resends);
    }

    /** Returns the context holding the span: the parent of its children and what is propagated. */
    Context context() {
        return context;
    }

    /** Returns the trace hooks that feed this exchange. */
    ConnectionTrace trace() {
        return trace;
    }

    boolean recording() {
        return recording;
    }

    String serverAddress() {
        return serverAddress;
    }

    int serverPort() {
        return serverPort;
    }

    Attributes requestAttributes() {
        return requestAttributes;
    }

    /** Returns {@code nanoTime} as epoch nanoseconds, on this exchange's anchor. */
    long epochNanos(long nanoTime) {
        return startEpochNanos + (nanoTime - startNanos);
    }

    /** Returns how many requests of the chain went before the last one of this exchange. */
    int resends() {
        return chainResends + sent - 1;
    }

    /** Returns how many requests of the chain have gone out, this exchange's included. */
    int sentInChain() {
        return chainResends + sent;
    }

    /** Notes that the Transport retried on another connection: {@code retries} so far in this exchange. */
    void retried(long now, int retries) {
        sent = retries + 1;
        if (recording) {
            span.addEvent("roundtrip.retry", epochNanos(now), TimeUnit.NANOSECONDS);
            span.setAttribute(SemConv.HTTP_REQUEST_RESEND_COUNT, (long) resends());
        }
    }

    /** Puts the connection's attributes on the span. */
    void connected(GotConnInfo info) {
        if (recording) {
            connectionAttributes(span, info);
        }
    }

    /** Puts the attributes of the connection {@code info} describes on {@code s}. */
    static void connectionAttributes(Span s, GotConnInfo info) {
        s.setAttribute(SemConv.CONNECTION_REUSED, info.reused());
        s.setAttribute(SemConv.CONNECTION_WAS_IDLE, info.wasIdle());
        if (info.wasIdle()) {
            s.setAttribute(SemConv.CONNECTION_IDLE_TIME, info.idleTime().toNanos() / 1e9);
        }
        if (info.remoteAddress() != null) {
            if (info.remoteAddress().getAddress() != null) {
                s.setAttribute(SemConv.NETWORK_PEER_ADDRESS, info.remoteAddress().getAddress().getHostAddress());
            }
            s.setAttribute(SemConv.NETWORK_PEER_PORT, (long) info.remoteAddress().getPort());
        }
        if (info.localAddress() != null) {
            s.setAttribute(SemConv.NETWORK_LOCAL_PORT, (long) info.localAddress().getPort());
        }
    }

    /** Records the response head; its body's end comes to {@link #ended}. */
    void responded(Response response) {
        long now = System.nanoTime();
        lastActivity = now;
        int code = response.status();
        status = code;
        protocolVersion = RequestAttributes.protocolVersion(response.protocol());
        // From the response's Timings, not from the hooks' call times: over HTTP/2 a request's
        // HEADERS may be written by another caller, and its caller hears of it with the answer.
        Timings t = response.timings();
        if (t.fromNetwork()) {
            in.timeToFirstByte.record(t.timeToFirstByte().toNanos() / 1e9, requestAttributes);
        }
        if (recording) {
            span.setAttribute(SemConv.HTTP_RESPONSE_STATUS_CODE, (long) code);
            if (protocolVersion != null) {
                span.setAttribute(SemConv.NETWORK_PROTOCOL_VERSION, protocolVersion);
            }
        }
        ResendChain.redirected(uri, code, response.headers().first("Location"), sentInChain());
    }

    /** Notes a body read: the response is alive. */
    @Override
    public void bytesRead(byte[] buffer, int offset, int count) {
        lastActivity = System.nanoTime();
    }

    /** Ends the exchange as its body ended: a leak at its last activity, else now (with the read's error, if any). */
    @Override
    public void ended(Outcome outcome, long bytesRead, Throwable failure) {
        if (outcome == Outcome.LEAKED) {
            end(lastActivity, null, true);
        } else {
            end(System.nanoTime(), failure, false);
        }
    }

    /** Ends the exchange without a response: {@code error} was thrown by the RoundTripper below. */
    void failed(Throwable error) {
        long now = System.nanoTime();
        trace.abandon(now, error);
        end(now, error, false);
    }

    private void end(long endNanos, Throwable error, boolean leak) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        int code = status;
        String errorType = error != null ? RequestAttributes.errorType(error)
                : code >= 400 ? Integer.toString(code)
                : leak ? SemConv.LEAKED_ERROR_TYPE : null;
        if (recording) {
            if (errorType != null) {
                if (leak) {
                    span.setStatus(StatusCode.ERROR, "the response body was never closed nor read to its end");
                } else {
                    span.setStatus(StatusCode.ERROR);
                }
                span.setAttribute(SemConv.ERROR_TYPE, errorType);
            }
            if (error != null) {
                span.recordException(error);
            }
            if (leak) {
                span.setAttribute(SemConv.RESPONSE_LEAKED, true);
            }
        }
        Attributes attrs = requestAttributes;
        if (code != 0 || errorType != null || protocolVersion != null) {
            AttributesBuilder a = requestAttributes.toBuilder();
            if (code != 0) {
                a.put(SemConv.HTTP_RESPONSE_STATUS_CODE, (long) code);
            }
            if (errorType != null) {
                a.put(SemConv.ERROR_TYPE, errorType);
            }
            if (protocolVersion != null) {
                a.put(SemConv.NETWORK_PROTOCOL_VERSION, protocolVersion);
            }
            attrs = a.build();
        }
        in.requestDuration.record((endNanos - startNanos) / 1e9, attrs);
        in.activeRequests.add(-1, requestAttributes);
        // Last: whoever sees the span ended (an exporter, a test) also sees its metrics recorded.
        if (recording) {
            span.end(epochNanos(endNanos), TimeUnit.NANOSECONDS);
        }
    }
}
