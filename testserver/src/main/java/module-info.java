/**
 * The roundtrip test server: a scripted loopback HTTP/1.1 server (plain and TLS) with fault
 * injection, used by the client library's tests and as a benchmark target. Depends on the JDK only.
 */
module dev.roundtrip.testserver {
  exports dev.roundtrip.testserver;
}
