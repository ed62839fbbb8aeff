package dev.roundtrip.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.Response;
import dev.roundtrip.logging.LoggingRoundTripper.Level;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Capturing the response body for the log never changes what the caller reads, never reads ahead
 * of the caller, and leaves the connection to be returned to the pool as without logging.
 */
class ResponseBodyTest extends LoggingTestSupport {

    /** ASCII text of {@code n} bytes, lines of 64, without a newline at position 4095 or at the end. */
    static String text(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; b.length() < n; i++) {
            b.append(String.format("line %05d ", i)).append("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQR\n");
        }
        b.setLength(n);
        b.setCharAt(n - 1, '.');
        return b.toString();
    }

    @Test
    void aLargeTextBodyReachesTheCallerUnchangedAndOnlyTheCapIsLogged() throws Exception {
        String body = text(100_000);
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain").body(body));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (Response r = logging(Level.BODY).roundTrip(get("/big"))) {
            InputStream in = r.body();
            got.write(in.read()); // one byte at a time ...
            got.write(in.read());
            byte[] buf = new byte[1000];
            int n = in.read(buf, 3, 997); // ... into the middle of an array ...
            got.write(buf, 3, n);
            got.write(in.readAllBytes()); // ... and the rest
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(got.toString(StandardCharsets.US_ASCII)).isEqualTo(body);
        assertThat(lines()).containsSubsequence(
                "<-- 200 OK http://HOST/big (X ms, 100000-byte body)",
                "[truncated: first 4096 of 100000 bytes shown]",
                "<-- END 200 http://HOST/big (100000-byte body, X ms total; connection X ms (new), write X ms, ttfb X ms,"
                        + " transfer X ms)");
        String end = messages.get(2);
        assertThat(end).startsWith(body.substring(0, 4096) + "\n[truncated:");
        assertThat(idle()).isEqualTo(1);
    }

    @Test
    void aBinaryBodyReachesTheCallerUnchangedAndIsOmitted() throws Exception {
        byte[] body = new byte[50_000];
        new Random(42).nextBytes(body);
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "application/octet-stream").body(body));
        assertThat(send(logging(Level.BODY), get("/bin"))).isEqualTo(body);
        assertThat(lines()).containsSubsequence("[50000-byte binary body omitted]",
                "<-- END 200 http://HOST/bin (50000-byte body, X ms total; connection X ms (new), write X ms, ttfb X ms,"
                        + " transfer X ms)");
    }

    @Test
    void aChunkedBodyBeyondASmallCapIsCutOnACharacter() throws Exception {
        String body = "é".repeat(5000); // two bytes each: a cap of 7 splits the fourth
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain; charset=UTF-8")
                .body(body).chunked(333));
        LoggingRoundTripper rt = LoggingRoundTripper.builder(transport).level(Level.BODY).maxBodyBytes(7)
                .sink(messages::add).build();
        assertThat(send(rt, get("/utf8"))).asString(StandardCharsets.UTF_8).isEqualTo(body);
        assertThat(lines()).containsSubsequence("ééé", "[truncated: first 7 of 10000 bytes shown]",
                "<-- END 200 http://HOST/utf8 (10000-byte body, X ms total; connection X ms (new), write X ms,"
                        + " ttfb X ms, transfer X ms)");
        assertThat(rawOutput()).doesNotContain("\uFFFD");
    }

    @Test
    void theBodyIsNotReadAheadOfTheCaller() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain").body("late")
                .bodyDelay(Duration.ofSeconds(1)));
        long start = System.nanoTime();
        try (Response r = logging(Level.BODY).roundTrip(get("/slow"))) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).as("roundTrip returned at the head, before the body was sent").isLessThan(800);
            assertThat(messages).hasSize(2);
            assertThat(r.bodyString()).isEqualTo("late");
        }
        assertThat(lines()).containsSubsequence("late", "<-- END 200 http://HOST/slow (4-byte body, X ms total;"
                + " connection X ms (new), write X ms, ttfb X ms, transfer X ms)");
    }

    @Test
    void closingEarlyClosesTheOriginalAndLogsWhatWasRead() throws Exception {
        String body = text(1000);
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain").body(body));
        try (Response r = logging(Level.BODY).roundTrip(get("/early"))) {
            assertThat(r.body().readNBytes(10)).asString().isEqualTo(body.substring(0, 10));
        }
        assertThat(lines()).endsWith(body.substring(0, 10), "<-- END 200 http://HOST/early (closed after 10 of 1000"
                + " bytes, X ms total; connection X ms (new), write X ms, ttfb X ms, transfer X ms)");
        assertThat(idle()).as("the close drained the original and returned its connection").isEqualTo(1);
        send(logging(Level.NONE), get("/next"));
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void readingToTheEndWithoutCloseReturnsTheConnectionAndLogsTheEnd() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain").body("fixed"));
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain").body("chunked").chunked(2));
        LoggingRoundTripper rt = logging(Level.BASIC);
        for (String path : new String[] {"/fixed", "/chunked"}) {
            Response r = rt.roundTrip(get(path));
            assertThat(r.body().readAllBytes()).isNotEmpty(); // no close
            assertThat(idle()).as("idle after the end of %s, before any close", path).isEqualTo(1);
        }
        assertThat(lines()).filteredOn(l -> l.startsWith("<-- END")).containsExactly(
                "<-- END 200 http://HOST/fixed (5-byte body, X ms total; connection X ms (new), write X ms, ttfb X ms,"
                        + " transfer X ms)",
                "<-- END 200 http://HOST/chunked (7-byte body, X ms total; connection X ms (reused), write X ms,"
                        + " ttfb X ms, transfer X ms)");
        assertThat(server.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void readingExactlyTheContentLengthEndsTheBodyWithoutWaitingForEndOfStream() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain").body("12345"));
        Response r = logging(Level.BASIC).roundTrip(get("/n"));
        byte[] buf = new byte[5];
        for (int off = 0, n; off < 5; off += n) { // never asks for more than is left (readNBytes asks for 0 more)
            n = r.body().read(buf, off, 5 - off);
            assertThat(n).as("bytes before the end").isPositive();
        }
        assertThat(buf).asString().isEqualTo("12345");
        assertThat(idle()).isEqualTo(1);
        assertThat(lines()).last().asString().startsWith("<-- END 200 http://HOST/n (5-byte body, X ms total;");
        r.close();
        assertThat(messages).as("the close after the end logs nothing more").hasSize(3);
    }

    @Test
    void theEndIsLoggedOnceAndTimingsAreComplete() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain").body("abc"));
        Response r = logging(Level.BASIC).roundTrip(get("/t"));
        assertThat(r.bodyString()).isEqualTo("abc");
        r.close();
        r.close();
        assertThatThrownBy(() -> r.body().read()).as("core's closed body").isInstanceOf(IOException.class);
        assertThat(messages).as("nothing more after the end, not even the failed read").hasSize(3);
        assertThat(r.timings().bodyComplete()).isTrue();
        assertThat(r.timings().fromNetwork()).isTrue();
    }
}
