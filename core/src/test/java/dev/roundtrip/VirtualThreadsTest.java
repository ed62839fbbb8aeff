package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roundtrip.internal.util.Threads;
import dev.roundtrip.testserver.ScriptedResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Requests on virtual threads (JDK 21+; skipped on 17): many more callers than connections,
 * waiting in the pool's queue, all served. Run by .ci/run on the newest JDK.
 */
class VirtualThreadsTest extends TransportTestSupport {

    @Override
    protected TransportConfig config() {
        return TransportConfig.builder().maxConnsPerHost(4).build();
    }

    @Test
    void manyVirtualThreadsShareAFewConnections() throws Exception {
        assumeTrue(Threads.virtualThreadsAvailable(), "virtual threads need JDK 21+");
        server.setDispatcher(r -> ScriptedResponse.status(200).body(r.target()).delay(Duration.ofMillis(1)));
        ExecutorService vts = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        try {
            List<Future<Boolean>> fs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String path = "/vt/" + i;
                fs.add(vts.submit(() -> {
                    try (Response r = transport.roundTrip(Request.get(server.url(path)))) {
                        return r.bodyString().equals(path);
                    }
                }));
            }
            for (Future<Boolean> f : fs) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            vts.shutdownNow();
        }
        assertThat(server.acceptedConnections()).isLessThanOrEqualTo(4);
    }
}
