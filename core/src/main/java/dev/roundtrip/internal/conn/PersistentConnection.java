package dev.roundtrip.internal.conn;

import dev.roundtrip.error.ConnectionClosedException;
import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.RequestCanceledException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.internal.util.Scheduler;
import dev.roundtrip.internal.wire.BodyWriter;
import dev.roundtrip.internal.wire.HeadBuffer;
import dev.roundtrip.internal.wire.RequestHeadWriter;
import dev.roundtrip.internal.wire.ResponseHead;
import dev.roundtrip.internal.wire.ResponseHeadReader;
import dev.roundtrip.internal.wire.WireInput;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PersistentConnection is one HTTP/1.1 connection: a socket channel used in blocking mode, its
 * read buffer (kept across exchanges) and its head buffer.
 *
 * <p>An exchange, all on the caller's thread:
 * <ol>
 *   <li>{@link #writeRequest}: the head (and a body that fits the write buffer) in one write, then
 *       a streamed body under a write watchdog; with {@code Expect: 100-continue}, the head alone,
 *       then the body once the server answers 100 or the expect-continue timeout passes;</li>
 *   <li>{@link #readResponseHead}: the status line and headers, skipping 1xx, under the response
 *       header timeout;</li>
 *   <li>the body is read through a {@link ResponseBodyStream}, each read under the read timeout.</li>
 * </ol>
 * Failures record what the retry rule needs ({@link #wroteNothing()},
 * {@link #failedBeforeResponse()}) and are mapped to typed exceptions. {@link #abort} (cancel, a
 * watchdog) closes the channel so that a blocked read or write returns at once.
 */
public final class PersistentConnection {
    /** Why a connection was aborted from another thread. */
    public enum Abort { NONE, CANCELED, WRITE_TIMEOUT, READ_TIMEOUT }

    private final SocketChannel channel;
    private final Socket socket;
    private final InputStream socketIn;
    private final OutputStream socketOut;
    private final WireInput in;
    private final HeadBuffer head;
    private final ConnSettings settings;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final IdleCheck idleCheck;
    private volatile Abort abort = Abort.NONE;
    private volatile boolean watchdogHitDeadline;
    /** The read deadline the watchdog enforces (reads themselves are untimed). */
    private final ReadDeadline readDeadline;
    private volatile TimeoutPhase firedPhase;
    private volatile Object owner;
    private byte[] scratch;
    // State of the current exchange, owned by the thread running it.
    private long wroteBytes;
    private boolean failedBeforeResponse;
    /** Whether the exchange failed because the request body's own stream failed. */
    private boolean bodySourceFailed;
    /** A body write failure held back in case the server already answered (Go #3595). */
    private IOException pendingWriteError;
    /** A final response that arrived while the body waited for 100 Continue: the body was not sent. */
    private ResponseHead earlyHead;
    private boolean firstByteSeen;
    /** What a {@code got1xxResponse} hook threw to abort the exchange; passed on as it is. */
    private IOException hookAbort;
    private long wroteNanos;
    private long responseNanos;
    /** What is left of the head byte budget for this exchange's informational and final heads. */
    private int headBudget;
    /** How the dial of this connection went; handed to the first exchange only. */
    private DialTimes dialTimes = DialTimes.NONE;

    private PersistentConnection(SocketChannel channel, Socket io, ConnSettings settings) throws IOException {
        this.channel = channel;
        this.socket = io;
        this.readDeadline = new ReadDeadline(settings.watchdog());
        this.socketIn = readDeadline.watch(socket.getInputStream());
        this.socketOut = socket.getOutputStream();
        this.settings = settings;
        this.in = new WireInput(socketIn, settings.readBufferSize());
        this.idleCheck = new IdleCheck(channel, in);
        this.head = new HeadBuffer(512);
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        io.setSoTimeout(0); // reads are untimed; ReadWatchdog enforces deadlines
        settings.watchdog().register(this);
    }

    /** Wraps a connected plain channel. */
    public static PersistentConnection of(SocketChannel channel, ConnSettings settings) throws IOException {
        return new PersistentConnection(channel, channel.socket(), settings);
    }

    /**
     * Wraps a connection whose HTTP goes over {@code io} (a TLS socket layered on {@code channel},
     * or the channel's own socket). With TLS, any bytes seen on an idle connection by
     * {@link #idleCheck()} (a close_notify, a late session ticket) make it unusable: they were taken
     * from under the TLS layer.
     */
    public static PersistentConnection of(SocketChannel channel, Socket io, ConnSettings settings) throws IOException {
        return new PersistentConnection(channel, io, settings);
    }

    /** Returns the local address; its port identifies the connection. */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** Returns the address of the first hop. */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Returns the pool's handle for this connection. */
    public Object owner() {
        return owner;
    }

    /** Sets the pool's handle for this connection. */
    public void owner(Object o) {
        owner = o;
    }

    ConnSettings settings() {
        return settings;
    }

    /** Returns the connection's reader (for building the response body's framing). */
    public WireInput input() {
        return in;
    }

    /** Records how the dial of this connection went (before its first exchange). */
    public void dialTimes(DialTimes t) {
        dialTimes = t;
    }

    /** Returns the dial's times once, to the first exchange; afterwards {@link DialTimes#NONE}. */
    public DialTimes takeDialTimes() {
        DialTimes t = dialTimes;
        dialTimes = DialTimes.NONE;
        return t;
    }

    /** Returns when the last exchange finished writing its request ({@link System#nanoTime()}). */
    public long wroteNanos() {
        return wroteNanos;
    }

    /**
     * Returns when the response of the last exchange arrived, after its request was written: the
     * first head read once the write ended, or a final answer that came before 100 Continue.
     */
    public long responseNanos() {
        return responseNanos;
    }

    /** Returns true if the last exchange failed before any of its bytes reached the socket. */
    public boolean wroteNothing() {
        return wroteBytes == 0;
    }

    /** Returns true if the last exchange failed because reading its request body failed: never retried. */
    public boolean bodySourceFailed() {
        return bodySourceFailed;
    }

    /** Returns true if the last exchange failed before any byte of a response arrived. */
    public boolean failedBeforeResponse() {
        return failedBeforeResponse;
    }

    /**
     * Checks, without waiting, whether this idle connection can be used ({@link IdleCheck});
     * the socket is asked only after {@link IdleCheck#AFTER_NANOS} of idleness.
     *
     * @param idleNanos how long the connection was idle
     * @return null when alive, else why it must be closed
     */
    public String idleCheck(long idleNanos) {
        return idleCheck.check(idleNanos);
    }

    /** Like {@link #idleCheck(long)}, always asking the socket. */
    public String idleCheck() {
        return idleCheck.check();
    }

    /** Aborts the exchange in progress from another thread: marks why, then closes the channel. */
    public void abort(Abort reason) {
        if (abort == Abort.NONE) {
            abort = reason;
        }
        close();
    }

    /** Closes the connection; idempotent and safe from any thread. */
    public void close() {
        settings.watchdog().unregister(this);
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do with a socket we are discarding
        }
    }

    /** Returns true once closed. */
    public boolean isClosed() {
        return !channel.isOpen();
    }

    /**
     * Writes the request: head and small body in one write, then any streamed body.
     *
     * @param deadlineNanos the overall deadline ({@link System#nanoTime()} units), or
     *                      {@link Long#MAX_VALUE} for none
     */
    public void writeRequest(OutgoingRequest r, long deadlineNanos, ClientTrace trace) throws IOException {
        wroteBytes = 0;
        failedBeforeResponse = true;
        bodySourceFailed = false;
        pendingWriteError = null;
        earlyHead = null;
        firstByteSeen = false;
        headBudget = settings.maxHeaderBytes();
        hookAbort = null;
        long bodyLength = r.bodyLength();
        byte[] inline = r.inlineBody();
        InputStream bodyStream = null;
        int first = -1;
        try {
            if (bodyLength == RequestHeadWriter.CHUNKED && inline == null
                    && RequestHeadWriter.usuallyBodyless(r.method())) {
                // Go's probe (without its 200 ms timer): an empty body is sent as no body.
                bodyStream = new RequestBodySource(r.body().open());
                first = bodyStream.read();
                if (first < 0) {
                    bodyLength = RequestHeadWriter.NO_BODY;
                }
            }
            head.reset();
            RequestHeadWriter.write(head, r.method(), r.target(), r.host(), r.userAgent(), r.headers(),
                    r.headerCount(), r.close(), bodyLength, r.extra(), TracedHead.of(trace));
            boolean bodyPending = bodyLength != RequestHeadWriter.NO_BODY && bodyLength != 0;
            boolean expect = bodyPending && r.expectContinue();
            if (bodyPending && !expect && inline != null && head.size() + inline.length <= settings.writeBufferSize()) {
                head.bytes(inline, 0, inline.length);
                bodyPending = false;
            }
            remainingOrThrow(deadlineNanos, TimeoutPhase.WRITE);
            socketOut.write(head.array(), 0, head.size());
            wroteBytes += head.size();
            if (expect && settings.expectContinueNanos() > 0) {
                if (trace != null) trace.wait100Continue();
                bodyPending = awaitContinue(deadlineNanos, trace);
            }
            if (bodyPending) {
                try {
                    writeBody(r, inline, bodyStream, first, bodyLength, deadlineNanos);
                } catch (IOException e) {
                    if (!serverMayHaveAnswered(e)) {
                        throw e;
                    }
                    // The server may have answered and closed before taking the whole body
                    // (e.g. 413): read that answer first, report the write error only if none.
                    pendingWriteError = new ConnectionClosedException(
                            "connection failed while writing the request body: " + e.getMessage(), e);
                    wroteNanos = System.nanoTime();
                    if (trace != null) trace.wroteRequest(pendingWriteError);
                    return;
                }
            }
            wroteNanos = System.nanoTime();
            if (trace != null) trace.wroteRequest(null);
        } catch (IOException e) {
            IOException mapped = mapFailure(e, TimeoutPhase.WRITE);
            if (trace != null) trace.wroteRequest(mapped);
            throw mapped;
        } finally {
            if (bodyStream != null) {
                closeQuietly(bodyStream);
            }
        }
    }

    /**
     * Waits for the server's answer to {@code Expect: 100-continue} (RFC 9110 §10.1.1), at most
     * the expect-continue timeout: a 100 (or silence until the timeout) means send the body; a
     * final response means the server decided without it: the body is not sent, the response is
     * kept for {@link #readResponseHead}, and the connection is not reused (its request was cut
     * short). Other 1xx responses are reported and the wait goes on.
     *
     * @return true to send the body
     */
    private boolean awaitContinue(long deadlineNanos, ClientTrace trace) throws IOException {
        long until = System.nanoTime() + settings.expectContinueNanos();
        while (true) {
            long left = until - System.nanoTime();
            if (left <= 0 || !responseBytesWithin(left, deadlineNanos)) {
                return true;
            }
            ResponseHead h = readHead(headBudget, deadlineNanos, trace);
            headBudget -= h.headBytes();
            if (h.status() == 100) {
                if (trace != null) {
                    trace.got100Continue();
                    got1xx(trace, h);
                }
                return true;
            }
            if (h.isFinal()) {
                earlyHead = h;
                responseNanos = System.nanoTime();
                return false;
            }
            if (trace != null) got1xx(trace, h);
        }
    }

    private void got1xx(ClientTrace trace, ResponseHead h) throws IOException {
        try {
            trace.got1xxResponse(h.status(), h.fieldMap());
        } catch (IOException e) {
            hookAbort = e;
            throw e;
        }
    }

    /**
     * Returns true once response bytes are buffered, false if none came within {@code nanos}. The
     * wait is a socket read timeout, which leaves the connection usable when it passes.
     */
    private boolean responseBytesWithin(long nanos, long deadlineNanos) throws IOException {
        if (in.buffered() > 0) {
            return true;
        }
        // Only the request's deadline: as in Go, the response header timeout starts once the
        // request, body included, has been written.
        setReadTimeout(0, deadlineNanos, TimeoutPhase.RESPONSE_HEADERS);
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, nanos / 1_000_000)));
        try {
            return in.fill() != 0; // -1: the close is met by the head reader next
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            if (!socket.isClosed()) { // closed by an abort: keep the exception that tells why
                socket.setSoTimeout(0);
            }
            readDeadline.disarm(TimeoutPhase.RESPONSE_HEADERS);
        }
    }

    /** Reads one response head, firing {@code gotFirstResponseByte} for the exchange's first. */
    private ResponseHead readHead(int budget, long deadlineNanos, ClientTrace trace) throws IOException {
        setReadTimeout(settings.responseHeaderTimeoutNanos(), deadlineNanos, TimeoutPhase.RESPONSE_HEADERS);
        ResponseHead h = ResponseHeadReader.read(in, budget, settings.maxHeaderBytes());
        if (h == null) {
            throw new ConnectionClosedException("server closed the connection before sending a response", null);
        }
        failedBeforeResponse = false;
        if (!firstByteSeen) {
            firstByteSeen = true;
            if (trace != null) trace.gotFirstResponseByte();
        }
        return h;
    }

    private boolean serverMayHaveAnswered(IOException e) {
        return abort == Abort.NONE && !(e instanceof HttpProtocolException) && !(e instanceof HttpTimeoutException)
                && !(e instanceof RequestBodySource.Failure)
                && !(e instanceof ClosedByInterruptException) && channel.isOpen() && wroteBytes > 0;
    }

    /**
     * Returns true when the request body was not written completely (a write failure, or a final
     * response before 100 Continue): the connection must not be reused.
     */
    public boolean bodyWriteFailed() {
        return pendingWriteError != null || earlyHead != null;
    }

    private void writeBody(OutgoingRequest r, byte[] inline, InputStream opened, int first, long length,
                           long deadlineNanos) throws IOException {
        AtomicLong progress = new AtomicLong();
        Scheduler.Task watchdog = armWriteWatchdog(progress, deadlineNanos);
        InputStream body = opened;
        try {
            if (inline != null) {
                socketOut.write(inline, 0, inline.length);
                wroteBytes += inline.length;
            } else {
                if (body == null) {
                    body = new RequestBodySource(r.body().open());
                }
                if (scratch == null) {
                    scratch = new byte[settings.writeBufferSize()];
                }
                BodyWriter.copy(body, first, socketOut, length, scratch, n -> {
                    wroteBytes += n;
                    progress.incrementAndGet();
                });
            }
        } finally {
            if (watchdog != null) {
                watchdog.cancel();
            }
            if (body != null && body != opened) {
                closeQuietly(body);
            }
        }
    }

    /** Aborts the write when no progress was made for the write timeout, or at the deadline. */
    private Scheduler.Task armWriteWatchdog(AtomicLong progress, long deadlineNanos) {
        long timeout = settings.writeTimeoutNanos();
        long untilDeadline = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
        if (timeout <= 0 && untilDeadline == Long.MAX_VALUE) {
            return null;
        }
        long delay = timeout <= 0 ? untilDeadline : Math.min(timeout, untilDeadline);
        long seen = progress.get();
        return settings.scheduler().schedule(delay, () -> {
            if (progress.get() == seen || (deadlineNanos != Long.MAX_VALUE && deadlineNanos - System.nanoTime() <= 0)) {
                watchdogHitDeadline = deadlineNanos != Long.MAX_VALUE && deadlineNanos - System.nanoTime() <= 0;
                abort(Abort.WRITE_TIMEOUT);
            } else {
                armWriteWatchdog(progress, deadlineNanos);
            }
        });
    }

    /**
     * Reads the response head, skipping informational responses other than 101.
     *
     * @return the final head
     */
    public ResponseHead readResponseHead(long deadlineNanos, ClientTrace trace) throws IOException {
        if (earlyHead != null) {
            return earlyHead;
        }
        long before = in.totalRead() - in.buffered();
        try {
            boolean first = true;
            while (true) {
                ResponseHead h = readHead(headBudget, deadlineNanos, trace);
                if (first) {
                    responseNanos = System.nanoTime();
                    first = false;
                }
                headBudget -= h.headBytes();
                if (h.isFinal()) {
                    return h;
                }
                if (trace != null) got1xx(trace, h);
            }
        } catch (IOException e) {
            if (in.totalRead() - in.buffered() > before) {
                failedBeforeResponse = false;
            }
            if (pendingWriteError != null && e != hookAbort && !(e instanceof HttpTimeoutException)) {
                close();
                throw pendingWriteError;
            }
            throw mapFailure(e, TimeoutPhase.RESPONSE_HEADERS);
        }
    }

    /** Arms the deadline of the next body reads: the read timeout, or the request's deadline if sooner. */
    void beforeBodyRead(long deadlineNanos) throws IOException {
        setReadTimeout(settings.readTimeoutNanos(), deadlineNanos, TimeoutPhase.READ_BODY);
    }

    /** Arms the deadline for draining an unread body until {@code untilNanos}. */
    void beforeDrainRead(long untilNanos) throws IOException {
        if (untilNanos - System.nanoTime() <= 0) {
            throw new SocketTimeoutException("drain time is up");
        }
        readDeadline.arm(untilNanos, TimeoutPhase.READ_BODY, false);
    }

    private void setReadTimeout(long phaseNanos, long deadlineNanos, TimeoutPhase phase) throws IOException {
        long left = remainingOrThrow(deadlineNanos, phase);
        long now = System.nanoTime();
        if (left != Long.MAX_VALUE && (phaseNanos <= 0 || left < phaseNanos)) {
            readDeadline.arm(now + left, phase, true);
        } else {
            if (phaseNanos > 0) {
                readDeadline.arm(now + phaseNanos, phase, false);
            } else {
                readDeadline.disarm(phase);
            }
        }
    }

    /** Returns true while a read with a deadline is in progress (for the watchdog). */
    boolean readArmed() {
        return readDeadline.inProgress();
    }

    /**
     * Called by the watchdog: aborts the connection if its read is past its deadline. Returns true
     * while a read is armed (so the watchdog keeps ticking).
     */
    boolean checkReadDeadline(long now) {
        if (readDeadline.expired(now)) {
            firedPhase = readDeadline.phase();
            abort(Abort.READ_TIMEOUT);
        }
        return readDeadline.inProgress();
    }

    private long remainingOrThrow(long deadlineNanos, TimeoutPhase phase) throws HttpTimeoutException {
        if (deadlineNanos == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            close();
            throw new HttpTimeoutException("request deadline exceeded while " + phase.description(), phase, true);
        }
        return left;
    }

    /** Maps an I/O failure during {@code phase} to the exception the caller should see; closes the connection. */
    IOException mapFailure(IOException e, TimeoutPhase phase) {
        close();
        if (e instanceof RequestBodySource.Failure) {
            bodySourceFailed = true;
            return ((RequestBodySource.Failure) e).original(); // as Go returns a body's read error
        }
        if (e == hookAbort || e instanceof HttpTimeoutException || e instanceof RequestCanceledException
                || e instanceof ConnectionClosedException) {
            return e;
        }
        Abort a = abort;
        if (a == Abort.CANCELED) {
            return new RequestCanceledException("request canceled while " + phase.description(), e);
        }
        if (a == Abort.WRITE_TIMEOUT) {
            boolean deadline = watchdogHitDeadline;
            return new HttpTimeoutException((deadline ? "request deadline exceeded" : "write timeout: no progress for "
                    + settings.writeTimeoutNanos() / 1_000_000 + " ms") + " while " + TimeoutPhase.WRITE.description(),
                    TimeoutPhase.WRITE, deadline);
        }
        if (a == Abort.READ_TIMEOUT) {
            TimeoutPhase p = firedPhase != null ? firedPhase : phase;
            boolean deadline = readDeadline.isRequestDeadline();
            HttpTimeoutException t = new HttpTimeoutException(deadline
                    ? "request deadline exceeded while " + p.description()
                    : "timeout after " + timeoutMillisFor(p) + " ms " + p.description(), p, deadline);
            t.initCause(e);
            return t;
        }
        if (e instanceof ClosedByInterruptException) {
            return new RequestCanceledException("thread interrupted while " + phase.description(), e);
        }
        if (e instanceof SocketTimeoutException) {
            HttpTimeoutException t = new HttpTimeoutException("timeout " + phase.description(), phase, false);
            t.initCause(e);
            return t;
        }
        if (e instanceof HttpProtocolException) {
            return e;
        }
        if (phase == TimeoutPhase.RESPONSE_HEADERS && failedBeforeResponse) {
            return new ConnectionClosedException("connection failed before a response arrived: " + e.getMessage(), e);
        }
        if (phase == TimeoutPhase.WRITE) {
            return new ConnectionClosedException("connection failed while writing the request: " + e.getMessage(), e);
        }
        return e;
    }

    private long timeoutMillisFor(TimeoutPhase p) {
        return (p == TimeoutPhase.RESPONSE_HEADERS ? settings.responseHeaderTimeoutNanos() : settings.readTimeoutNanos())
                / 1_000_000;
    }

    private static void closeQuietly(InputStream s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // the request body's close failing does not change the exchange
        }
    }

    @Override
    public String toString() {
        return "PersistentConnection[" + local + " -> " + remote + "]";
    }
}
