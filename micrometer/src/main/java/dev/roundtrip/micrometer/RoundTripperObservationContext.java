package dev.roundtrip.micrometer;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import io.micrometer.observation.transport.RequestReplySenderContext;

/**
 * RoundTripperObservationContext is what an {@link ObservationRoundTripper} observation knows about
 * its exchange: the request as the caller made it, its URI template when one was given, the
 * response head once it arrived ({@link #getResponse()}: status, protocol and fields, with an empty
 * body, the body being the caller's; null when no response came) and the error, if any
 * ({@link #getError()}). Its carrier is a builder of the request to send, so that a tracing
 * handler can add its propagation headers ({@code traceparent}, {@code b3}) before it is sent.
 */
public class RoundTripperObservationContext extends RequestReplySenderContext<Request.Builder, Response> {
    private final Request request;
    private final String uriTemplate;

    /** Creates the context of {@code request}; {@code uriTemplate} may be null. */
    public RoundTripperObservationContext(Request request, String uriTemplate) {
        super((carrier, key, value) -> {
            if (carrier != null) {
                carrier.setHeader(key, value);
            }
        });
        this.request = request;
        this.uriTemplate = uriTemplate;
        setCarrier(request.toBuilder());
    }

    /** Returns the request as the caller made it (without propagation headers). */
    public Request getRequest() {
        return request;
    }

    /** Returns the request's URI template, such as {@code /users/{id}}, or null when none was given. */
    public String getUriTemplate() {
        return uriTemplate;
    }
}
