package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Request;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: a child JVM caches one response in a DiskStore, then halts while a second body
 * is half streamed into the store. A new cache on the directory serves the first, never the
 * second, and leaves no temporary file behind.
 */
class DiskCrashTest {
    @TempDir
    Path dir;

    @Test
    void afterACrashMidWriteTheCommittedEntrySurvivesAndTheHalfWrittenOneIsGone() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.enqueue(ScriptedResponse.status(200).header("Cache-Control", "max-age=600").body("committed"));
            server.enqueue(ScriptedResponse.status(200).header("Cache-Control", "max-age=600")
                    .body("z".repeat(200_000)).chunked(4096));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CrashingClient.class.getName(), dir.toString(), server.url("/done").toString(),
                    server.url("/partial").toString()).redirectErrorStream(true).start();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(out).isEqualTo(3);
            assertThat(out).contains("READ 20000");
            assertThat(names()).anyMatch(n -> n.endsWith(".tmp")); // what the crash left

            Transport transport = Transport.create(TransportConfig.defaults());
            try (CachingRoundTripper cache = new CachingRoundTripper(transport, DiskStore.open(dir, 1 << 24))) {
                assertThat(names()).noneMatch(n -> n.endsWith(".tmp"));
                try (var r = cache.roundTrip(Request.get(server.url("/done")))) {
                    assertThat(CacheStatus.of(r).outcome()).isEqualTo(CacheOutcome.HIT);
                    assertThat(r.bodyString()).isEqualTo("committed");
                }
                server.enqueue(ScriptedResponse.status(200).body("fetched again"));
                try (var r = cache.roundTrip(Request.get(server.url("/partial")))) {
                    assertThat(CacheStatus.of(r).outcome()).isEqualTo(CacheOutcome.MISS);
                    assertThat(r.bodyString()).isEqualTo("fetched again");
                }
                assertThat(server.requestCount()).isEqualTo(3);
            } finally {
                CacheTestSupport.assertNoConnectionInUse(transport);
                transport.close();
            }
        }
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }
}
