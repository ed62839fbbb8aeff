/**
 * The scripted loopback HTTP/1.1 test server: start a {@link dev.roundtrip.testserver.TestServer},
 * enqueue {@link dev.roundtrip.testserver.ScriptedResponse}s, run the client, then inspect the
 * {@link dev.roundtrip.testserver.RecordedRequest}s and connection counters.
 */
package dev.roundtrip.testserver;
