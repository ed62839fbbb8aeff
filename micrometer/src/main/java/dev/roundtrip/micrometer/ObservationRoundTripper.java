package dev.roundtrip.micrometer;

import dev.roundtrip.BodyListener;
import dev.roundtrip.Headers;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Function;

/**
 * ObservationRoundTripper is a {@link RoundTripper} that wraps each exchange it passes to the
 * RoundTripper it wraps in a Micrometer {@link Observation}: with a {@code MeterRegistry} handler
 * that is a timer (and a long task timer of the exchanges in flight), with Micrometer Tracing a
 * client span whose context goes out in the request headers.
 *
 * <p>One exchange, in order:
 * <ol>
 *   <li>the observation starts, with a {@link RoundTripperObservationContext} holding the request
 *       and its URI template; tracing handlers add their headers to the request to send;</li>
 *   <li>the wrapped RoundTripper runs with the observation in scope; if it throws, the observation
 *       gets the error and stops, and the same exception is rethrown;</li>
 *   <li>the response head (without its body) is put in the context; a response without a body (HEAD, 204, 304,
 *       {@code Content-Length: 0}) stops the observation at once;</li>
 *   <li>otherwise the observation stops when the body is read to its end or closed, or with the
 *       error when reading it fails; a body never closed stops it with a
 *       {@link ResponseLeakedException} when it is garbage collected. It stops exactly once: the
 *       body tells its end through {@link Response#withBodyListener}.</li>
 * </ol>
 * The timer therefore measures the exchange up to the end of its body, as the OpenTelemetry span
 * of {@code roundtrip-opentelemetry} does. The response's {@link Response#request()} is the
 * caller's request (without the headers handlers added).
 *
 * <p>The default convention is {@link DefaultRoundTripperObservationConvention} (Spring's
 * {@code http.client.requests}); {@link OpenTelemetryRoundTripperObservationConvention} switches to
 * OpenTelemetry's names; a {@code GlobalObservationConvention} registered on the registry, or one
 * given to the builder, takes precedence. Immutable and safe for concurrent use.
 */
public final class ObservationRoundTripper implements RoundTripper {
    private static final RoundTripperObservationConvention DEFAULT = new DefaultRoundTripperObservationConvention();

    private final RoundTripper next;
    private final ObservationRegistry registry;
    private final RoundTripperObservationConvention convention;
    private final Function<Request, String> uriTemplate;

    private ObservationRoundTripper(Builder b) {
        this.next = b.next;
        this.registry = b.registry;
        this.convention = b.convention;
        this.uriTemplate = b.uriTemplate;
    }

    /** Returns an ObservationRoundTripper with the default convention, wrapping {@code next}. */
    public static ObservationRoundTripper create(ObservationRegistry registry, RoundTripper next) {
        return builder(registry, next).build();
    }

    /** Returns a builder of an ObservationRoundTripper that wraps {@code next} and observes into {@code registry}. */
    public static Builder builder(ObservationRegistry registry, RoundTripper next) {
        return new Builder(registry, next);
    }

    /** Sends {@code request} through the wrapped RoundTripper inside an observation; see the class comment. */
    @Override
    public Response roundTrip(Request request) throws IOException {
        if (registry.isNoop()) {
            return next.roundTrip(request);
        }
        RoundTripperObservationContext context = new RoundTripperObservationContext(request,
                uriTemplate == null ? null : uriTemplate.apply(request));
        context.setRemoteServiceAddress(request.uri().getScheme() + "://" + request.host() + ":" + request.port());
        Observation observation = Observation.createNotStarted(convention, DEFAULT, () -> context, registry).start();
        Response response;
        try (Observation.Scope ignored = observation.openScope()) {
            response = next.roundTrip(context.getCarrier().build());
        } catch (IOException | RuntimeException | Error e) {
            observation.error(e);
            observation.stop();
            throw e;
        }
        if (response == null) {
            NullPointerException e = new NullPointerException("the wrapped RoundTripper " + next
                    + " returned null for " + request);
            observation.error(e);
            observation.stop();
            throw e;
        }
        context.setResponse(head(response));
        try {
            return response.withBodyListener(new Stopper(observation)).toBuilder().request(request).build();
        } catch (RuntimeException | Error e) {
            response.close();
            observation.error(e);
            observation.stop();
            throw e;
        }
    }

    /**
     * Returns the head of {@code r} without its body and trailers, for the context: the context
     * outlives the exchange (handlers, the leak Cleaner), and must not keep the body, and through it
     * the Transport's response, from being collected and reclaimed as a leak.
     */
    private static Response head(Response r) {
        return r.toBuilder().body(InputStream.nullInputStream(), r.contentLength()).trailers(Headers.empty()).build();
    }

    /**
     * Stopper stops an observation when its response body ends ({@link Response#withBodyListener}):
     * with the read's error if it failed, with a {@link ResponseLeakedException} if the body was
     * collected unclosed (an observation cannot stop in the past, so then it stops at collection).
     * It refers to the observation only, never to the body.
     */
    private static final class Stopper implements BodyListener {
        private final Observation observation;

        Stopper(Observation observation) {
            this.observation = observation;
        }

        @Override
        public void ended(Outcome outcome, long bytesRead, Throwable failure) {
            Throwable error = outcome == Outcome.LEAKED
                    ? new ResponseLeakedException("the response body was never closed nor read to its end") : failure;
            if (error != null) {
                observation.error(error);
            }
            observation.stop();
        }
    }

    /** Returns a description: the wrapped RoundTripper. */
    @Override
    public String toString() {
        return "ObservationRoundTripper -> " + next;
    }

    /** Builder makes an {@link ObservationRoundTripper}; not thread-safe. */
    public static final class Builder {
        private final ObservationRegistry registry;
        private final RoundTripper next;
        private RoundTripperObservationConvention convention;
        private Function<Request, String> uriTemplate;

        private Builder(ObservationRegistry registry, RoundTripper next) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.next = Objects.requireNonNull(next, "next");
        }

        /**
         * Sets the convention, e.g. {@code new OpenTelemetryRoundTripperObservationConvention()};
         * default: a global convention registered on the registry if one supports the context, else
         * {@link DefaultRoundTripperObservationConvention}. Null restores the default.
         */
        public Builder convention(RoundTripperObservationConvention c) {
            convention = c;
            return this;
        }

        /**
         * Sets how to find a request's URI template, such as {@code /users/{id}}: Spring's
         * {@code uri} key, OpenTelemetry's {@code url.template}. The function may return null (no
         * template: {@code uri=none}); default: none for every request. It must be cheap, must not
         * throw, and must return few distinct values (they become tags).
         */
        public Builder uriTemplate(Function<Request, String> template) {
            uriTemplate = template;
            return this;
        }

        /** Returns the ObservationRoundTripper. */
        public ObservationRoundTripper build() {
            return new ObservationRoundTripper(this);
        }
    }
}
