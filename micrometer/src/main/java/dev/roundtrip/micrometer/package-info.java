/**
 * Micrometer support for roundtrip: {@link dev.roundtrip.micrometer.ObservationRoundTripper} (an
 * {@code Observation} per exchange, with Spring's {@code http.client.requests} convention or an
 * OpenTelemetry-named one) and {@link dev.roundtrip.micrometer.TransportPoolMetrics} (a
 * {@code MeterBinder} for a Transport's pool).
 */
package dev.roundtrip.micrometer;
