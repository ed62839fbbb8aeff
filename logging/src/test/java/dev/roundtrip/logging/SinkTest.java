package dev.roundtrip.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Response;
import dev.roundtrip.logging.LoggingRoundTripper.Level;
import dev.roundtrip.testserver.ScriptedResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Where messages go: the default System.Logger, a given one, a Consumer; and what a sink cannot break. */
class SinkTest extends LoggingTestSupport {

    /** A System.Logger that records (level, message) and logs only when {@code enabled}. */
    static final class RecordingLogger implements System.Logger {
        final List<String> records = new CopyOnWriteArrayList<>();
        volatile boolean enabled = true;

        @Override public String getName() { return "recording"; }
        @Override public boolean isLoggable(Level level) { return enabled; }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            records.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            records.add(level + " " + format);
        }
    }

    @Test
    void theDefaultSinkIsTheSystemLoggerNamedDevRoundtripLoggingAtInfo() throws Exception {
        Logger jul = Logger.getLogger(LoggingRoundTripper.DEFAULT_LOGGER_NAME);
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override public void publish(LogRecord r) { records.add(r); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        boolean parents = jul.getUseParentHandlers();
        jul.addHandler(handler);
        jul.setUseParentHandlers(false); // keep the build output clean
        try {
            send(LoggingRoundTripper.wrap(transport, Level.BASIC), get("/jul"));
        } finally {
            jul.removeHandler(handler);
            jul.setUseParentHandlers(parents);
        }
        assertThat(records).hasSize(3);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.INFO);
            assertThat(r.getLoggerName()).isEqualTo("dev.roundtrip.logging");
        });
        assertThat(records.get(0).getMessage()).isEqualTo("--> GET " + server.url("/jul"));
    }

    @Test
    void aGivenLoggerGetsEveryMessageAtTheGivenLevel() throws Exception {
        RecordingLogger logger = new RecordingLogger();
        LoggingRoundTripper rt = LoggingRoundTripper.builder(transport).level(Level.BASIC)
                .logger(logger, System.Logger.Level.DEBUG).build();
        send(rt, get("/d"));
        assertThat(logger.records).hasSize(3).allSatisfy(m -> assertThat(m).startsWith("DEBUG "));
        assertThat(logger.records.get(0)).isEqualTo("DEBUG --> GET " + server.url("/d"));
    }

    @Test
    void aLoggerThatIsOffMakesRequestsPassStraightThrough() throws Exception {
        RecordingLogger logger = new RecordingLogger();
        logger.enabled = false;
        LoggingRoundTripper rt = LoggingRoundTripper.builder(transport).level(Level.BODY)
                .logger(logger, System.Logger.Level.DEBUG).build();
        try (Response r = rt.roundTrip(get("/off"))) {
            assertThat(listened(r.body())).as("body wrapped").isFalse();
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(logger.records).isEmpty();
    }

    @Test
    void aSinkThatThrowsDoesNotBreakTheExchangeNorKeepItsConnection() throws Exception {
        List<String> attempted = new CopyOnWriteArrayList<>();
        LoggingRoundTripper rt = LoggingRoundTripper.builder(transport).level(Level.BODY).sink(m -> {
            attempted.add(m);
            throw new IllegalStateException("log target down");
        }).build();
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain").body("fine"));
        assertThat(send(rt, get("/x"))).asString().isEqualTo("fine");
        assertThat(attempted).hasSize(3);
        assertThat(idle()).isEqualTo(1);
    }

    @Test
    void concurrentExchangesKeepEachMessageWhole() throws Exception {
        server.setDispatcher(req -> ScriptedResponse.status(200).header("X-Path", req.target()).body(req.target()));
        LoggingRoundTripper rt = logging(Level.HEADERS);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String path = "/p" + i;
                results.add(pool.submit(() -> send(rt, get(path).toBuilder().header("X-Want", path).build())));
            }
            for (int i = 0; i < 64; i++) {
                assertThat(results.get(i).get()).asString().isEqualTo("/p" + i);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(messages).hasSize(3 * 64);
        String base = "http://127.0.0.1:" + server.port();
        for (String m : messages) {
            String[] lines = m.split("\n");
            String path = lines[0].replaceAll(".* " + java.util.regex.Pattern.quote(base) + "(/p\\d+).*", "$1");
            if (lines[0].startsWith("--> ")) {
                assertThat(lines).as(m).containsExactly("--> GET " + base + path, "X-Want: " + path);
            } else if (lines[0].startsWith("<-- 200 ")) {
                assertThat(lines).as(m).contains("X-Path: " + path).hasSize(3);
            } else {
                assertThat(lines).as(m).hasSize(1);
                assertThat(lines[0]).startsWith("<-- END 200 " + base + path + " (" + path.length() + "-byte body");
            }
        }
    }
}
