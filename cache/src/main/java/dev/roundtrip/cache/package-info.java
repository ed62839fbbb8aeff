/**
 * An RFC 9111 private HTTP cache as a {@link dev.roundtrip.RoundTripper}:
 * {@link dev.roundtrip.cache.CachingRoundTripper} in front of a Transport, storing in a
 * {@link dev.roundtrip.cache.MemoryStore} or a crash-safe {@link dev.roundtrip.cache.DiskStore}
 * (or any {@link dev.roundtrip.cache.CacheStore}), reporting how each response was served as an
 * RFC 9211 {@code Cache-Status} field ({@link dev.roundtrip.cache.CacheStatus}) and to a
 * {@link dev.roundtrip.cache.CacheListener}.
 */
package dev.roundtrip.cache;
