package dev.roundtrip.internal.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.roundtrip.internal.exchange.Deadline;
import dev.roundtrip.internal.exchange.Exchange;
import dev.roundtrip.internal.exchange.ExchangeFailure;
import dev.roundtrip.internal.exchange.ExchangeResponse;
import dev.roundtrip.internal.exchange.ExchangeState;
import dev.roundtrip.internal.exchange.PreparedRequest;
import dev.roundtrip.internal.exchange.ReleaseListener;
import dev.roundtrip.internal.exchange.RetryVerdict;
import dev.roundtrip.internal.util.CloseCause;
import dev.roundtrip.internal.wire.RequestHeadWriter;
import dev.roundtrip.trace.ClientTrace;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One HTTP/1.1 exchange driven directly over a loopback socket whose server end the test writes
 * by hand: the states the exchange goes through, as seen from its trace hooks, how it releases
 * its connection, and what a failure leaves behind.
 */
class Http1ExchangeTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final PreparedRequest GET = new PreparedRequest("GET", "/x", "h.test", null, new String[0], 0,
            false, RequestHeadWriter.NO_BODY, null, null, null, false);

    private LoopbackPair pair;
    private final AtomicReference<Exchange> current = new AtomicReference<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<String> released = new CopyOnWriteArrayList<>();

    /** Records each hook with the state the exchange was in when it fired. */
    private final ClientTrace trace = new ClientTrace() {
        private void at(String hook) {
            events.add(hook + "@" + current.get().state());
        }

        @Override public void wroteHeaders() { at("wroteHeaders"); }
        @Override public void wait100Continue() { at("wait100Continue"); }
        @Override public void got100Continue() { at("got100Continue"); }
        @Override public void got1xxResponse(int code, Map<String, List<String>> fields) { at("got1xx " + code); }
        @Override public void wroteRequest(Throwable error) { at("wroteRequest " + (error == null ? "ok" : "failed")); }
        @Override public void gotFirstResponseByte() { at("gotFirstResponseByte"); }
    };

    private final ReleaseListener listener = (reusable, reason, hint) -> released.add(reusable + " " + reason + " " + hint);

    private Exchange start(LoopbackPair p) {
        pair = p;
        Exchange x = p.conn.newExchange(Deadline.NONE, trace, listener);
        current.set(x);
        return x;
    }

    @AfterEach
    void close() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void aGetGoesThroughTheStatesInOrderAndReleasesAtTheEndOfTheBody() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0));
        assertThat(x.state()).isEqualTo(ExchangeState.WRITING_HEAD);
        pair.serverWrites("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nKeep-Alive: timeout=5\r\n\r\nok");
        ExchangeResponse r = x.roundTrip(GET);
        assertThat(events).containsExactly("wroteHeaders@WRITING_HEAD", "wroteRequest ok@WRITING_HEAD",
                "gotFirstResponseByte@READING_HEAD");
        assertThat(x.state()).isEqualTo(ExchangeState.READING_BODY);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.hasBody()).isTrue();
        assertThat(r.responseNanos()).isGreaterThanOrEqualTo(r.wroteNanos());
        assertThat(pair.serverReads(10)).startsWith("GET /x HTTP/1.1\r\nHost: h.test\r\n");
        assertThat(released).isEmpty();
        assertThat(r.body().finishIfComplete()).as("two bytes still to read").isFalse();
        assertThat(pair.conn.remoteAddress().getPort()).isEqualTo(pair.server.socket().getLocalPort());
        assertThat(new String(r.body().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("ok");
        assertThat(x.state()).isEqualTo(ExchangeState.DONE);
        assertThat(released).containsExactly("true null " + 4 * TimeUnit.SECONDS.toNanos(1));
        assertThat(pair.conn.isClosed()).isFalse();
    }

    @Test
    void theHundredContinueWaitHasItsOwnState() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0, TimeUnit.SECONDS.toNanos(5)));
        pair.serverWrites("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        PreparedRequest post = new PreparedRequest("POST", "/up", "h.test", null, new String[0], 0, false, 3,
                "abc".getBytes(StandardCharsets.US_ASCII), null, null, true);
        ExchangeResponse r = x.roundTrip(post);
        assertThat(events).containsExactly("wroteHeaders@WRITING_HEAD", "wait100Continue@AWAITING_CONTINUE",
                "gotFirstResponseByte@AWAITING_CONTINUE", "got100Continue@AWAITING_CONTINUE",
                "got1xx 100@AWAITING_CONTINUE", "wroteRequest ok@WRITING_BODY");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.body().finishIfComplete()).as("no body: released at once").isTrue();
        assertThat(x.state()).isEqualTo(ExchangeState.DONE);
        assertThat(pair.serverReads(60)).endsWith("\r\n\r\nabc");
    }

    @Test
    void aFinalAnswerBeforeTheHundredSkipsTheBodyAndTheConnection() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0, TimeUnit.SECONDS.toNanos(5)));
        pair.serverWrites("HTTP/1.1 413 Too Large\r\nContent-Length: 0\r\n\r\n");
        PreparedRequest post = new PreparedRequest("POST", "/up", "h.test", null, new String[0], 0, false, 3,
                "abc".getBytes(StandardCharsets.US_ASCII), null, null, true);
        ExchangeResponse r = x.roundTrip(post);
        assertThat(r.status()).isEqualTo(413);
        assertThat(events).contains("wroteRequest ok@AWAITING_CONTINUE");
        assertThat(r.body().finishIfComplete()).isTrue();
        assertThat(released).containsExactly("false " + CloseCause.NOT_REUSABLE + " -1");
        assertThat(pair.conn.isClosed()).isTrue();
        assertThat(pair.serverReads(1)).doesNotContain("abc");
    }

    @Test
    void informationalResponsesAreReportedAndSkipped() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0));
        pair.serverWrites("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
        ExchangeResponse r = x.roundTrip(GET);
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.hasBody()).isFalse();
        assertThat(events).containsSubsequence("gotFirstResponseByte@READING_HEAD", "got1xx 103@READING_HEAD");
    }

    @Test
    void aServerThatClosesFailsTheExchangeWithNothingReceived() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0));
        pair.server.shutdownOutput();
        ExchangeFailure f = catchThrowableOfType(() -> x.roundTrip(GET), ExchangeFailure.class);
        assertThat(f.verdict()).isEqualTo(RetryVerdict.NOTHING_RECEIVED);
        assertThat(f.error()).hasMessageContaining("before sending a response");
        assertThat(x.state()).isEqualTo(ExchangeState.FAILED);
        assertThat(pair.conn.isClosed()).isTrue();
        assertThat(released).as("a failed exchange is discarded by its caller, not released").isEmpty();
    }

    @Test
    void aResponseThatSaysCloseIsNotReused() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0));
        pair.serverWrites("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nz");
        ExchangeResponse r = x.roundTrip(GET);
        assertThat(r.body().readAllBytes()).hasSize(1);
        assertThat(released).containsExactly("false " + CloseCause.NOT_REUSABLE + " -1");
        assertThat(pair.conn.isClosed()).isTrue();
    }

    @Test
    void aCancelAfterTheEndLeavesTheConnectionAlone() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0));
        pair.serverWrites("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(x.roundTrip(GET).body().finishIfComplete()).isTrue();
        x.cancel();
        assertThat(pair.conn.isClosed()).isFalse();
        assertThat(pair.conn.abortCause()).isNull();
    }

    @Test
    void aCancelWhileReadingTheBodyEndsTheExchangeNotReusable() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 1 << 20, TimeUnit.SECONDS.toNanos(1)));
        pair.serverWrites("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        ExchangeResponse r = x.roundTrip(GET);
        x.cancel();
        assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(dev.roundtrip.error.RequestCanceledException.class);
        assertThat(x.state()).isEqualTo(ExchangeState.FAILED);
        assertThat(released).containsExactly("false " + CloseCause.BODY_READ_FAILED + " -1");
    }

    @Test
    void aConnectionCarriesOneExchangeAtATime() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0));
        assertThatThrownBy(() -> pair.conn.newExchange(Deadline.NONE, null, listener))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("one exchange at a time");
        pair.serverWrites("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        x.roundTrip(GET).body().finishIfComplete();
        assertThat(pair.conn.newExchange(Deadline.NONE, null, listener).state()).isEqualTo(ExchangeState.WRITING_HEAD);
        assertThat(pair.conn.toString()).startsWith("PersistentConnection[").contains("->");
    }

    @Test
    void anEarlyCloseDrainsASmallRemainderAndKeepsTheConnection() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 9, TimeUnit.SECONDS.toNanos(5)));
        pair.serverWrites("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789");
        ExchangeResponse r = x.roundTrip(GET);
        assertThat(r.body().read()).isEqualTo('0');
        r.body().close(); // exactly the drain limit left
        assertThat(released).containsExactly("true null -1");
    }

    @Test
    void anEarlyCloseWithMoreThanTheDrainLimitLeftClosesTheConnection() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 8, TimeUnit.SECONDS.toNanos(5)));
        pair.serverWrites("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0");
        ExchangeResponse r = x.roundTrip(GET);
        assertThat(r.body().read()).isEqualTo('0');
        r.body().close(); // 9 left, the limit is 8
        assertThat(released).containsExactly("false " + CloseCause.BODY_NOT_FINISHED + " -1");
        assertThat(pair.conn.isClosed()).isTrue();
    }

    @Test
    void aDrainThatDoesNotFinishInTimeClosesTheConnection() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 1 << 20, 100 * MS));
        pair.serverWrites("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01");
        ExchangeResponse r = x.roundTrip(GET);
        assertThat(r.body().read()).isEqualTo('0');
        r.body().close(); // the other 8 bytes never come: the drain gives up at its time
        assertThat(released).containsExactly("false " + CloseCause.BODY_NOT_FINISHED + " -1");
        assertThat(r.body().available()).isZero();
    }

    @Test
    void bytesPendingAfterTheBodyKeepTheConnectionOutOfThePool() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0));
        pair.serverWrites("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 204 No Content\r\n\r\n");
        ExchangeResponse r = x.roundTrip(GET);
        assertThat(r.body().available()).as("the body's buffered bytes, not what follows it").isEqualTo(2);
        assertThat(r.body().readAllBytes()).hasSize(2);
        assertThat(released).containsExactly("false " + CloseCause.UNSOLICITED_BYTES + " -1");
    }

    @Test
    void aChunkedRemainderLongerThanTheDrainLimitClosesTheConnection() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 10, TimeUnit.SECONDS.toNanos(5)));
        pair.serverWrites("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "8\r\n01234567\r\n".repeat(10) + "0\r\n\r\n");
        ExchangeResponse r = x.roundTrip(GET);
        r.body().close(); // length unknown: the drain reads up to the limit, then gives up
        assertThat(released).containsExactly("false " + CloseCause.BODY_NOT_FINISHED + " -1");
    }

    @Test
    void anEarlyCloseOnAConnectionThatCannotBeReusedDoesNotDrain() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 1 << 20, TimeUnit.SECONDS.toNanos(5)));
        pair.serverWrites("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nabcde");
        x.roundTrip(GET).body().close();
        assertThat(released).containsExactly("false " + CloseCause.NOT_REUSABLE + " -1");
    }

    @Test
    void aKeepAliveTimeoutOfZeroLeavesNoIdleTime() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0));
        pair.serverWrites("HTTP/1.1 204 No Content\r\nKeep-Alive: timeout=0\r\n\r\n");
        assertThat(x.roundTrip(GET).body().finishIfComplete()).isTrue();
        assertThat(released).containsExactly("true null 0");
    }

    @Test
    void aProbedBodyWhoseFirstByteIsZeroIsSent() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0));
        pair.serverWrites("HTTP/1.1 204 No Content\r\n\r\n");
        PreparedRequest delete = new PreparedRequest("DELETE", "/d", "h.test", null, new String[0], 0, false,
                RequestHeadWriter.CHUNKED, null, () -> new java.io.ByteArrayInputStream(new byte[] {0, 1, 2}), null, false);
        x.roundTrip(delete).body().finishIfComplete();
        String sent = pair.serverReads(60);
        assertThat(sent).contains("Transfer-Encoding: chunked").endsWith("3\r\n\u0000\u0001\u0002\r\n0\r\n\r\n");
    }

    @Test
    void aSlowButSteadyReaderOfALargeBodyIsNotAWriteTimeout() throws Exception {
        // A write timeout of 1 s: a loaded 2-core machine can hold a thread off the CPU for 150 ms.
        Exchange x = start(new LoopbackPair(0, 0, 1000 * MS, 0, 0));
        byte[] big = new byte[16 << 20]; // beyond what the socket buffers hold
        PreparedRequest put = new PreparedRequest("PUT", "/big", "h.test", null, new String[0], 0, false, big.length,
                null, () -> new java.io.ByteArrayInputStream(big), null, false);
        java.util.concurrent.CompletableFuture<Void> server = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(256 * 1024);
                long read = 0;
                long sincePause = 0;
                long need = big.length + 50; // the head is about 50 bytes
                while (read < need) {
                    b.clear();
                    int n = pair.server.read(b);
                    if (n < 0) {
                        return;
                    }
                    read += n;
                    sincePause += n;
                    if (sincePause >= 1 << 20) {
                        // About 16 pauses of 120 ms: the whole body takes longer than the 1 s write
                        // timeout, but the writer is never stuck for that long.
                        sincePause = 0;
                        Thread.sleep(120);
                    }
                }
                Thread.sleep(1200); // then think longer than it: the body is written, no write timeout applies now
                pair.serverWrites("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ExchangeResponse r = x.roundTrip(put);
        assertThat(r.status()).isEqualTo(201);
        server.get(30, TimeUnit.SECONDS);
        assertThat(pair.conn.abortCause()).isNull();
    }

    @Test
    void aReadTimeoutOfAnEndedExchangeDoesNotReachLaterReads() throws Exception {
        Exchange x = start(new LoopbackPair(0, 40 * MS, 0, 0, 0));
        pair.serverWrites("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nz");
        assertThat(x.roundTrip(GET).body().readAllBytes()).hasSize(1);
        java.util.concurrent.CompletableFuture<Integer> idleRead = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return pair.conn.input().fill(); // as a check between exchanges reads: untimed
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(150);
        pair.serverWrites("n");
        assertThat(idleRead.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(pair.conn.abortCause()).isNull();
    }

    @Test
    void theCallersBodyFailingIsReportedToTheTraceAsTheWrite() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0));
        java.io.IOException boom = new java.io.IOException("boom");
        PreparedRequest put = new PreparedRequest("PUT", "/p", "h.test", null, new String[0], 0, false,
                RequestHeadWriter.CHUNKED, null, () -> new java.io.InputStream() {
                    @Override
                    public int read() throws java.io.IOException {
                        throw boom;
                    }
                }, null, false);
        ExchangeFailure f = catchThrowableOfType(() -> x.roundTrip(put), ExchangeFailure.class);
        assertThat(f.error()).isSameAs(boom);
        assertThat(events).containsExactly("wroteHeaders@WRITING_HEAD", "wroteRequest failed@FAILED");
        assertThat(pair.conn.isClosed()).isTrue();
    }

    @Test
    void aBodyThatThrowsAnUncheckedExceptionFailsTheExchangeAndClosesTheConnection() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0));
        PreparedRequest put = new PreparedRequest("PUT", "/p", "h.test", null, new String[0], 0, false, 5, null,
                () -> {
                    throw new IllegalStateException("a one-shot body sent twice");
                }, null, false);
        assertThatThrownBy(() -> x.roundTrip(put)).isInstanceOf(IllegalStateException.class);
        assertThat(x.state()).isEqualTo(ExchangeState.FAILED);
        assertThat(pair.conn.isClosed()).isTrue();
    }

    @Test
    void aSilentServerGetsTheBodyWhenTheWaitIsOver() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0, 150 * MS));
        PreparedRequest post = new PreparedRequest("POST", "/up", "h.test", null, new String[0], 0, false, 3,
                "abc".getBytes(StandardCharsets.US_ASCII), null, null, true);
        java.util.concurrent.CompletableFuture<ExchangeResponse> sent = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return x.roundTrip(post);
            } catch (ExchangeFailure e) {
                throw new IllegalStateException(e.error());
            }
        });
        assertThat(pair.serverReads(57)).as("the body came after the head (54 bytes), without a 100").endsWith("abc");
        pair.serverWrites("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(sent.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(events).containsExactly("wroteHeaders@WRITING_HEAD", "wait100Continue@AWAITING_CONTINUE",
                "wroteRequest ok@WRITING_BODY", "gotFirstResponseByte@READING_HEAD");
    }

    @Test
    void otherInformationalResponsesDuringTheWaitAreReportedAndTheWaitGoesOn() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0, TimeUnit.SECONDS.toNanos(5)));
        pair.serverWrites("HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        PreparedRequest post = new PreparedRequest("POST", "/up", "h.test", null, new String[0], 0, false, 3,
                "abc".getBytes(StandardCharsets.US_ASCII), null, null, true);
        assertThat(x.roundTrip(post).status()).isEqualTo(200);
        assertThat(events).containsExactly("wroteHeaders@WRITING_HEAD", "wait100Continue@AWAITING_CONTINUE",
                "gotFirstResponseByte@AWAITING_CONTINUE", "got1xx 103@AWAITING_CONTINUE",
                "got100Continue@AWAITING_CONTINUE", "got1xx 100@AWAITING_CONTINUE", "wroteRequest ok@WRITING_BODY");
    }

    @Test
    void theDeadlineStillRunsDuringTheWait() throws Exception {
        pair = new LoopbackPair(0, 0, 0, 0, 0, TimeUnit.SECONDS.toNanos(30));
        Exchange x = pair.conn.newExchange(new Deadline(System.nanoTime() + 100 * MS, "request deadline"), null,
                listener);
        PreparedRequest post = new PreparedRequest("POST", "/up", "h.test", null, new String[0], 0, false, 3,
                "abc".getBytes(StandardCharsets.US_ASCII), null, null, true);
        ExchangeFailure f = catchThrowableOfType(() -> x.roundTrip(post), ExchangeFailure.class);
        assertThat(f.error()).isInstanceOf(dev.roundtrip.error.HttpTimeoutException.class)
                .hasMessageContaining("request deadline exceeded");
        assertThat(pair.serverReads(1)).as("the body was never sent").doesNotContain("abc");
    }

    private static PreparedRequest postWithContinue(String body) {
        return new PreparedRequest("POST", "/up", "h.test", null, new String[0], 0, false, body.length(),
                body.getBytes(StandardCharsets.US_ASCII), null, null, true);
    }

    /** Runs {@code r} on another thread, so that the test can play the server meanwhile. */
    private static java.util.concurrent.CompletableFuture<ExchangeResponse> async(Exchange x, PreparedRequest r) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return x.roundTrip(r);
            } catch (ExchangeFailure e) {
                throw new IllegalStateException(e.error());
            }
        });
    }

    @Test
    void aServerSlowerThanTheContinueWaitIsStillWaitedForAfterTheBody() throws Exception {
        // The 100 ms wait is a socket read timeout: it must not stay on the socket for the answer.
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0, 100 * MS));
        java.util.concurrent.CompletableFuture<ExchangeResponse> sent = async(x, postWithContinue("abc"));
        assertThat(pair.serverReads(57)).as("the body came when the wait was over").endsWith("abc");
        Thread.sleep(600); // the server thinks six times longer than the wait
        pair.serverWrites("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(sent.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(pair.conn.abortCause()).isNull();
    }

    @Test
    void aServerSlowerThanTheContinueWaitIsStillWaitedForAfterItsHundred() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0, 300 * MS));
        pair.serverWrites("HTTP/1.1 100 Continue\r\n\r\n");
        java.util.concurrent.CompletableFuture<ExchangeResponse> sent = async(x, postWithContinue("abc"));
        assertThat(pair.serverReads(57)).as("the body came after the 100").endsWith("abc");
        Thread.sleep(900); // the server thinks three times longer than the wait
        pair.serverWrites("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        assertThat(sent.get(10, TimeUnit.SECONDS).status()).isEqualTo(201);
        assertThat(events).contains("got100Continue@AWAITING_CONTINUE", "wroteRequest ok@WRITING_BODY");
    }

    /** Sends a POST of {@code n} bytes (a byte array, no expectation) on the pair's connection; returns when it was reported written. */
    private String postOf(int n) throws Exception {
        events.clear();
        Exchange x = pair.conn.newExchange(Deadline.NONE, trace, listener);
        current.set(x);
        pair.serverWrites("HTTP/1.1 204 No Content\r\n\r\n");
        PreparedRequest post = new PreparedRequest("POST", "/up", "h.test", null, new String[0], 0, false, n,
                "b".repeat(n).getBytes(StandardCharsets.US_ASCII), null, null, false);
        assertThat(x.roundTrip(post).body().finishIfComplete()).isTrue();
        return events.stream().filter(e -> e.startsWith("wroteRequest")).findFirst().orElseThrow();
    }

    @Test
    void aBodyThatFillsTheWriteBufferExactlyGoesInTheHeadsWrite() throws Exception {
        pair = new LoopbackPair(0, 0, 0, 0, 0); // 1 KiB write buffer
        assertThat(postOf(900)).as("head and body in one write").isEqualTo("wroteRequest ok@WRITING_HEAD");
        int head = pair.serverReads(940).length() - 900; // the head of any 3-digit Content-Length
        assertThat(postOf(1024 - head)).as("exactly the buffer: still one write").isEqualTo("wroteRequest ok@WRITING_HEAD");
        assertThat(postOf(1025 - head)).as("one byte more: the body follows").isEqualTo("wroteRequest ok@WRITING_BODY");
        assertThat(pair.serverReads(1024 + 1025)).endsWith("b".repeat(1025 - head));
        assertThat(released).hasSize(3).allMatch(r -> r.startsWith("true null"));
    }

    @Test
    void aChunkedRemainderOfExactlyTheDrainLimitIsDrainedAndTheConnectionKept() throws Exception {
        String data = "d".repeat(3000); // three times the 1 KiB read buffer: the drain reads the socket
        Exchange x = start(new LoopbackPair(0, 0, 0, data.length(), TimeUnit.SECONDS.toNanos(5)));
        pair.serverWrites("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nbb8\r\n" + data + "\r\n0\r\n\r\n");
        x.roundTrip(GET).body().close(); // 3000 data bytes unread: exactly the limit, and the last chunk
        assertThat(released).containsExactly("true null -1");
        assertThat(pair.conn.isClosed()).isFalse();
    }

    @Test
    void anEarlyCloseDrainsARemainderThatTakesSeveralReads() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 1 << 20, TimeUnit.SECONDS.toNanos(5)));
        pair.serverWrites("HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n" + "e".repeat(3000));
        x.roundTrip(GET).body().close(); // part of the body is buffered, the rest still on the socket
        assertThat(released).containsExactly("true null -1");
    }

    @Test
    void withoutAContinueWaitAnExpectingRequestSendsItsBodyAtOnce() throws Exception {
        Exchange x = start(new LoopbackPair(0, 0, 0, 0, 0, 0)); // expectContinueTimeout 0: no wait (as Go)
        pair.serverWrites("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        assertThat(x.roundTrip(postWithContinue("abc")).status()).isEqualTo(200);
        assertThat(events).containsExactly("wroteHeaders@WRITING_HEAD", "wroteRequest ok@WRITING_BODY",
                "gotFirstResponseByte@READING_HEAD");
        assertThat(pair.serverReads(57)).endsWith("\r\n\r\nabc");
    }
}
