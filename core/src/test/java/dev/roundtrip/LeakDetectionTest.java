package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.ScriptedResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A response that is never closed is detected, reported with where it was created, and reclaimed. */
class LeakDetectionTest extends TransportTestSupport {
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger jul = Logger.getLogger(Transport.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        jul.addHandler(capture);
    }

    @AfterEach
    void stopCapture() {
        jul.removeHandler(capture);
    }

    @Override
    protected TransportConfig config() {
        return TransportConfig.builder().leakTracing(true).maxConnsPerHost(1)
                .connectionWaitTimeout(Duration.ofSeconds(5)).build();
    }

    private void leakOneResponse() throws Exception {
        Response r = transport.roundTrip(Request.get(server.url("/leaky")));
        assertThat(r.status()).isEqualTo(200);
        // dropped without close
    }

    @Test
    void leakedResponseIsReportedAndItsConnectionReclaimed() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("never read"));
        leakOneResponse();
        boolean seen = eventually(Duration.ofSeconds(5), () -> {
            System.gc();
            return transport.stats().leaks() == 1;
        });
        assertThat(seen).as("leak detected after GC").isTrue();
        LogRecord rec = logged.stream().filter(l -> l.getMessage().contains("was leaked")).findFirst().orElseThrow();
        assertThat(rec.getMessage()).contains("GET http://127.0.0.1:" + server.port() + "/leaky")
                .contains("Close every Response");
        assertThat(rec.getThrown()).isNotNull();
        assertThat(rec.getThrown().getStackTrace()[0].toString()).contains("Transport");
        assertThat(java.util.Arrays.stream(rec.getThrown().getStackTrace()))
                .anyMatch(e -> e.getMethodName().equals("leakOneResponse"));
        // maxConnsPerHost is 1: the slot came back, so this does not wait.
        assertThat(get("/after")).isEqualTo("ok");
        assertThat(transport.stats().closes(PoolStats.CloseReason.LEAKED)).isEqualTo(1);
        // the leak was counted once; reset the after-test check's expectation
        leakCountAccepted();
    }

    @Test
    void aBodyReferenceKeepsTheResponseAlive() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("still reading"));
        java.io.InputStream body = transport.roundTrip(Request.get(server.url("/held"))).body();
        for (int i = 0; i < 5; i++) {
            System.gc();
            assertThat(transport.stats().leaks()).isZero();
        }
        assertThat(new String(body.readAllBytes())).isEqualTo("still reading");
    }

    private boolean acceptLeak;

    private void leakCountAccepted() {
        acceptLeak = true;
    }

    @Override
    @AfterEach
    void checkNoLeakAndClose() {
        if (acceptLeak) {
            try {
                assertThat(transport.stats().hosts()).allMatch(h -> h.inUse() == 0);
            } finally {
                transport.close();
                server.close();
            }
            return;
        }
        super.checkNoLeakAndClose();
    }
}
