package dev.roundtrip.micrometer;

import dev.roundtrip.Response;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import java.util.Locale;

/**
 * DefaultRoundTripperObservationConvention is Spring Framework's convention for HTTP client
 * observations, so a roundtrip client shows up in the same dashboards as {@code RestClient} and
 * {@code RestTemplate}: name {@value #DEFAULT_NAME}, contextual name {@code http get}, and
 * <ul>
 *   <li>low-cardinality keys: {@code method} (e.g. {@code GET}); {@code uri}, the URI template the
 *       {@link ObservationRoundTripper.Builder#uriTemplate caller supplied} (its path part), or
 *       {@code none}; {@code status}, the status code, or {@code CLIENT_ERROR} when no response
 *       came; {@code outcome}: {@code INFORMATIONAL}, {@code SUCCESS}, {@code REDIRECTION},
 *       {@code CLIENT_ERROR}, {@code SERVER_ERROR}, or {@code UNKNOWN} (no response, or a status
 *       outside 100-599); {@code exception}, the simple class name of the error, or {@code none};
 *       {@code client.name}, the request's host ({@code Request.host()});</li>
 *   <li>high-cardinality key: {@code http.url}, the request URI (user info as {@code REDACTED}).</li>
 * </ul>
 * Every key is always present, with the values above, so the meters of one name always have the
 * same tags. Extend it and override a method to change one key value.
 */
public class DefaultRoundTripperObservationConvention implements RoundTripperObservationConvention {
    /** The default observation (and timer) name: {@value}. */
    public static final String DEFAULT_NAME = "http.client.requests";

    private static final String NONE = "none";

    private final String name;

    /** Creates the convention with the name {@value #DEFAULT_NAME}. */
    public DefaultRoundTripperObservationConvention() {
        this(DEFAULT_NAME);
    }

    /** Creates the convention with another observation name. */
    public DefaultRoundTripperObservationConvention(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    /** Returns {@code http} and the method in lower case, e.g. {@code http get}. */
    @Override
    public String getContextualName(RoundTripperObservationContext context) {
        return "http " + context.getRequest().method().toLowerCase(Locale.ROOT);
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(RoundTripperObservationContext context) {
        return KeyValues.of(method(context), uri(context), status(context), outcome(context), exception(context),
                clientName(context));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(RoundTripperObservationContext context) {
        return KeyValues.of(KeyValue.of("http.url", Origin.withoutUserInfo(context.getRequest().uri())));
    }

    /** Returns {@code method}: the request method. */
    protected KeyValue method(RoundTripperObservationContext context) {
        return KeyValue.of("method", context.getRequest().method());
    }

    /** Returns {@code uri}: the template's path part, or {@code none}. */
    protected KeyValue uri(RoundTripperObservationContext context) {
        String t = context.getUriTemplate();
        if (t == null) {
            return KeyValue.of("uri", NONE);
        }
        if (t.startsWith("http://") || t.startsWith("https://")) { // keep the path of a full-URL template
            int slash = t.indexOf('/', t.indexOf("//") + 2);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        return KeyValue.of("uri", t);
    }

    /** Returns {@code status}: the status code, or {@code CLIENT_ERROR} without a response. */
    protected KeyValue status(RoundTripperObservationContext context) {
        Response r = context.getResponse();
        return KeyValue.of("status", r == null ? "CLIENT_ERROR" : Integer.toString(r.status()));
    }

    /** Returns {@code outcome}: the status class, or {@code UNKNOWN}. */
    protected KeyValue outcome(RoundTripperObservationContext context) {
        Response r = context.getResponse();
        int s = r == null ? 0 : r.status();
        String o = s >= 100 && s < 200 ? "INFORMATIONAL"
                : s >= 200 && s < 300 ? "SUCCESS"
                : s >= 300 && s < 400 ? "REDIRECTION"
                : s >= 400 && s < 500 ? "CLIENT_ERROR"
                : s >= 500 && s < 600 ? "SERVER_ERROR"
                : "UNKNOWN";
        return KeyValue.of("outcome", o);
    }

    /** Returns {@code exception}: the error's simple class name, or {@code none}. */
    protected KeyValue exception(RoundTripperObservationContext context) {
        Throwable e = context.getError();
        if (e == null) {
            return KeyValue.of("exception", NONE);
        }
        String simple = e.getClass().getSimpleName();
        return KeyValue.of("exception", simple.isEmpty() ? e.getClass().getName() : simple);
    }

    /** Returns {@code client.name}: the request's host. */
    protected KeyValue clientName(RoundTripperObservationContext context) {
        return KeyValue.of("client.name", context.getRequest().host());
    }
}
