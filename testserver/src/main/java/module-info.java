/**
 * The roundtrip test servers: a scripted loopback HTTP/1.1 server and a frame-level HTTP/2 server
 * (package {@code dev.roundtrip.testserver.h2}), plain and TLS, with fault
 * injection, used by the client library's tests and as a benchmark target. Depends on the JDK only.
 */
module dev.roundtrip.testserver {
  exports dev.roundtrip.testserver;
  exports dev.roundtrip.testserver.h2;
}
