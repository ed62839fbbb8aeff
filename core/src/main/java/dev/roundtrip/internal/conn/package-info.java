/**
 * The persistent HTTP/1.1 connection: writes a request, reads a response head, and hands out a
 * body stream whose end or close releases the connection. All I/O runs on the caller's thread.
 */
package dev.roundtrip.internal.conn;
