/**
 * roundtrip-cache: an RFC 9111 private HTTP cache for the roundtrip client, built on core's
 * public API only. Exports {@code dev.roundtrip.cache}; {@code dev.roundtrip.cache.internal} is
 * encapsulated.
 */
module dev.roundtrip.cache {
    requires transitive dev.roundtrip;

    exports dev.roundtrip.cache;
}
