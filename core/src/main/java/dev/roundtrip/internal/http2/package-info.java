/**
 * HTTP/2 (RFC 9113) for the client. HPACK lives in the {@code hpack} subpackage. Here, by concept:
 * <ul>
 *   <li>frames with named limits: {@link dev.roundtrip.internal.http2.FrameReader},
 *       {@link dev.roundtrip.internal.http2.FrameWriter}, {@code Frame}, {@code FrameType},
 *       {@code SettingId};</li>
 *   <li>the multiplexed connection: {@link dev.roundtrip.internal.http2.Http2Connection} (start,
 *       stream slots, shutdown, failure), {@code StreamTable} (ids, reservations, the limit in
 *       force), {@code ConnectionEnd} (GOAWAY and failure state), {@code ReaderLoop} (the one
 *       reader), {@code ConnectionWriter} (the write permit and the control-frame queue),
 *       {@code WriteWatchdog} (frees callers blocked in a socket write), {@code HealthCheck} (PING
 *       after read idleness), both on one {@code CheckTimer} each;</li>
 *   <li>a stream: {@link dev.roundtrip.internal.http2.Http2Stream} (state, deadline, cancel),
 *       {@code RequestSender} (HEADERS, DATA within the windows, trailers, a body stopped early),
 *       {@code ResponseReceiver} (the head, 100-continue, the body with credit returned as it is
 *       read), {@code ResponseBody};</li>
 *   <li>fields: {@link dev.roundtrip.internal.http2.RequestFields} (a request head converted
 *       to HTTP/2 fields as Go does), {@code ResponseFields} (a response head checked);</li>
 *   <li>limits: {@link dev.roundtrip.internal.http2.Http2Settings}; errors: {@link
 *       dev.roundtrip.internal.http2.Http2Exception}s carrying the HTTP/2 error code and whether
 *       the request may have been processed.</li>
 * </ul>
 */
package dev.roundtrip.internal.http2;
