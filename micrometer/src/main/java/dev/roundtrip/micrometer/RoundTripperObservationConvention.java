package dev.roundtrip.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * RoundTripperObservationConvention names an {@link ObservationRoundTripper} observation and
 * chooses its key values; see {@link DefaultRoundTripperObservationConvention} (Spring's
 * {@code http.client.requests}) and {@link OpenTelemetryRoundTripperObservationConvention}.
 */
public interface RoundTripperObservationConvention extends ObservationConvention<RoundTripperObservationContext> {

    /** Returns true for a {@link RoundTripperObservationContext}. */
    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof RoundTripperObservationContext;
    }
}
