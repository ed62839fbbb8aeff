package dev.roundtrip.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roundtrip.testserver.Options;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import dev.roundtrip.testserver.junit.TestServerExtension;
import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * 100 MiB up and 100 MiB down through RestClient with a heap far smaller than the body: the
 * surefire execution "large-bodies" runs this class alone with -Xmx64m (and
 * -Droundtrip.largeBodies=true; without it the class is skipped), so a body held in memory
 * anywhere (factory, pipe, Transport, server) ends in an OutOfMemoryError.
 */
class LargeBodyTest {
    static final long SIZE = 100L << 20;
    /** Bigger than this heap cannot be: the test would then prove nothing. */
    static final long MAX_HEAP = 96L << 20;

    @RegisterExtension
    static final TestServerExtension SERVERS = new TestServerExtension(Options.defaults().recordBodies(false));

    private RoundtripClientHttpRequestFactory factory;
    private RestClient rest;
    private TestServer server;

    @BeforeAll
    static void heapIsSmall() {
        // Elsewhere (e.g. the default execution under -Dtest=...) the heap is not small: skip.
        assumeTrue(Boolean.getBoolean("roundtrip.largeBodies"), "runs in the surefire execution large-bodies");
        assertThat(Runtime.getRuntime().maxMemory()).as("run with a small -Xmx (surefire execution large-bodies)")
                .isLessThan(MAX_HEAP);
    }

    @BeforeEach
    void setUp(TestServer s) {
        server = s;
        factory = new RoundtripClientHttpRequestFactory();
        rest = RestClient.builder().requestFactory(factory).baseUrl(s.url("/").toString()).build();
    }

    @AfterEach
    void tearDown() {
        factory.close();
    }

    @Test
    void uploadOf100MiBStreamsWithItsContentLength() throws Exception {
        rest.put().uri("/upload").contentType(MediaType.APPLICATION_OCTET_STREAM).contentLength(SIZE)
                .body(out -> writePattern(out, SIZE))
                .retrieve().toBodilessEntity();
        RecordedRequest r = server.takeRequest();
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(SIZE));
        assertThat(r.chunked()).isFalse();
        assertThat(r.bodySize()).isEqualTo(SIZE);
    }

    @Test
    void uploadOf100MiBOfUnknownLengthStreamsChunked() throws Exception {
        rest.post().uri("/upload").body(out -> writePattern(out, SIZE)).retrieve().toBodilessEntity();
        RecordedRequest r = server.takeRequest();
        assertThat(r.chunked()).isTrue();
        assertThat(r.bodySize()).isEqualTo(SIZE);
    }

    @Test
    void downloadOf100MiBStreamsAndEveryByteIsRight() {
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "application/octet-stream")
                .generatedBody(SIZE));
        long[] read = new long[1];
        HttpHeaders headers = rest.get().uri("/download").exchange((request, response) -> {
            try (InputStream in = response.getBody()) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] != ScriptedResponse.generatedByte(read[0] + i)) {
                            throw new AssertionError("byte " + (read[0] + i) + " differs");
                        }
                    }
                    read[0] += n;
                }
            }
            return response.getHeaders();
        });
        assertThat(read[0]).isEqualTo(SIZE);
        assertThat(headers.getContentLength()).isEqualTo(SIZE);
    }

    /** Writes {@code n} bytes of a pattern in 64 KiB writes. */
    static void writePattern(OutputStream out, long n) throws java.io.IOException {
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) i;
        }
        for (long left = n; left > 0; left -= block.length) {
            out.write(block, 0, (int) Math.min(block.length, left));
        }
    }
}
