/**
 * roundtrip-opentelemetry: OpenTelemetry spans and metrics for roundtrip, as a
 * {@link dev.roundtrip.RoundTripper} decorator, built on the exported API of {@code dev.roundtrip}
 * and on {@code opentelemetry-api} only (the SDK is the application's choice).
 */
module dev.roundtrip.opentelemetry {
    requires transitive dev.roundtrip;
    requires transitive io.opentelemetry.api;
    requires transitive io.opentelemetry.context;

    exports dev.roundtrip.opentelemetry;
}
