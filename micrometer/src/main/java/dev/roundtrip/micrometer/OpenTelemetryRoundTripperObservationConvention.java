package dev.roundtrip.micrometer;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * OpenTelemetryRoundTripperObservationConvention names observations after the stable HTTP client
 * semantic conventions of OpenTelemetry, for applications whose dashboards follow those: name
 * {@value #DEFAULT_NAME}, contextual name the method ({@code HTTP} for an unknown one), followed by
 * the URI template when one was given, and
 * <ul>
 *   <li>low-cardinality keys: {@code http.request.method} ({@code _OTHER} for a method outside
 *       {@link #KNOWN_METHODS}), {@code server.address}, {@code server.port}, and when they apply
 *       {@code http.response.status_code}, {@code network.protocol.version}, {@code url.template},
 *       and {@code error.type}: the exception's class name, else the status code for 4xx and 5xx,
 *       or {@code response_body_leaked} for a body that was never closed;</li>
 *   <li>high-cardinality keys: {@code url.full} (user info as {@code REDACTED}), and
 *       {@code http.request.method_original} for an {@code _OTHER} method.</li>
 * </ul>
 * As the conventions say, a key that does not apply is left out (a success has no
 * {@code error.type}), so the meters of one name do not all have the same tags; registries that
 * require that (Prometheus before Micrometer 1.17) keep the first set only.
 */
public class OpenTelemetryRoundTripperObservationConvention implements RoundTripperObservationConvention {
    /** The observation (and timer) name: {@value}, as the conventions name the request duration. */
    public static final String DEFAULT_NAME = "http.client.request.duration";

    /** The methods reported as themselves: those of RFC 9110 and PATCH. */
    public static final Set<String> KNOWN_METHODS = Set.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH",
            "POST", "PUT", "TRACE");

    @Override
    public String getName() {
        return DEFAULT_NAME;
    }

    /** Returns the method, or {@code HTTP} for an unknown one, then the URI template if any. */
    @Override
    public String getContextualName(RoundTripperObservationContext context) {
        String m = method(context.getRequest());
        String t = context.getUriTemplate();
        return (m.equals("_OTHER") ? "HTTP" : m) + (t == null ? "" : " " + t);
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(RoundTripperObservationContext context) {
        Request req = context.getRequest();
        List<KeyValue> kv = new ArrayList<>(8);
        kv.add(KeyValue.of("http.request.method", method(req)));
        kv.add(KeyValue.of("server.address", req.host()));
        kv.add(KeyValue.of("server.port", Integer.toString(req.port())));
        Response r = context.getResponse();
        if (r != null) {
            kv.add(KeyValue.of("http.response.status_code", Integer.toString(r.status())));
            String p = r.protocol();
            if (p.startsWith("HTTP/")) {
                kv.add(KeyValue.of("network.protocol.version", p.substring(5)));
            }
        }
        if (context.getUriTemplate() != null) {
            kv.add(KeyValue.of("url.template", context.getUriTemplate()));
        }
        String error = errorType(context);
        if (error != null) {
            kv.add(KeyValue.of("error.type", error));
        }
        return KeyValues.of(kv);
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(RoundTripperObservationContext context) {
        Request req = context.getRequest();
        KeyValues kv = KeyValues.of(KeyValue.of("url.full", Origin.withoutUserInfo(req.uri())));
        return method(req).equals("_OTHER") ? kv.and("http.request.method_original", req.method()) : kv;
    }

    private static String method(Request r) {
        return KNOWN_METHODS.contains(r.method()) ? r.method() : "_OTHER";
    }

    private static String errorType(RoundTripperObservationContext context) {
        Throwable e = context.getError();
        if (e instanceof ResponseLeakedException) {
            return "response_body_leaked";
        }
        if (e != null) {
            return e.getClass().getName();
        }
        Response r = context.getResponse();
        return r != null && r.status() >= 400 ? Integer.toString(r.status()) : null;
    }
}
