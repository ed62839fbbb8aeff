package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.roundtrip.Http2Config;
import dev.roundtrip.Protocol;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.error.Http2Exception;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * H2FaultSupport runs the Transport-level HTTP/2 fault tests: each fault over TLS (ALPN h2) and
 * over h2c with prior knowledge ({@link Mode}), with a Transport whose every timeout is finite and
 * short, so that a fault the client does not handle fails the test instead of hanging it. After
 * each test, {@link H2TransportSupport} checks that no connection or stream is left in use.
 *
 * <p>What each fault produced is appended to {@code target/h2-fault-outcomes.txt} ({@link #record}),
 * one line a fault, for the fault list.
 */
abstract class H2FaultSupport extends H2TransportSupport {
    /** Each client timeout of {@link #faultTransport()}: long enough for a loaded machine, short enough to never hang a run. */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

    /** How a test reaches its server. */
    enum Mode {
        /** TLS, h2 chosen by ALPN. */
        TLS,
        /** Plain TCP, h2 with prior knowledge. */
        H2C
    }

    /** Starts a server in {@code mode} with {@code options}; closed after the test. */
    H2TestServer server(Mode mode, H2Options options) throws Exception {
        return mode == Mode.TLS ? h2Tls(options) : h2c(options);
    }

    /** Returns a Transport for h2c and h2 with every timeout finite ({@link #CLIENT_TIMEOUT}), and {@code h2}. */
    Transport faultTransport(Http2Config h2) {
        return transport(TransportConfig.builder().protocols(Protocol.H2C, Protocol.HTTP_2, Protocol.HTTP_1_1)
                .connectTimeout(CLIENT_TIMEOUT).tlsHandshakeTimeout(CLIENT_TIMEOUT)
                .connectionWaitTimeout(CLIENT_TIMEOUT).responseHeaderTimeout(CLIENT_TIMEOUT)
                .readTimeout(CLIENT_TIMEOUT).writeTimeout(CLIENT_TIMEOUT).http2(h2));
    }

    /** Returns a Transport as {@link #faultTransport(Http2Config)} with the default HTTP/2 settings. */
    Transport faultTransport() {
        return faultTransport(Http2Config.defaults());
    }

    /** Returns a GET of {@code path} on {@code server} bounded by {@link #CLIENT_TIMEOUT} overall. */
    static Request get(H2TestServer server, String path) {
        return Request.newBuilder(url(server, path)).timeout(CLIENT_TIMEOUT).build();
    }

    /** Sends {@code r} and returns its status and body as {@code "<status> <body>"}. */
    static String send(Transport t, Request r) throws IOException {
        try (Response res = t.roundTrip(r)) {
            return res.status() + " " + res.bodyString();
        }
    }

    /** Sends {@code r}, expecting an {@link Http2Exception}, and returns it. */
    static Http2Exception failsWithHttp2(Transport t, Request r) {
        Throwable e = catchThrowable(() -> send(t, r));
        assertThat(e).as("what the request produced").isInstanceOf(Http2Exception.class);
        return (Http2Exception) e;
    }

    /** Runs {@code task} on its own thread. */
    static <T> Future<T> async(Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "h2fault-client");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Waits for every future, {@link #CLIENT_TIMEOUT} plus a margin at most each, and returns their values in order. */
    static <T> List<T> all(List<Future<T>> futures) throws Exception {
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            out.add(f.get(CLIENT_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS));
        }
        return out;
    }

    /** Describes {@code e} for the fault list: its type, its HTTP/2 fields when it has them, and its message. */
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(e.getClass().getSimpleName());
        if (e instanceof Http2Exception h) {
            b.append("(").append(h.scope()).append(", ").append(h.errorCodeName()).append(", fromPeer=")
                    .append(h.fromPeer()).append(", mayHaveBeenProcessed=").append(h.mayHaveBeenProcessed()).append(")");
        }
        return b.append(": ").append(e.getMessage()).toString();
    }

    /** Appends "fault -> outcome" to {@code target/h2-fault-outcomes.txt}. */
    static void record(String fault, Mode mode, String outcome) {
        try {
            Files.writeString(Path.of("target", "h2-fault-outcomes.txt"),
                    fault + " [" + mode + "] -> " + outcome + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the list is a by-product; the test's assertions are what count
        }
    }
}
