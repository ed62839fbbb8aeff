package dev.roundtrip.cli;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.GotConnInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TransferRecord records what {@code get} needs for {@code -w} and {@code --trace}, hop by hop
 * (each request of a redirect chain): when the hop started, its request and response, the
 * connection it used, and the bytes of the heads sent and received. It is a {@link RoundTripper}
 * in front of the Transport and the requests' {@link ClientTrace}.
 *
 * <p>Hops run one at a time; trace events of a hop may come from the Transport's dial thread: every
 * field is guarded by this object's monitor.
 */
final class TransferRecord implements RoundTripper, ClientTrace {
    /** Hop is one request of the transfer. Fields written under the record's monitor. */
    static final class Hop {
        final Request request;
        final long startNanos;
        Response response;
        GotConnInfo connection;
        boolean tls;
        long requestHeadBytes;
        long responseHeadBytes;
        String failedConnect; // the address of a connect attempt that failed, or null

        Hop(Request request, long startNanos) {
            this.request = request;
            this.startNanos = startNanos;
        }
    }

    private final RoundTripper next;
    private final boolean absoluteForm;
    /** The hops, oldest first. Guarded by this. */
    private final List<Hop> hops = new ArrayList<>();

    /** Creates a record in front of {@code next}; {@code absoluteForm} when plain-http requests go to an HTTP proxy. */
    TransferRecord(RoundTripper next, boolean absoluteForm) {
        this.next = next;
        this.absoluteForm = absoluteForm;
    }

    @Override
    public Response roundTrip(Request request) throws IOException {
        Hop hop = new Hop(request, System.nanoTime());
        synchronized (this) {
            hops.add(hop);
            // the request line, as the Transport writes it; the fields follow in wroteHeaderField
            hop.requestHeadBytes = request.method().length() + 1 + ExchangeLog.target(request, absoluteForm).length()
                    + " HTTP/1.1\r\n".length();
        }
        Response r = next.roundTrip(request);
        synchronized (this) {
            hop.response = r;
            hop.responseHeadBytes += headBytes(r.protocol() + " " + r.status() + (r.reason().isEmpty() ? ""
                    : " " + r.reason()), r.headers().toMap());
        }
        return r;
    }

    /** Returns the hops so far, oldest first. */
    synchronized List<Hop> hops() {
        return List.copyOf(hops);
    }

    /** Forgets the hops (before a retry: {@code -w} reports the last attempt). */
    synchronized void clear() {
        hops.clear();
    }

    private synchronized Hop current() {
        return hops.isEmpty() ? null : hops.get(hops.size() - 1);
    }

    private static long headBytes(String startLine, Map<String, List<String>> fields) {
        long n = startLine.length() + 2L;
        for (Map.Entry<String, List<String>> f : fields.entrySet()) {
            for (String v : f.getValue()) {
                n += f.getKey().length() + 2L + v.length() + 2L;
            }
        }
        return n + 2;
    }

    @Override
    public void gotConn(GotConnInfo info) {
        synchronized (this) {
            Hop h = current();
            if (h != null) {
                h.connection = info;
            }
        }
    }

    @Override
    public void connectDone(String network, String address, Throwable error) {
        if (error != null) {
            synchronized (this) {
                Hop h = current();
                if (h != null) {
                    h.failedConnect = address;
                }
            }
        }
    }

    @Override
    public void tlsHandshakeStart() {
        synchronized (this) {
            Hop h = current();
            if (h != null) {
                h.tls = true;
            }
        }
    }

    @Override
    public void wroteHeaderField(String name, List<String> values) {
        synchronized (this) {
            Hop h = current();
            if (h != null) {
                for (String v : values) {
                    h.requestHeadBytes += name.length() + 2L + v.length() + 2L;
                }
            }
        }
    }

    @Override
    public void wroteHeaders() {
        synchronized (this) {
            Hop h = current();
            if (h != null) {
                h.requestHeadBytes += 2;
            }
        }
    }

    @Override
    public void got1xxResponse(int code, Map<String, List<String>> fields) {
        synchronized (this) {
            Hop h = current();
            if (h != null) {
                h.responseHeadBytes += headBytes("HTTP/1.1 " + code, fields);
            }
        }
    }
}
