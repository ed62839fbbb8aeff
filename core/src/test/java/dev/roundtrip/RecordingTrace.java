package dev.roundtrip;

import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.GotConnInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSession;

/**
 * RecordingTrace writes every trace event as one short line, in arrival order, so a test can
 * compare a whole sequence with Go's: {@code "gotConn reused=true idle=true"}, {@code
 * "wroteHeaderField Host"}, {@code "putIdleConn null"}.
 */
final class RecordingTrace implements ClientTrace {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<GotConnInfo> gotConns = new CopyOnWriteArrayList<>();
    final List<Map<String, List<String>>> informational = new CopyOnWriteArrayList<>();

    /** Reads the body of {@code r} to its end, recording "EOF" when the caller sees it. */
    void readToEof(Response r) throws IOException {
        try (java.io.InputStream in = r.body()) {
            in.readAllBytes();
            if (in.read() != -1) {
                throw new AssertionError("a read after the end did not return -1");
            }
            events.add("EOF");
        }
    }

    /** Returns the events of {@code parts} (each an event or a list of events) as one sequence. */
    static List<String> seq(Object... parts) {
        List<String> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof List<?> l) {
                l.forEach(x -> out.add((String) x));
            } else {
                out.add((String) p);
            }
        }
        return out;
    }

    /** Returns the events recorded so far and forgets them. */
    List<String> take() {
        List<String> copy = new ArrayList<>(events);
        events.clear();
        return copy;
    }

    @Override public void getConn(String hostPort) { events.add("getConn " + hostPort); }
    @Override public void gotConn(GotConnInfo info) {
        gotConns.add(info);
        events.add("gotConn reused=" + info.reused() + " idle=" + info.wasIdle());
    }
    @Override public void putIdleConn(Throwable error) {
        events.add("putIdleConn " + (error == null ? "null" : error.getMessage()));
    }
    @Override public void dnsStart(String host) { events.add("dnsStart " + host); }
    @Override public void dnsDone(List<InetAddress> addresses, Throwable error) {
        events.add("dnsDone " + (error != null ? error.getClass().getSimpleName() : addresses.size() + " address(es)"));
    }
    @Override public void connectStart(String network, String address) { events.add("connectStart " + network); }
    @Override public void connectDone(String network, String address, Throwable error) {
        events.add("connectDone " + network + (error == null ? "" : " " + error.getClass().getSimpleName()));
    }
    @Override public void tlsHandshakeStart() { events.add("tlsHandshakeStart"); }
    @Override public void tlsHandshakeDone(SSLSession session, Throwable error) {
        events.add("tlsHandshakeDone " + (session != null ? session.getProtocol() : error.getClass().getSimpleName()));
    }
    @Override public void wroteHeaderField(String name, List<String> values) { events.add("wroteHeaderField " + name); }
    @Override public void wroteHeaders() { events.add("wroteHeaders"); }
    @Override public void wait100Continue() { events.add("wait100Continue"); }
    @Override public void wroteRequest(Throwable error) {
        events.add("wroteRequest " + (error == null ? "null" : error.getClass().getSimpleName()));
    }
    @Override public void gotFirstResponseByte() { events.add("gotFirstResponseByte"); }
    @Override public void got100Continue() { events.add("got100Continue"); }
    @Override public void got1xxResponse(int code, Map<String, List<String>> fields) throws IOException {
        informational.add(fields);
        events.add("got1xxResponse " + code);
    }
}
