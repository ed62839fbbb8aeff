package dev.roundtrip.soak;

import dev.roundtrip.Client;
import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.error.ConnectionClosedException;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.testserver.HostileServer;
import dev.roundtrip.testserver.Payload;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * SoakCall sends one planned request and checks everything about how it ended: a success must
 * carry the request's id, the CRC-32 of the request body as sent, and exactly the expected body;
 * a failure must be a documented exception type.
 */
final class SoakCall {
    /** The timeout of requests planned {@code withTimeout}. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(4);

    /** Targets are the server and the two ways into the pool, each raw and through a Client. */
    record Targets(URI base, Transport idlePool, Transport handoffPool, Client idleClient, Client handoffClient) {}

    private final Targets targets;

    SoakCall(Targets targets) {
        this.targets = targets;
    }

    Outcome run(RequestPlan p, AttemptLog.Trace trace) {
        String id = p.id();
        byte[] body = p.body() == RequestPlan.Body.NONE ? null : Payload.bytes("q" + id, p.bodySize());
        Request request = request(p, body, trace);
        Response resp;
        long sendStart = System.nanoTime();
        try {
            if (p.viaClient()) {
                resp = (p.handoffPool() ? targets.handoffClient() : targets.idleClient()).send(request);
            } else {
                resp = (p.handoffPool() ? targets.handoffPool() : targets.idlePool()).roundTrip(request);
            }
        } catch (IOException e) {
            return failure(p, e, trace);
        } catch (RuntimeException | Error e) {
            return Outcome.defect(Defect.WRONG_TYPE, "send threw " + describe(e));
        } finally {
            trace.returned(sendStart);
        }
        Outcome o;
        try {
            o = check(p, resp, body, trace);
        } catch (IOException e) {
            o = failure(p, e, trace);
        } catch (RuntimeException | Error e) {
            o = Outcome.defect(Defect.WRONG_TYPE, "reading the response threw " + describe(e));
        }
        long closeStart = System.nanoTime();
        try {
            resp.close();
        } catch (RuntimeException | Error e) {
            o = Outcome.defect(Defect.WRONG_TYPE, "Response.close threw " + describe(e));
        }
        trace.returned(closeStart);
        return o;
    }

    private Request request(RequestPlan p, byte[] body, AttemptLog.Trace trace) {
        Request.Builder b = Request.newBuilder(targets.base().resolve("/soak/" + p.id()))
                .header(HostileServer.REQUEST_ID_HEADER, p.id())
                .header(HostileServer.FAULT_HEADER, p.fault().name())
                .header(HostileServer.BODY_SIZE_HEADER, Integer.toString(p.responseSize()))
                .trace(trace);
        if (body != null) {
            RequestBody rb = switch (p.body()) {
                case REPLAYABLE -> RequestBody.of(body);
                case ONE_SHOT -> RequestBody.ofStream(new ByteArrayInputStream(body), body.length);
                case FAILING -> RequestBody.ofStream(new FailingBody(body), body.length);
                default -> RequestBody.ofStream(new ByteArrayInputStream(body));
            };
            b.POST(rb);
            if (p.idempotencyKey()) {
                b.header("Idempotency-Key", p.id());
            }
            if (p.expectContinue()) {
                b.header("Expect", "100-continue");
            }
        }
        if (p.withTimeout()) {
            b.timeout(REQUEST_TIMEOUT);
        }
        return b.build();
    }

    private Outcome check(RequestPlan p, Response resp, byte[] body, AttemptLog.Trace trace) throws IOException {
        String rid = resp.headers().first(HostileServer.REQUEST_ID_HEADER);
        String unsolicited = resp.headers().first(HostileServer.UNSOLICITED_HEADER);
        if (unsolicited != null) {
            return Outcome.wrong(new Outcome.WrongAnswer(p.index(), parseLong(unsolicited), null, resp.status()));
        }
        if (rid == null) {
            return Outcome.defect(Defect.UNIDENTIFIED_RESPONSE, "status " + resp.status() + " without "
                    + HostileServer.REQUEST_ID_HEADER + ", headers " + resp.headers());
        }
        if (!rid.equals(p.id())) {
            return Outcome.wrong(new Outcome.WrongAnswer(p.index(), -1, rid, resp.status()));
        }
        if (resp.status() != 200) {
            return Outcome.defect(Defect.BAD_STATUS, "status " + resp.status() + ": " + snippet(resp));
        }
        String crc = resp.headers().first(HostileServer.REQUEST_BODY_CRC_HEADER);
        if (crc != null) {
            String sent = crc32(body == null ? new byte[0] : body);
            if (!crc.equals(sent)) {
                return Outcome.defect(Defect.CORRUPT_REQUEST_BODY, "server read a body with CRC-32 " + crc
                        + ", sent " + sent + " (" + (body == null ? 0 : body.length) + " bytes)");
            }
        }
        long expected = p.fault().deliveredBodyBytes(p.responseSize());
        Payload.Check check = new Payload.Check(p.id(), expected);
        InputStream in = resp.body();
        byte[] buf = new byte[8192];
        byte[] first = new byte[80];
        int firstLen = 0;
        long limit = p.abandonAfter() >= 0 ? p.abandonAfter() : Long.MAX_VALUE;
        boolean differs = false;
        while (check.position() < limit || differs) {
            int want = differs ? buf.length : (int) Math.min(buf.length, limit - check.position());
            long readStart = System.nanoTime();
            int n = in.read(buf, 0, want);
            trace.returned(readStart);
            if (n < 0) {
                break;
            }
            if (firstLen < first.length) {
                int k = Math.min(n, first.length - firstLen);
                System.arraycopy(buf, 0, first, firstLen, k);
                firstLen += k;
            }
            // A streaming client cannot know before the end (gzip's CRC-32 comes last): wrong bytes
            // are a defect only if the body then ends as if all were well.
            differs = !check.update(buf, 0, n);
        }
        if (differs) {
            String owner = Payload.ownerOf(first, firstLen);
            return Outcome.defect(Defect.CORRUPT_BODY, "body differs at byte " + check.firstMismatch() + " of "
                    + expected + " and ended without an error after " + check.position() + " bytes"
                    + (owner != null && !owner.equals(p.id()) ? " (it is the body of " + owner + ")" : "")
                    + (resp.uncompressed() ? ", gzip-decoded" : ""));
        }
        if (p.abandonAfter() >= 0 && check.position() >= p.abandonAfter()) {
            return Outcome.ok(); // closed early by the caller
        }
        if (!check.complete()) {
            return Outcome.defect(Defect.CORRUPT_BODY, "body ended after " + check.position() + " of " + expected
                    + " bytes without an error" + (resp.uncompressed() ? ", gzip-decoded" : ""));
        }
        return Outcome.ok();
    }

