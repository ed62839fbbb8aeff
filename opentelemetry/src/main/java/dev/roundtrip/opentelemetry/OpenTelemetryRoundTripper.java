package dev.roundtrip.opentelemetry;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.trace.ClientTrace;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.io.IOException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * OpenTelemetryRoundTripper is a {@link RoundTripper} that traces and measures each exchange it
 * passes to the RoundTripper it wraps (usually a {@link dev.roundtrip.Transport}), following the
 * stable HTTP client semantic conventions, and shows where the time went before the request was
 * sent: waiting for a connection, and the DNS lookup, connect and TLS handshake of a new one.
 *
 * <p><b>Spans.</b> One {@code CLIENT} span per call of {@link #roundTrip}, named after the method
 * ({@code GET}; {@code HTTP} for a method outside {@link #DEFAULT_KNOWN_METHODS}; {@code GET
 * /users/{id}} with a {@link Builder#urlTemplate url template}), as a child of the current
 * context. Attributes: {@code http.request.method} (and {@code http.request.method_original} when
 * it is {@code _OTHER}), {@code server.address}, {@code server.port}, {@code url.full} (user info
 * and signed query values as {@code REDACTED}), {@code url.template} when given,
 * {@code http.response.status_code}, {@code network.protocol.version}, {@code error.type},
 * {@code http.request.resend_count} (see below), {@code network.peer.address},
 * {@code network.peer.port}, {@code network.local.port}, and roundtrip's
 * {@code roundtrip.connection.reused}, {@code roundtrip.connection.was_idle},
 * {@code roundtrip.connection.idle_time} (seconds) and {@code roundtrip.response.leaked}.
 * Beneath it, a child span {@code connection wait} covers the time from asking the pool for a
 * connection to having one; for a connection dialed for this request it has children
 * {@code DNS lookup} (host names only), {@code TCP connect} (one per address tried) and
 * {@code TLS handshake}, with their own times and errors. A connection taken idle or handed over by
 * another request has no dial beneath its wait.
 *
 * <p><b>When the span ends.</b> When the response body has been read to its end or closed, or a
 * read of it failed; at once for a response without a body (HEAD, 204, 304, {@code
 * Content-Length: 0}); when the wrapped RoundTripper throws. The body tells its end through
 * {@link Response#withBodyListener}. A body that is garbage collected
 * without being closed (a leak) ends the span at the response's last activity (its head, or the
 * last read), with {@code error.type} {@value SemConv#LEAKED_ERROR_TYPE} unless a status error was
 * already set, and {@code roundtrip.response.leaked=true}. The span ends exactly once on every path.
 *
 * <p><b>Status and errors.</b> Status {@code ERROR} and {@code error.type} = the status code for
 * 4xx and 5xx; status {@code ERROR} and {@code error.type} = the exception's class name (recorded
 * as an exception event too) when no response came ({@code dev.roundtrip.error.HttpTimeoutException},
 * {@code dev.roundtrip.error.RequestCanceledException}, {@code java.net.ConnectException}, ...) or
 * when reading the body failed. 1xx-3xx leave the status unset.
 *
 * <p><b>Resends.</b> {@code http.request.resend_count} counts the requests sent before this one
 * for the same call: a {@link dev.roundtrip.Client} redirect hop is a new round trip, hence a new
 * span, recognized because it goes, on the same thread, to the {@code Location} of the redirect
 * just answered (see {@code docs/observability.md}); a retry inside the Transport (a reused connection that
 * failed before any response byte, Go's rule) stays in the same span, because the request's
 * {@code traceparent} was already set, and shows as a second {@code connection wait} child, a
 * {@code roundtrip.retry} event and a resend count one higher.
 *
 * <p><b>Propagation.</b> The span's context is injected into the request headers through the
 * {@code OpenTelemetry} instance's {@link TextMapPropagator}, or W3C trace context
 * ({@code traceparent}) when the instance has none, or the one given to
 * {@link Builder#propagator}; the request below is the caller's plus those headers and a {@link ClientTrace}
 * (composed before the caller's own); the response's {@link Response#request()} is the caller's
 * request again. The span is current while the wrapped RoundTripper runs.
 *
 * <p><b>Metrics</b> (all histograms in seconds): {@code http.client.request.duration} (the
 * conventions' advised buckets; the same duration as the span, body included),
 * {@code http.client.active_requests}, {@code dns.lookup.duration}, and roundtrip's
 * {@code roundtrip.http.client.connection_wait.duration} (the wait less the own dial, per
 * connection asked for), {@code roundtrip.http.client.connect.duration} (per TCP connect attempt),
 * {@code roundtrip.http.client.tls_handshake.duration} and
 * {@code roundtrip.http.client.time_to_first_byte}. {@code http.client.open_connections} comes from
 * {@link OpenTelemetryPoolMetrics}.
 *
 * <p>Immutable and safe for concurrent use, as every RoundTripper must be.
 */
public final class OpenTelemetryRoundTripper implements RoundTripper {
    /**
     * DEFAULT_KNOWN_METHODS are the methods reported as themselves: those of RFC 9110 and PATCH, as
     * the conventions define them; any other is reported as {@code _OTHER}.
     */
    public static final Set<String> DEFAULT_KNOWN_METHODS = Set.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS",
            "PATCH", "POST", "PUT", "TRACE");

    private static final TextMapSetter<Request.Builder> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.setHeader(key, value);
        }
    };

    private final RoundTripper next;
    private final Instruments in;
    private final TextMapPropagator propagator;
    private final Set<String> knownMethods;
    private final Function<Request, String> urlTemplate;

    private OpenTelemetryRoundTripper(Builder b) {
        this.next = b.next;
        this.in = new Instruments(b.otel);
        this.propagator = b.propagator != null ? b.propagator : defaultPropagator(b.otel);
        this.knownMethods = b.knownMethods;
        this.urlTemplate = b.urlTemplate;
    }

    /**
     * Returns the propagator of {@code otel}, or W3C trace context when it has none (an SDK built
     * without {@code setPropagators} has the no-op one, and would send no {@code traceparent}).
     */
    private static TextMapPropagator defaultPropagator(OpenTelemetry otel) {
        TextMapPropagator p = otel.getPropagators().getTextMapPropagator();
        return p == TextMapPropagator.noop() ? W3CTraceContextPropagator.getInstance() : p;
    }

    /** Returns an OpenTelemetryRoundTripper with the defaults, wrapping {@code next} and recording to {@code otel}. */
    public static OpenTelemetryRoundTripper create(OpenTelemetry otel, RoundTripper next) {
        return builder(otel, next).build();
    }

    /** Returns a builder of an OpenTelemetryRoundTripper that wraps {@code next} and records to {@code otel}. */
    public static Builder builder(OpenTelemetry otel, RoundTripper next) {
        return new Builder(otel, next);
    }

    /**
     * Sends {@code request} through the wrapped RoundTripper inside a span, with the span's context
     * in its headers; see the class comment. Exceptions are recorded and rethrown unchanged.
     */
    @Override
    public Response roundTrip(Request request) throws IOException {
        int resends = ResendChain.take(request.uri());
        String method = RequestAttributes.method(request.method(), knownMethods);
        String template = urlTemplate == null ? null : urlTemplate.apply(request);
        Exchange x = Exchange.start(in, Context.current(), request, method, template, resends);
        Response response;
        try {
            Request.Builder b = request.toBuilder();
            propagator.inject(x.context(), b, SETTER);
            Request sent = b.trace(ClientTrace.compose(x.trace(), request.trace())).build();
            try (Scope ignored = x.context().makeCurrent()) {
                response = next.roundTrip(sent);
            }
        } catch (IOException | RuntimeException | Error e) {
            x.failed(e);
            throw e;
        }
        if (response == null) {
            NullPointerException e = new NullPointerException("the wrapped RoundTripper " + next
                    + " returned null for " + request);
            x.failed(e);
            throw e;
        }
        try {
            x.responded(response);
            return response.withBodyListener(x).toBuilder().request(request).build();
        } catch (RuntimeException | Error e) {
            response.close();
            x.failed(e);
            throw e;
        }
    }

    /** Returns a description: the wrapped RoundTripper. */
    @Override
    public String toString() {
        return "OpenTelemetryRoundTripper -> " + next;
    }

    /** Builder makes an {@link OpenTelemetryRoundTripper}; not thread-safe. */
    public static final class Builder {
        private final OpenTelemetry otel;
        private final RoundTripper next;
        private Set<String> knownMethods = DEFAULT_KNOWN_METHODS;
        private Function<Request, String> urlTemplate;
        private TextMapPropagator propagator;

        private Builder(OpenTelemetry otel, RoundTripper next) {
            this.otel = Objects.requireNonNull(otel, "otel");
            this.next = Objects.requireNonNull(next, "next");
        }

        /**
         * Sets the methods reported as themselves (case-sensitive; a full replacement of the list, as
         * the conventions require); default {@link OpenTelemetryRoundTripper#DEFAULT_KNOWN_METHODS}.
         * Others are reported as {@code _OTHER}. An empty set reports every method as {@code _OTHER}.
         */
        public Builder knownMethods(Set<String> methods) {
            knownMethods = Set.copyOf(Objects.requireNonNull(methods, "methods"));
            return this;
        }

        /**
         * Sets how to find a request's low-cardinality URL template, such as {@code /users/{id}}: it
         * becomes {@code url.template}, on the span and on the request metrics, and the span is named
         * {@code GET /users/{id}}. The function may return null (no template for that request);
         * default: none. It must be cheap and must not throw.
         */
        public Builder urlTemplate(Function<Request, String> template) {
            urlTemplate = template;
            return this;
        }

        /**
         * Sets the propagator that writes the span's context into the request headers; default: the
         * {@code OpenTelemetry} instance's, or {@code W3CTraceContextPropagator} when that is the
         * no-op one. {@code TextMapPropagator.noop()} sends no context; null restores the default.
         */
        public Builder propagator(TextMapPropagator p) {
            propagator = p;
            return this;
        }

        /** Returns the OpenTelemetryRoundTripper; its instruments are created now. */
        public OpenTelemetryRoundTripper build() {
            return new OpenTelemetryRoundTripper(this);
        }
    }
}
