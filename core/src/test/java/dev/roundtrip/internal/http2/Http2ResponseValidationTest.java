package dev.roundtrip.internal.http2;

import static dev.roundtrip.internal.http2.H2Client.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Handler;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Http2ResponseValidationTest sends malformed responses (RFC 9113 §8.1.1, §8.2, §8.3.2) and checks
 * that each ends in a {@link MalformedResponseException} naming the fault, a RST_STREAM with
 * PROTOCOL_ERROR on the wire, and a connection that goes on serving; and that the content-less
 * responses (to HEAD, 204, 304) are accepted with a content-length but no content.
 */
class Http2ResponseValidationTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static H2Handler fields(boolean endStream, String... nameValues) {
        return ex -> {
            List<String[]> f = new java.util.ArrayList<>();
            for (int i = 0; i < nameValues.length; i += 2) {
                f.add(new String[] {nameValues[i], nameValues[i + 1]});
            }
            ex.headers(f, endStream);
        };
    }

    /** Runs {@code method} against {@code answer} and checks the malformed-response outcome. */
    private static void assertMalformed(String method, H2Handler answer, String fault) throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.enqueue(answer);
            Http2Connection c = client.connect(server);
            Http2Stream s = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            s.setDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            s.writeHeaders(request(method, "/"), true);
            assertThatThrownBy(() -> H2Client.finish(s)).as(fault)
                    .isInstanceOfSatisfying(MalformedResponseException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR.code);
                        assertThat(e.fromPeer()).isFalse();
                        assertThat(e.streamId()).isEqualTo(1);
                    })
                    .hasMessageContaining("malformed response: " + fault);
            assertThat(server.awaitFrame(f -> f.type() == H2Frame.RST_STREAM, WAIT).errorCode())
                    .isEqualTo(ErrorCode.PROTOCOL_ERROR.code);
            assertThat(H2Client.get(c, "/next").body()).as("the connection goes on").isEqualTo("ok");
        }
    }

    @Test
    void uppercaseFieldName() throws Exception {
        assertMalformed("GET", H2Response.status(200).header("Content-Type", "text/plain").body("x"),
                "field name \"Content-Type\" has an uppercase character");
    }

    @Test
    void connectionSpecificFields() throws Exception {
        for (String name : List.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade")) {
            assertMalformed("GET", H2Response.status(200).header(name, "x").body("x"),
                    "connection-specific field " + name);
        }
    }

    @Test
    void missingOrDuplicateStatus() throws Exception {
        assertMalformed("GET", fields(true, "content-type", "text/plain"), "no :status pseudo-header");
        assertMalformed("GET", fields(true, ":status", "200", ":status", "204"), "duplicate :status");
        assertMalformed("GET", fields(true, ":status", "2x0"), "malformed :status");
    }

    @Test
    void pseudoHeaderAfterARegularFieldOrOneOfARequest() throws Exception {
        assertMalformed("GET", fields(true, "x-a", "b", ":status", "200"), "pseudo-header :status after a regular field");
        assertMalformed("GET", fields(true, ":status", "200", ":path", "/"), "pseudo-header :path in a response");
    }

    @Test
    void contentLengthThatTheDataContradicts() throws Exception {
        assertMalformed("GET", H2Response.status(200).header("content-length", "10").body("short"),
                "body of 5 octets, content-length says 10");
        assertMalformed("GET", H2Response.status(200).header("content-length", "2").body("too long"),
                "more DATA than its content-length of 2");
        assertMalformed("GET", H2Response.status(200).header("content-length", "-1"), "malformed content-length");
    }

    @Test
    void dataOnAResponseThatHasNoContent() throws Exception {
        assertMalformed("HEAD", H2Response.status(200).header("content-length", "5").body("hello"),
                "DATA with content on a response that has none (to HEAD");
        assertMalformed("GET", H2Response.status(204).body("x"), "DATA with content on a response that has none (204");
        assertMalformed("GET", H2Response.status(304).body("x"), "DATA with content on a response that has none (304");
    }

    @Test
    void contentLessResponsesKeepTheirContentLength() throws Exception {
        try (H2TestServer server = H2TestServer.start(); H2Client client = new H2Client()) {
            server.enqueue(H2Response.status(200).header("content-length", "5")); // HEAD: END_STREAM on HEADERS
            server.enqueue(fields(false, ":status", "304", "content-length", "1234")); // its end comes below
            Http2Connection c = client.connect(server);
            Http2Stream head = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            head.writeHeaders(request("HEAD", "/"), true);
            H2Client.Result r = H2Client.finish(head);
            assertThat(r.head().contentLength()).isEqualTo(5);
            assertThat(r.body()).isEmpty();

            Http2Stream notModified = c.openStream(Long.MAX_VALUE, StreamEvents.NONE);
            notModified.setDeadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
            notModified.writeHeaders(request("GET", "/cached"), true);
            assertThat(notModified.awaitResponse().status()).isEqualTo(304);
            server.awaitFrame(f -> f.type() == H2Frame.HEADERS && f.streamId() == 3, WAIT);
            // an empty DATA frame ending the stream is fine (Go accepts it from GFE)
            server.connections().get(0).data(3, new byte[0], true);
            assertThat(notModified.body().readAllBytes()).isEmpty();
            assertThat(server.frames()).noneMatch(f -> f.type() == H2Frame.RST_STREAM);
        }
    }
}
