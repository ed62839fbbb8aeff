/**
 * The HTTP/1.1 codec on plain byte streams (RFC 9112): request heads, response heads with size
 * limits, and body framing streams. It knows nothing of sockets, pools or traces; framing streams
 * report completion through {@link dev.roundtrip.internal.wire.BodySource#isComplete()}.
 */
package dev.roundtrip.internal.wire;
