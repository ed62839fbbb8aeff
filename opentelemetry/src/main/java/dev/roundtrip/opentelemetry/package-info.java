/**
 * OpenTelemetry instrumentation for roundtrip: {@link dev.roundtrip.opentelemetry.OpenTelemetryRoundTripper}
 * (one {@code CLIENT} span per exchange with the wait for a connection as a child span, the HTTP
 * client metrics and roundtrip's per-phase histograms) and
 * {@link dev.roundtrip.opentelemetry.OpenTelemetryPoolMetrics} ({@code http.client.open_connections}
 * from a Transport's pool).
 */
package dev.roundtrip.opentelemetry;
