/**
 * HTTP/2 (RFC 9113) for the client: frames with named limits ({@link
 * dev.roundtrip.internal.http2.FrameReader}, {@link dev.roundtrip.internal.http2.FrameWriter}),
 * the multiplexed connection ({@link dev.roundtrip.internal.http2.Http2Connection}: one reader per
 * connection, writes from the callers' threads under a write lock, settings, flow control, PING
 * health checks, GOAWAY) and its streams ({@link dev.roundtrip.internal.http2.Http2Stream}). HPACK
 * lives in the {@code hpack} subpackage. Limits are collected in
 * {@link dev.roundtrip.internal.http2.Http2Settings}; errors are {@link
 * dev.roundtrip.internal.http2.Http2Exception}s carrying the HTTP/2 error code and whether the
 * request may have been processed.
 */
package dev.roundtrip.internal.http2;
