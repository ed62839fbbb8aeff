package dev.roundtrip.internal.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.ConnectionClosedException;
import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.error.TruncatedBodyException;
import dev.roundtrip.internal.exchange.Deadline;
import dev.roundtrip.internal.exchange.ExchangeFailure;
import dev.roundtrip.internal.exchange.ExchangeState;
import dev.roundtrip.internal.exchange.RetryVerdict;
import dev.roundtrip.internal.util.Clock;
import dev.roundtrip.internal.util.Scheduler;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one mapper of exchange failures: what the caller sees (type, phase, message naming the limit
 * that fired, cause kept) and the retry verdict, for each kind of failure, in precedence order.
 * The connection is real (loopback) because an abort is recorded on it.
 */
class ExchangeErrorsTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Deadline TIMEOUT = new Deadline(System.nanoTime() + TimeUnit.HOURS.toNanos(1),
            "request timeout of 500 ms");

    private ServerSocketChannel listener;
    private SocketChannel peer;
    private PersistentConnection conn;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SocketChannel client = SocketChannel.open(listener.getLocalAddress());
        peer = listener.accept();
        Scheduler scheduler = new Scheduler("errors-test", Clock.SYSTEM);
        ConnSettings settings = new ConnSettings(1024, 1024, 1 << 16, 150 * MS, 250 * MS, 350 * MS, 0, 0, 0,
                scheduler, new ReadWatchdog(scheduler), LoopbackPair.BUFFERS, LoopbackPair.BUFFERS);
        conn = PersistentConnection.of(client, client.socket(), false, settings);
    }

    @AfterEach
    void close() throws IOException {
        conn.close();
        peer.close();
        listener.close();
    }

    private ExchangeFailure fail(IOException e, ExchangeState at, long written, boolean received) {
        return ExchangeErrors.failure(e, new ExchangeErrors.Facts(at, TIMEOUT, written, received, null), conn);
    }

    @Test
    void theCallersOwnFailuresPassThroughUnretried() {
        IOException body = new IOException("disk");
        ExchangeFailure f = fail(new ExchangeErrors.CallersBody(body), ExchangeState.WRITING_BODY, 100, false);
        assertThat(f.error()).isSameAs(body);
        assertThat(f.verdict()).isEqualTo(RetryVerdict.NEVER);
        IOException hook = new IOException("hook says no");
        f = fail(new ExchangeErrors.HookAbort(hook), ExchangeState.READING_HEAD, 100, true);
        assertThat(f.error()).isSameAs(hook);
        assertThat(f.verdict()).isEqualTo(RetryVerdict.NEVER);
    }

    @Test
    void aSocketFailureSaysWhatWasWrittenAndReceived() {
        SocketException reset = new SocketException("Connection reset");
        ExchangeFailure f = fail(reset, ExchangeState.WRITING_HEAD, 0, false);
        assertThat(f.verdict()).isEqualTo(RetryVerdict.NOTHING_WRITTEN);
        assertThat(f.error()).isInstanceOf(ConnectionClosedException.class)
                .hasMessage("connection failed before the request was sent: Connection reset").hasCause(reset);
        assertThat(((ConnectionClosedException) f.error()).phase()).isEqualTo(TimeoutPhase.WRITE);

        f = fail(reset, ExchangeState.WRITING_BODY, 10, false);
        assertThat(f.verdict()).isEqualTo(RetryVerdict.NOTHING_RECEIVED);
        assertThat(f.error()).hasMessage("connection failed while writing the request: Connection reset");

        f = fail(reset, ExchangeState.READING_HEAD, 10, false);
        assertThat(f.verdict()).isEqualTo(RetryVerdict.NOTHING_RECEIVED);
        assertThat(f.error()).hasMessage("connection failed before a response arrived: Connection reset");
        assertThat(((ConnectionClosedException) f.error()).phase()).isEqualTo(TimeoutPhase.RESPONSE_HEADERS);

        f = fail(reset, ExchangeState.READING_HEAD, 10, true);
        assertThat(f.verdict()).as("a byte of a response arrived").isEqualTo(RetryVerdict.NEVER);
        assertThat(f.error()).hasMessage("connection failed in the middle of the response head: Connection reset");
    }

    @Test
    void theServerClosingIsToldApartFromAFailure() {
        ExchangeFailure f = fail(new ExchangeErrors.ServerClosed(), ExchangeState.READING_HEAD, 10, false);
        assertThat(f.error()).isInstanceOf(ConnectionClosedException.class)
                .hasMessage("server closed the connection before sending a response").hasNoCause();
        assertThat(f.verdict()).isEqualTo(RetryVerdict.NOTHING_RECEIVED);
        f = fail(new ExchangeErrors.ServerClosed(), ExchangeState.AWAITING_CONTINUE, 10, true);
        assertThat(f.error()).hasMessage("server closed the connection in the middle of the response head");
        assertThat(f.verdict()).isEqualTo(RetryVerdict.NEVER);
    }

    @Test
    void aBodyWriteFailureWithNoAnswerIsTheStory() {
        SocketException broken = new SocketException("Broken pipe");
        ExchangeFailure f = ExchangeErrors.failure(new ExchangeErrors.ServerClosed(),
                new ExchangeErrors.Facts(ExchangeState.READING_HEAD, TIMEOUT, 10, false, broken), conn);
        assertThat(f.error()).isInstanceOf(ConnectionClosedException.class)
                .hasMessage("connection failed while writing the request body: Broken pipe").hasCause(broken);
        assertThat(((ConnectionClosedException) f.error()).phase()).isEqualTo(TimeoutPhase.WRITE);
        assertThat(f.verdict()).isEqualTo(RetryVerdict.NOTHING_RECEIVED);
        f = ExchangeErrors.failure(new HttpProtocolException("malformed status line"),
                new ExchangeErrors.Facts(ExchangeState.READING_HEAD, TIMEOUT, 10, true, broken), conn);
        assertThat(f.error()).as("an answer came: it is what went wrong").hasMessage("malformed status line");
    }

    @Test
    void protocolErrorsAreNeverRetried() {
        HttpProtocolException bad = new HttpProtocolException("malformed status line");
        ExchangeFailure f = fail(bad, ExchangeState.READING_HEAD, 10, true);
        assertThat(f.error()).isSameAs(bad);
        assertThat(f.verdict()).isEqualTo(RetryVerdict.NEVER);
    }

    @Test
    void aCancelNamesThePhase() {
        conn.abort(AbortCause.CANCELED);
        ExchangeFailure f = fail(new SocketException("Socket closed"), ExchangeState.READING_HEAD, 10, false);
        assertThat(f.error()).isInstanceOf(RequestCanceledException.class)
                .hasMessage("request canceled while awaiting response headers");
        assertThat(f.verdict()).isEqualTo(RetryVerdict.NEVER);
        assertThat(ExchangeErrors.bodyFailure(new SocketException("closed"), TIMEOUT, conn))
                .isInstanceOf(RequestCanceledException.class).hasMessage("request canceled while reading the response body");
    }

    @Test
    void theWriteWatchdogNamesTheTimeoutOrTheDeadline() {
        conn.abort(new AbortCause(AbortCause.Kind.WRITE_TIMEOUT, TimeoutPhase.WRITE, false));
        HttpTimeoutException t = (HttpTimeoutException) fail(new SocketException("closed"), ExchangeState.WRITING_BODY,
                10, false).error();
        assertThat(t).hasMessage("writeTimeout of 350 ms without progress exceeded while writing the request");
        assertThat(t.phase()).isEqualTo(TimeoutPhase.WRITE);
        assertThat(t.isDeadline()).isFalse();
        assertThat(t.getCause()).isInstanceOf(SocketException.class);
    }

    @Test
    void theWriteWatchdogAtTheDeadlineNamesTheDeadline() {
        conn.abort(new AbortCause(AbortCause.Kind.WRITE_TIMEOUT, TimeoutPhase.WRITE, true));
        HttpTimeoutException t = (HttpTimeoutException) fail(new SocketException("closed"), ExchangeState.WRITING_BODY,
                10, false).error();
        assertThat(t).hasMessage("request timeout of 500 ms exceeded while writing the request");
        assertThat(t.isDeadline()).isTrue();
    }

    @Test
    void theReadWatchdogNamesThePhaseTimeout() {
        conn.abort(new AbortCause(AbortCause.Kind.READ_TIMEOUT, TimeoutPhase.RESPONSE_HEADERS, false));
        HttpTimeoutException t = (HttpTimeoutException) fail(new SocketException("closed"), ExchangeState.READING_HEAD,
                10, false).error();
        assertThat(t).hasMessage("responseHeaderTimeout of 150 ms exceeded while awaiting response headers");
        assertThat(t.phase()).isEqualTo(TimeoutPhase.RESPONSE_HEADERS);
        HttpTimeoutException body = (HttpTimeoutException) ExchangeErrors.bodyFailure(new SocketException("closed"),
                TIMEOUT, conn);
        assertThat(body).as("the phase the watchdog saw wins").hasMessageContaining("responseHeaderTimeout");
    }

    @Test
    void theReadWatchdogOnTheBodyNamesTheReadTimeout() {
        conn.abort(new AbortCause(AbortCause.Kind.READ_TIMEOUT, TimeoutPhase.READ_BODY, false));
        HttpTimeoutException t = (HttpTimeoutException) ExchangeErrors.bodyFailure(new SocketException("closed"),
                TIMEOUT, conn);
        assertThat(t).hasMessage("readTimeout of 250 ms without data exceeded while reading the response body");
        assertThat(t.phase()).isEqualTo(TimeoutPhase.READ_BODY);
        assertThat(t.isDeadline()).isFalse();
    }

    @Test
    void theReadWatchdogAtTheDeadlineNamesWhatSetIt() {
        conn.abort(new AbortCause(AbortCause.Kind.READ_TIMEOUT, TimeoutPhase.READ_BODY, true));
        HttpTimeoutException t = (HttpTimeoutException) ExchangeErrors.bodyFailure(new SocketException("closed"),
                TIMEOUT, conn);
        assertThat(t).hasMessage("request timeout of 500 ms exceeded while reading the response body");
        assertThat(t.isDeadline()).isTrue();
    }

    @Test
    void anInterruptIsACancel() {
        ExchangeFailure f = fail(new ClosedByInterruptException(), ExchangeState.READING_HEAD, 10, false);
        assertThat(f.error()).isInstanceOf(RequestCanceledException.class)
                .hasMessage("thread interrupted while awaiting response headers");
        assertThat(f.verdict()).isEqualTo(RetryVerdict.NEVER);
    }

    @Test
    void aTimeoutNobodyArmedIsStillATimeout() {
        ExchangeFailure f = fail(new InterruptedIOException("timed out"), ExchangeState.READING_HEAD, 10, false);
        assertThat(f.error()).isInstanceOf(HttpTimeoutException.class).hasMessage("timeout awaiting response headers");
        assertThat(f.verdict()).isEqualTo(RetryVerdict.NEVER);
    }

    @Test
    void alreadyTypedExceptionsPassThrough() {
        HttpTimeoutException t = new HttpTimeoutException("x", TimeoutPhase.WRITE, true);
        assertThat(fail(t, ExchangeState.WRITING_HEAD, 0, false).error()).isSameAs(t);
        RequestCanceledException c = new RequestCanceledException("y");
        assertThat(fail(c, ExchangeState.WRITING_HEAD, 0, false).error()).isSameAs(c);
        TruncatedBodyException cut = new TruncatedBodyException("short");
        assertThat(ExchangeErrors.bodyFailure(cut, TIMEOUT, conn)).isSameAs(cut);
    }

    @Test
    void aBodyReadFailureIsAConnectionFailureWithItsPhase() {
        SocketException reset = new SocketException("Connection reset");
        IOException e = ExchangeErrors.bodyFailure(reset, TIMEOUT, conn);
        assertThat(e).isInstanceOf(ConnectionClosedException.class)
                .hasMessage("connection failed while reading the response body: Connection reset").hasCause(reset);
        assertThat(((ConnectionClosedException) e).phase()).isEqualTo(TimeoutPhase.READ_BODY);
    }

    @Test
    void aPassedDeadlineThrowsNamingIt() throws Exception {
        Deadline passed = new Deadline(System.nanoTime() - 1, "request deadline");
        assertThatThrownBy(() -> ExchangeErrors.remainingOrThrow(passed, TimeoutPhase.WRITE))
                .isInstanceOf(HttpTimeoutException.class).hasMessage("request deadline exceeded while writing the request");
        assertThat(ExchangeErrors.remainingOrThrow(Deadline.NONE, TimeoutPhase.WRITE)).isEqualTo(Long.MAX_VALUE);
        assertThat(ExchangeErrors.remainingOrThrow(TIMEOUT, TimeoutPhase.WRITE)).isPositive();
    }

    @Test
    void aFailureMappedAfterTheHeadIsInTheBodysPhase() {
        ExchangeFailure f = fail(new SocketException("Connection reset"), ExchangeState.READING_BODY, 10, true);
        assertThat(((ConnectionClosedException) f.error()).phase()).isEqualTo(TimeoutPhase.READ_BODY);
        conn.abort(AbortCause.CANCELED);
        assertThat(fail(new SocketException("closed"), ExchangeState.DONE, 10, true).error())
                .hasMessage("request canceled while reading the response body");
    }
}
