/**
 * The scripted loopback HTTP/2 test server: a frame-level server (h2c with prior knowledge, or TLS
 * with ALPN {@code h2}) that records every frame a client sends and answers with scripted
 * responses, including what real servers won't do on command: GOAWAY mid-stream, REFUSED_STREAM,
 * a window that never opens, unanswered PINGs, a silent connection, invalid SETTINGS, an HPACK
 * bomb, a CONTINUATION flood, oversized frames. Start a {@link
 * dev.roundtrip.testserver.h2.H2TestServer}, script it with {@link
 * dev.roundtrip.testserver.h2.H2Response}s or {@link dev.roundtrip.testserver.h2.H2Handler}s,
 * run the client, then inspect {@link dev.roundtrip.testserver.h2.H2Request}s and {@link
 * dev.roundtrip.testserver.h2.H2Frame}s. Depends on the JDK only.
 */
package dev.roundtrip.testserver.h2;
