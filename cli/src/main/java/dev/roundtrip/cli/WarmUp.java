package dev.roundtrip.cli;

import dev.roundtrip.Client;
import dev.roundtrip.RedirectPolicy;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * WarmUp prepares the JVM before a traced request, so that {@code get --trace} shows where the
 * network and the server spent the time rather than the JVM loading and first running the
 * client's classes (a first request in a fresh JVM takes a few hundred milliseconds of that).
 *
 * <p>Steps: two requests (a new connection, then a reused one) to the embedded server on
 * 127.0.0.1 through the same pipeline as {@code get} (Client, {@link ExchangeLog}, a throwaway
 * Transport); for https, the TLS context's first ClientHello, made
 * in memory. Nothing is sent to the user's server and no name is looked up; failures are ignored.
 */
final class WarmUp {
    private WarmUp() {
    }

    /** Warms up plain HTTP, and TLS with {@code tls} (the JDK's default context when null) if {@code https}. */
    static void run(boolean https, SSLContext tls) {
        try (EmbeddedServer server = EmbeddedServer.start(); Transport t = Transport.create()) {
            // the same pipeline as get: Client -> ExchangeLog (also the trace) -> Transport
            // (with -v output to nowhere: printing the heads also runs for the first time here)
            ExchangeLog log = new ExchangeLog(t, new PrintStream(OutputStream.nullOutputStream()), null, false);
            Client client = Client.builder().transport(log).redirectPolicy(RedirectPolicy.never()).build();
            for (int i = 0; i < 2; i++) {
                try (Response r = client.send(Request.newBuilder(server.url("/warm-up")).trace(log).build())) {
                    r.body().transferTo(OutputStream.nullOutputStream());
                    r.timings();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // only a warm-up
        }
        if (https) {
            try {
                SSLContext ctx = tls != null ? tls : SSLContext.getDefault();
                SSLEngine engine = ctx.createSSLEngine("warm-up.invalid", 443);
                engine.setUseClientMode(true);
                engine.beginHandshake();
                ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                engine.wrap(ByteBuffer.allocate(0), out); // the ClientHello, never sent
                engine.closeOutbound();
            } catch (IOException | java.security.GeneralSecurityException | RuntimeException ignored) {
                // only a warm-up
            }
        }
    }
}
