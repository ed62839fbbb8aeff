package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Protocol;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.cache.internal.HttpDates;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One origin (embedded Jetty 12 speaking HTTP/1.1 and h2c with prior knowledge on one port) and
 * one {@link DiskStore} directory, used first by a cache over an HTTP/1.1 Transport and then,
 * reopened, by a cache over an HTTP/2 Transport, and the other way round (a service whose
 * protocol setting changed between runs). A hit reports the protocol the stored response came
 * over; a revalidation reports the protocol of its 304, which the entry then keeps.
 */
class MixedProtocolCacheTest {
    private final MutableClock clock = new MutableClock(CacheTestSupport.T0);
    /** What the origin saw, one line per request: {@code protocol if-none-match}. */
    private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    private Server server;
    private ServerConnector connector;
    private Transport http1;
    private Transport http2;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        server.setStopTimeout(500);
        HttpConfiguration cfg = new HttpConfiguration();
        cfg.setSendDateHeader(false); // the test's clock dates responses
        cfg.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(cfg), new HTTP2CServerConnectionFactory(cfg));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request req, org.eclipse.jetty.server.Response res,
                                  Callback callback) {
                String protocol = req.getConnectionMetaData().getHttpVersion().asString();
                String inm = req.getHeaders().get("If-None-Match");
                seen.add(protocol + " " + inm);
                res.getHeaders().put("Date", HttpDates.format(clock.millis()));
                res.getHeaders().put("ETag", "\"v1\"");
                res.getHeaders().put("Cache-Control", "max-age=60");
                if ("\"v1\"".equals(inm)) {
                    res.setStatus(304);
                    res.getHeaders().put("X-Validated-Over", protocol);
                    res.write(true, ByteBuffer.allocate(0), callback);
                } else {
                    res.write(true, ByteBuffer.wrap(("stored over " + protocol).getBytes(StandardCharsets.UTF_8)),
                            callback);
                }
                return true;
            }
        });
        server.start();
        http1 = Transport.create(TransportConfig.builder().protocols(Protocol.HTTP_1_1).build());
        http2 = Transport.create(TransportConfig.builder().protocols(Protocol.H2C, Protocol.HTTP_1_1).build());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            CacheTestSupport.assertNoConnectionInUse(http1);
            CacheTestSupport.assertNoConnectionInUse(http2);
        } finally {
            http1.close();
            http2.close();
            server.stop();
        }
    }

    @Test
    void storedOverHttp11ServedToAnHttp2Client() throws Exception {
        storeThenServe(http1, "HTTP/1.1", http2, "HTTP/2.0");
    }

    @Test
    void storedOverHttp2ServedToAnHttp11Client() throws Exception {
        storeThenServe(http2, "HTTP/2.0", http1, "HTTP/1.1");
    }

    private void storeThenServe(Transport first, String firstProtocol, Transport second, String secondProtocol)
            throws Exception {
        try (CachingRoundTripper cache = cache(first)) {
            Served miss = get(cache);
            assertThat(miss.outcome).isEqualTo(CacheOutcome.MISS);
            assertThat(miss.protocol).isEqualTo(firstProtocol);
            assertThat(miss.body).isEqualTo("stored over " + firstProtocol);
            assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(firstProtocol + " null");
        }
        try (CachingRoundTripper cache = cache(second)) { // the same directory, reopened
            Served hit = get(cache);
            assertThat(hit.outcome).isEqualTo(CacheOutcome.HIT);
            assertThat(hit.protocol).as("a hit reports the protocol the response came over").isEqualTo(firstProtocol);
            assertThat(hit.body).isEqualTo("stored over " + firstProtocol);
            assertThat(seen).as("a hit does not reach the origin").isEmpty();

            clock.advance(120);
            Served revalidated = get(cache);
            assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(secondProtocol + " \"v1\"");
            assertThat(revalidated.outcome).isEqualTo(CacheOutcome.REVALIDATED);
            assertThat(revalidated.protocol).as("a revalidated response reports its 304's protocol")
                    .isEqualTo(secondProtocol);
            assertThat(revalidated.body).isEqualTo("stored over " + firstProtocol);
            assertThat(revalidated.validatedOver).isEqualTo(secondProtocol);

            Served after = get(cache);
            assertThat(after.outcome).isEqualTo(CacheOutcome.HIT);
            assertThat(after.protocol).as("the entry keeps the protocol of the 304 that freshened it")
                    .isEqualTo(secondProtocol);
            assertThat(after.body).isEqualTo("stored over " + firstProtocol);
            assertThat(after.validatedOver).isEqualTo(secondProtocol);
            assertThat(seen).isEmpty();
        }
    }

    /** What the caller saw. */
    private record Served(CacheOutcome outcome, String protocol, String body, String validatedOver) {
    }

    private CachingRoundTripper cache(Transport t) throws IOException {
        return CachingRoundTripper.builder(t, DiskStore.open(dir, 1 << 20)).clock(clock).build();
    }

    private Served get(CachingRoundTripper cache) throws IOException {
        URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/doc");
        try (Response r = cache.roundTrip(Request.get(uri))) {
            return new Served(CacheStatus.of(r).outcome(), r.protocol(), r.bodyString(),
                    r.headers().first("X-Validated-Over"));
        }
    }
}
