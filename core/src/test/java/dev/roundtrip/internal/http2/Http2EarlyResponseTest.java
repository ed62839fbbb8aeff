package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.H2Client.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.http2.hpack.HeaderField;
import dev.roundtrip.testserver.h2.H2Connection;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Http2EarlyResponseTest checks a request body against the server's early answers:
 * {@code Expect: 100-continue} (the body waits for a 100 or the timeout, and is not sent after a
 * final response), a final status above 299 in the middle of the body (the rest is not sent, the
 * response is read whole), and a 2xx in the middle of the body (full duplex: the body goes on).
 * A stopped body is never ended with END_STREAM: the stream is reset with CANCEL once the
 * response is complete.
 */
class Http2EarlyResponseTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long CONTINUE_TIMEOUT = TimeUnit.SECONDS.toNanos(30);

    private static List<String[]> head(String status) {
        return List.of(new String[][] {{":status", status}});
    }

    private static Http2Stream expectingPut(Http2Connection c, int length, List<String> events) throws IOException {
        Http2Stream s = c.openStream(Long.MAX_VALUE, recording(events));
        s.setDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
        s.writeHeaders(request("PUT", "/upload", "expect", "100-continue", "content-length",
                Integer.toString(length)), false);
        return s;
    }

    private static StreamEvents recording(List<String> events) {
        return new StreamEvents() {
            @Override
            public void wroteRequest(IOException error, long atNanos) {
                events.add("wroteRequest " + error);
            }

            @Override
            public void got1xxResponse(int status, List<HeaderField> fields) {
                events.add("1xx " + status);
            }
        };
    }

    private static List<H2Frame> sent(H2TestServer server, int type) {
        return server.frames().stream().filter(f -> f.type() == type).toList();
    }

    @Test
    void bodyWaitsForTheHundredThenGoes() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            Http2Stream s = expectingPut(c, 5, events);
            server.awaitFrame(f -> f.type() == H2Frame.HEADERS, WAIT);
            CompletableFuture<Boolean> go = H2Client.async(() -> s.awaitContinue(CONTINUE_TIMEOUT));
            H2Connection sc = server.connections().get(0);
            sc.headers(1, head("103"), false); // reported, and the wait goes on
            sc.headers(1, head("100"), false);
            assertThat(go.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sent(server, H2Frame.DATA)).as("no DATA before the 100").isEmpty();
            assertThat(s.writeBody(new ByteArrayInputStream("hello".getBytes()), 5, true)).isTrue();
            assertThat(H2Client.finish(s).body()).isEqualTo("ok");
            assertThat(server.takeRequest().bodyText()).isEqualTo("hello");
            assertThat(events).containsExactly("1xx 103", "1xx 100", "wroteRequest null");
        }
    }

    @Test
    void noAnswerWithinTheTimeoutSendsTheBodyAnyway() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            Http2Stream s = expectingPut(c, 3, new ArrayList<>());
            assertThat(s.awaitContinue(TimeUnit.MILLISECONDS.toNanos(100))).isTrue();
            assertThat(s.writeBody(new ByteArrayInputStream("abc".getBytes()), 3, true)).isTrue();
            assertThat(H2Client.finish(s).body()).isEqualTo("ok");
            assertThat(server.takeRequest().bodyText()).isEqualTo("abc");
        }
    }

    @Test
    void finalResponseBeforeTheHundredMeansNoBodyAndACancelOnceTheResponseEnded() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            List<String> events = Collections.synchronizedList(new ArrayList<>());
            Http2Stream s = expectingPut(c, 1000, events);
            server.awaitFrame(f -> f.type() == H2Frame.HEADERS, WAIT);
            H2Connection sc = server.connections().get(0);
            sc.headers(1, head("401"), false);
            assertThat(s.awaitContinue(CONTINUE_TIMEOUT)).isFalse();
            assertThat(s.writeBody(new ByteArrayInputStream(new byte[1000]), 1000, true))
                    .as("a body not wanted is not sent").isFalse();
            assertThat(s.awaitResponse().status()).isEqualTo(401);
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM, Duration.ofMillis(200)))
                    .as("no reset while the response is still coming").isNull();
            sc.data(1, "denied".getBytes(), true);
            assertThat(new String(s.body().readAllBytes())).isEqualTo("denied");
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM, WAIT).errorCode())
                    .isEqualTo(ErrorCode.CANCEL.code);
            assertThat(sent(server, H2Frame.DATA)).as("no DATA, not even an empty END_STREAM").isEmpty();
            assertThat(events).containsExactly("wroteRequest null");
            assertThat(c.activeStreams()).isZero();
            assertThat(H2Client.get(c, "/after").body()).isEqualTo("ok");
        }
    }

    @Test
    void finalSuccessBeforeTheHundredAlsoMeansNoBody() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            Http2Stream s = expectingPut(c, 10, new ArrayList<>());
            server.awaitFrame(f -> f.type() == H2Frame.HEADERS, WAIT);
            server.connections().get(0).headers(1, head("200"), true); // complete at once
            assertThat(s.awaitContinue(CONTINUE_TIMEOUT)).isFalse();
            assertThat(s.writeTrailers(List.of(new HeaderField("x-sum", "1")))).as("nor trailers").isFalse();
            assertThat(s.awaitResponse().status()).isEqualTo(200);
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM, WAIT).errorCode())
                    .isEqualTo(ErrorCode.CANCEL.code);
            assertThat(sent(server, H2Frame.DATA)).isEmpty();
            assertThat(sent(server, H2Frame.HEADERS)).hasSize(1);
        }
    }

    @Test
    void refusalInTheMiddleOfTheBodyStopsItAndTheResponseIsReadWhole() throws Exception {
        try (H2TestServer server = H2TestServer.start(H2Options.defaults().grantCredit(false));
             H2Client client = new H2Client()) {
            Http2Connection c = client.connect(server);
            Http2FaultsTest.waitForSettings(c);
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.setDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
            s.writeHeaders(request("POST", "/too-big", "content-length", "200000"), false);
            CompletableFuture<Boolean> write = H2Client.async(
                    () -> s.writeBody(new ByteArrayInputStream(new byte[200_000]), 200_000, true));
            // The refusal comes once the whole initial window has arrived: the writer is then
            // waiting for credit (sent earlier, it may stop the writer between two frames).
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sent(server, H2Frame.DATA).stream().mapToInt(f -> f.payload().length).sum() < 65535
                    && System.nanoTime() < until) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // poll the frames the server logged
            }
            H2Connection sc = server.connections().get(0);
            sc.headers(1, List.of(new String[][] {{":status", "413"}, {"content-type", "text/plain"}}), false);
            assertThat(write.get(10, TimeUnit.SECONDS)).as("stopped while waiting for credit").isFalse();
            assertThat(s.awaitResponse().status()).isEqualTo(413);
            sc.data(1, "too large".getBytes(), true);
            assertThat(new String(s.body().readAllBytes())).isEqualTo("too large");
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM, WAIT).errorCode())
                    .isEqualTo(ErrorCode.CANCEL.code);
            List<H2Frame> data = sent(server, H2Frame.DATA);
            assertThat(data.stream().mapToInt(f -> f.payload().length).sum()).isEqualTo(65535);
            assertThat(data).noneMatch(f -> f.hasFlag(H2Frame.END_STREAM));
        }
    }

    @Test
    void successInTheMiddleOfTheBodyLetsItGoOn() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.setDispatcher(ex -> ex.data("done".getBytes(), true)); // the head went out early
            Http2Connection c = client.connect(server);
            Http2FaultsTest.waitForSettings(c);
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.setDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
            s.writeHeaders(request("POST", "/duplex"), false);
            server.awaitFrame(f -> f.type() == H2Frame.HEADERS, WAIT);
            server.connections().get(0).headers(1, head("200"), false);
            assertThat(s.awaitResponse().status()).isEqualTo(200);
            byte[] body = new byte[300_000];
            assertThat(s.writeBody(new ByteArrayInputStream(body), -1, true)).isTrue();
            assertThat(new String(s.body().readAllBytes())).isEqualTo("done");
            assertThat(server.takeRequest().body()).hasSize(300_000);
            assertThat(server.frames()).noneMatch(f -> f.type() == H2Frame.RST_STREAM);
        }
    }
}
