/**
 * The roundtrip test servers: a scripted loopback HTTP/1.1 server and a frame-level HTTP/2 server
 * (package {@code dev.roundtrip.testserver.h2}), plain and TLS, with fault injection, used by the
 * client library's tests and as a benchmark target, with a JUnit 5 extension
 * ({@code dev.roundtrip.testserver.junit}, the one part that needs JUnit). The servers depend on
 * the JDK only.
 */
module dev.roundtrip.testserver {
  // Optional: only dev.roundtrip.testserver.junit needs JUnit; the server needs java.base only.
  requires static org.junit.jupiter.api;

  exports dev.roundtrip.testserver;
  exports dev.roundtrip.testserver.h2;
  exports dev.roundtrip.testserver.junit;
}