    private static Outcome failure(RequestPlan p, IOException e, AttemptLog.Trace trace) {
        if (p.body() == RequestPlan.Body.FAILING) {
            return bodyFailure(p, e, trace);
        }
        if (!documented(e)) {
            return Outcome.failed(undocumented(e), Defect.WRONG_TYPE, describe(e));
        }
        if (e instanceof ConnectionClosedException && p.fault().answersInFull() && p.retryable()
                && trace.attempts > 0 && trace.reusedAttempts == trace.attempts && !trace.lastGotHead) {
            return Outcome.failed(typeOf(e), Defect.NOT_RETRIED, trace.attempts + " attempt(s), all on reused"
                    + " connections, none received a response head: " + e.getMessage());
        }
        return Outcome.failed(typeOf(e), null, e.getMessage());
    }

    /**
     * Judges the failure of a request whose body threw: the body's own error (itself or as a cause)
     * is right. A timeout, or a connection error on a fresh connection, while the server behaved
     * and read the body, lost it (the defect: a wait for the response-header timeout, then
     * a ConnectionClosedException). Other errors may have come before the body failed: bytes
     * left on a reused connection, a connection error on one, a fault of the server's.
     */
    private static Outcome bodyFailure(RequestPlan p, IOException e, AttemptLog.Trace trace) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FailingBody.Failure) {
                return Outcome.failed("the body's own error", null, e.getMessage());
            }
        }
        if (!documented(e)) {
            return Outcome.failed(undocumented(e), Defect.WRONG_TYPE, describe(e));
        }
        boolean serverMisbehaved = !p.fault().answersInFull() || p.fault() == dev.roundtrip.testserver.Fault.EARLY_RESPONSE;
        boolean lost = e instanceof HttpTimeoutException
                || (e instanceof ConnectionClosedException && trace.reusedAttempts == 0);
        if (serverMisbehaved || !lost) {
            return Outcome.failed(typeOf(e), null, e.getMessage());
        }
        return Outcome.failed(typeOf(e), Defect.BODY_ERROR_LOST, "the body threw halfway; the request failed with "
                + describe(e));
    }

    /** The README's error table: dev.roundtrip.error types, ConnectException, UnknownHostException. */
    static boolean documented(IOException e) {
        return e.getClass().getPackageName().equals("dev.roundtrip.error") || e instanceof ConnectException
                || e instanceof UnknownHostException;
    }

    static String typeOf(Throwable e) {
        String n = e.getClass().getSimpleName();
        if (e instanceof HttpTimeoutException) {
            n += "(" + ((HttpTimeoutException) e).phase() + ")";
        }
        return n;
    }

    /**
     * The type of an undocumented exception and where it left roundtrip: the first roundtrip
     * frame of its innermost cause, e.g. {@code SocketException from FixedLengthSource.read}.
     */
    static String undocumented(Throwable e) {
        Throwable inner = e;
        while (inner.getCause() != null && inner.getCause() != inner) {
            inner = inner.getCause();
        }
        for (StackTraceElement f : inner.getStackTrace()) {
            if (f.getClassName().startsWith("dev.roundtrip.") && !f.getClassName().startsWith("dev.roundtrip.soak.")) {
                String cls = f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1);
                return typeOf(e) + " from " + cls + "." + f.getMethodName();
            }
        }
        return typeOf(e);
    }

    /** The exception with its causes and the top of its stack, for the report. */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.toString());
        StackTraceElement[] st = e.getStackTrace();
        for (int i = 0; i < Math.min(6, st.length); i++) {
            sb.append("\n        at ").append(st[i]);
        }
        for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) {
            sb.append("\n      caused by ").append(c);
        }
        return sb.toString();
    }

    private static String snippet(Response resp) {
        try {
            byte[] b = resp.body().readNBytes(200);
            return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "(body unreadable: " + e + ")";
        }
    }

    private static String crc32(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return Long.toHexString(c.getValue()).toUpperCase(Locale.ROOT);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
