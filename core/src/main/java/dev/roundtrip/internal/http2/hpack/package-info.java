/**
 * HPACK (RFC 7541): header compression for HTTP/2, on byte arrays. The static and dynamic tables,
 * Huffman coding, integer and string representations, dynamic table size updates, and a bound on
 * the decoded header list. It knows nothing of frames or connections: the connection maps an
 * {@link dev.roundtrip.internal.http2.hpack.HpackException} to a connection error of type
 * COMPRESSION_ERROR (RFC 9113 §4.3) and a
 * {@link dev.roundtrip.internal.http2.hpack.HeaderListTooLargeException} to a stream error.
 */
package dev.roundtrip.internal.http2.hpack;
