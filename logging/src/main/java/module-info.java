/**
 * roundtrip-logging: a {@link dev.roundtrip.RoundTripper} that logs each exchange, built on the
 * exported API of {@code dev.roundtrip} only (an example of middleware).
 */
module dev.roundtrip.logging {
    requires transitive dev.roundtrip;

    exports dev.roundtrip.logging;
}
