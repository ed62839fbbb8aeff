/**
 * HTTP/1.1 over one connection, the first implementation of the exchange contract of
 * {@code internal.exchange}: {@link dev.roundtrip.internal.conn.PersistentConnection} (the socket,
 * its buffers, the liveness check) and {@link dev.roundtrip.internal.conn.Http1Exchange} (one
 * request and response, an explicit state machine), with the 100-continue wait, the write
 * watchdog and the error mapping each in their own type. All I/O runs on the caller's thread.
 */
package dev.roundtrip.internal.conn;
