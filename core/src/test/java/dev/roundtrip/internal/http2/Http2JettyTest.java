package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.H2Client.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.h2.JettyH2;
import dev.roundtrip.internal.http2.hpack.HeaderField;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Http2JettyTest runs the connection against a real server, Jetty 12's HTTP/2 server in h2c
 * (prior knowledge) mode on loopback ({@link JettyH2}): GET, a 10 MiB POST, 256 concurrent streams on one
 * connection, response trailers.
 */
class Http2JettyTest {
    private static final int CONCURRENT = JettyH2.TOGETHER;
    private static JettyH2 jetty;
    private static int port;

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = new JettyH2();
        port = jetty.h2cPort();
    }

    @AfterAll
    static void stopJetty() throws Exception {
        jetty.close();
    }

    private static String sha256(byte[] b) throws Exception {
        return JettyH2.sha256(b);
    }

    @Test
    void get() throws Exception {
        try (H2Client client = new H2Client()) {
            Http2Connection c = client.connect(port, Http2Settings.defaults());
            H2Client.Result r = H2Client.get(c, "/hi");
            assertThat(r.head().status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello /hi");
            assertThat(c.settingsReceived()).isTrue();
            assertThat(c.maxConcurrentStreams()).isEqualTo(CONCURRENT + 16);
        }
    }

    @Test
    void postOfTenMebibytes() throws Exception {
        byte[] body = new byte[10 << 20];
        new Random(10).nextBytes(body);
        try (H2Client client = new H2Client()) {
            Http2Connection c = client.connect(port, Http2Settings.defaults());
            H2Client.Result r = H2Client.post(c, "/post", body);
            assertThat(r.body()).isEqualTo(body.length + " " + sha256(body));
        }
    }

    @Test
    void postOfUnknownLength() throws Exception {
        byte[] body = new byte[100_000];
        new Random(11).nextBytes(body);
        try (H2Client client = new H2Client()) {
            Http2Connection c = client.connect(port, Http2Settings.defaults());
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.setDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            s.writeHeaders(request("POST", "/post"), false);
            s.writeBody(new ByteArrayInputStream(body), -1, true);
            assertThat(H2Client.finish(s).body()).isEqualTo(body.length + " " + sha256(body));
        }
    }

    @Test
    void responseTrailers() throws Exception {
        try (H2Client client = new H2Client()) {
            Http2Connection c = client.connect(port, Http2Settings.defaults());
            H2Client.Result r = H2Client.get(c, "/trailers");
            assertThat(r.body()).isEqualTo("with trailers");
            assertThat(r.trailers()).contains(new HeaderField("x-checksum", "abc123"));
        }
    }

    @Test
    void twoHundredFiftySixConcurrentStreamsOnOneConnection() throws Exception {
        jetty.connectionIds.clear();
        try (H2Client client = new H2Client()) {
            Http2Connection c = client.connect(port, Http2Settings.defaults());
            H2Client.get(c, "/warm-up"); // the server's SETTINGS are known before the burst
            List<String> bodies = Collections.synchronizedList(new ArrayList<>());
            List<Throwable> errors = H2Client.concurrently(CONCURRENT, () -> bodies.add(H2Client.get(c, "/together").body()));
            assertThat(errors).isEmpty();
            assertThat(bodies).hasSize(CONCURRENT).containsOnly("together");
            assertThat(jetty.connectionIds).hasSize(1);
        }
    }

    @Test
    void concurrentLargeBodiesEachGetTheirOwnOctetsWhileDataBuffersAreReused() throws Exception {
        // DATA payloads are read into buffers lent by a process-wide pool and given back once a
        // caller has copied them out (or closed its body): a buffer given back twice, or too
        // early, would show here as one stream reading another's octets.
        int streams = 24;
        int size = 300 * 1024;
        try (H2Client client = new H2Client()) {
            Http2Connection c = client.connect(port, Http2Settings.defaults());
            H2Client.get(c, "/warm-up");
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            List<Throwable> errors = H2Client.concurrently(streams, () -> {
                int seed = next.getAndIncrement();
                for (int round = 0; round < 3; round++) {
                    Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
                    s.writeHeaders(request("GET", "/pattern/" + (seed + 100 * round) + "/" + size), true);
                    assertThat(s.awaitResponse().status()).isEqualTo(200);
                    byte[] want = JettyH2.pattern(seed + 100 * round, size);
                    try (java.io.InputStream in = s.body()) {
                        if (seed % 4 == 3 && round == 1) {
                            // closes after a part: its queued buffers go back unread
                            byte[] part = in.readNBytes(size / 3);
                            assertThat(part).isEqualTo(java.util.Arrays.copyOf(want, size / 3));
                            continue;
                        }
                        byte[] got = new byte[size];
                        int n = 0;
                        int step = 1000 + seed * 97; // reads of odd sizes, across frame boundaries
                        while (n < size) {
                            int k = in.read(got, n, Math.min(step, size - n));
                            assertThat(k).as("stream of seed %d ended after %d octets", seed, n).isPositive();
                            n += k;
                        }
                        assertThat(in.read()).isEqualTo(-1);
                        assertThat(got).as("body of seed %d", seed + 100 * round).isEqualTo(want);
                    }
                }
            });
            assertThat(errors).isEmpty();
            assertThat(c.activeStreams()).isZero();
        }
    }
}
