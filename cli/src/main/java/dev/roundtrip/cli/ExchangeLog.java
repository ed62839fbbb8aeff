package dev.roundtrip.cli;

import dev.roundtrip.Headers;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.GotConnInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSession;

/**
 * ExchangeLog shows what {@code get} sends and receives, hop by hop (redirects included): it is
 * the {@link RoundTripper} between the Client and the Transport, and the Transport's
 * {@link ClientTrace}.
 *
 * <ul>
 *   <li>{@code -v}: on standard error, curl's way: {@code * } connection events, {@code > } the
 *       request head as written (fields from {@code wroteHeaderField}), {@code < } each response
 *       head. Values of {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie} and
 *       {@code Set-Cookie} are shown as {@code ***} (an auth scheme is kept: {@code Basic ***}).</li>
 *   <li>{@code -i}: each response head, as received (CRLF), to the output before the body.</li>
 * </ul>
 * Trace hooks may run on a dial thread: printing is synchronized on this object.
 */
final class ExchangeLog implements RoundTripper, ClientTrace {
    private static final List<String> SECRET_FIELDS =
            List.of("authorization", "proxy-authorization", "cookie", "set-cookie");

    private final RoundTripper next;
    private final PrintStream verbose;   // null: no -v
    private final OutputStream include;  // null: no -i
    private final boolean absoluteForm;
    /** The request line of the hop being sent, printed before its first header field. Guarded by this. */
    private String pendingRequestLine;
    /** The connection of the last hop. Guarded by this. */
    private GotConnInfo lastConn;
    /** Requests sent (redirect hops included). Guarded by this. */
    private int requests;

    /**
     * Creates a log in front of {@code next}; {@code verbose} (or null) receives {@code -v} output,
     * {@code include} (or null) the {@code -i} heads; {@code absoluteForm} when requests go to an
     * HTTP proxy in absolute form.
     */
    ExchangeLog(RoundTripper next, PrintStream verbose, OutputStream include, boolean absoluteForm) {
        this.next = next;
        this.verbose = verbose;
        this.include = include;
        this.absoluteForm = absoluteForm;
    }

    @Override
    public Response roundTrip(Request request) throws IOException {
        synchronized (this) {
            pendingRequestLine = "> " + request.method() + " " + target(request, absoluteForm) + " HTTP/1.1";
            requests++;
        }
        Response r = next.roundTrip(request);
        if (verbose != null) {
            synchronized (this) {
                verbose.println("< " + statusLine(r));
                Headers h = r.headers();
                for (int i = 0; i < h.size(); i++) {
                    verbose.println("< " + h.name(i) + ": " + redact(h.name(i), h.value(i)));
                }
                verbose.println("<");
                verbose.flush();
            }
        }
        if (include != null) {
            StringBuilder head = new StringBuilder(256).append(statusLine(r)).append("\r\n");
            Headers h = r.headers();
            for (int i = 0; i < h.size(); i++) {
                head.append(h.name(i)).append(": ").append(h.value(i)).append("\r\n");
            }
            head.append("\r\n");
            try {
                include.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                r.close();
                throw new CliException(ExitCodes.WRITE_ERROR, "cannot write the output: " + e.getMessage(), e);
            } catch (RuntimeException e) { // Output reports a failed write as a CliException
                r.close();
                throw e;
            }
        }
        return r;
    }

    /** Returns how many requests were sent, redirect hops included. */
    synchronized int requests() {
        return requests;
    }

    /** Returns the connection of the last hop, or null when none was obtained. */
    synchronized GotConnInfo lastConnection() {
        return lastConn;
    }

    /** Returns the request target of {@code r} as the Transport writes it (absolute form to an HTTP proxy). */
    static String target(Request r, boolean absoluteForm) {
        String path = r.uri().getRawPath();
        String query = r.uri().getRawQuery();
        String target = (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
        if (absoluteForm && r.uri().getScheme().equalsIgnoreCase("http")) {
            // as the Transport writes it: scheme://host[:port] and the target, never the user info
            String authority = r.uri().getRawAuthority();
            return "http://" + authority.substring(authority.lastIndexOf('@') + 1) + target;
        }
        return target;
    }

    private static String statusLine(Response r) {
        return r.protocol() + " " + r.status() + (r.reason().isEmpty() ? "" : " " + r.reason());
    }

    /** Returns {@code value}, or {@code ***} (keeping an auth scheme) for a credential field. */
    static String redact(String name, String value) {
        if (!SECRET_FIELDS.contains(name.toLowerCase(Locale.ROOT))) {
            return value;
        }
        int space = value.indexOf(' ');
        boolean scheme = name.toLowerCase(Locale.ROOT).endsWith("authorization") && space > 0;
        return scheme ? value.substring(0, space) + " ***" : "***";
    }

    private void info(String line) {
        if (verbose != null) {
            synchronized (this) {
                verbose.println("* " + line);
            }
        }
    }

    @Override
    public void dnsStart(String host) {
        info("Resolving " + host);
    }

    @Override
    public void dnsDone(List<InetAddress> addresses, Throwable error) {
        if (error != null) {
            info("Could not resolve: " + error.getMessage());
        } else {
            StringBuilder s = new StringBuilder();
            for (InetAddress a : addresses) {
                s.append(s.length() == 0 ? "" : ", ").append(a.getHostAddress());
            }
            info("Resolved to " + s);
        }
    }

    @Override
    public void connectStart(String network, String address) {
        info("  Trying " + address + "...");
    }

    @Override
    public void connectDone(String network, String address, Throwable error) {
        info(error == null ? "Connected to " + address : "Connect to " + address + " failed: " + error.getMessage());
    }

    @Override
    public void tlsHandshakeStart() {
        info("TLS handshake");
    }

    @Override
    public void tlsHandshakeDone(SSLSession session, Throwable error) {
        if (error != null) {
            info("TLS handshake failed: " + error.getMessage());
            return;
        }
        info("TLS: " + session.getProtocol() + " / " + session.getCipherSuite());
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate) {
                X509Certificate c = (X509Certificate) chain[0];
                info("Server certificate: subject " + c.getSubjectX500Principal().getName() + "; issuer "
                        + c.getIssuerX500Principal().getName() + "; expires " + c.getNotAfter().toInstant());
            }
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            info("Server certificate: none");
        }
    }

    @Override
    public void gotConn(GotConnInfo i) {
        synchronized (this) {
            lastConn = i;
        }
        String how = !i.reused() ? "new connection"
                : i.wasIdle() ? "re-using idle connection (idle " + Durations.millis(i.idleTime()) + ")"
                : "re-using connection";
        info("Using " + how + " " + address(i.localAddress()) + " -> " + address(i.remoteAddress()));
    }

    private static String address(java.net.InetSocketAddress a) {
        return a == null ? "?" : a.getAddress() == null ? a.getHostString() + ":" + a.getPort()
                : a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Override
    public void wroteHeaderField(String name, List<String> values) {
        if (verbose == null) {
            return;
        }
        synchronized (this) {
            if (pendingRequestLine != null) {
                verbose.println(pendingRequestLine);
                pendingRequestLine = null;
            }
            for (String v : values) {
                verbose.println("> " + name + ": " + redact(name, v));
            }
        }
    }

    @Override
    public void wroteHeaders() {
        if (verbose != null) {
            synchronized (this) {
                verbose.println(">");
            }
        }
    }

    @Override
    public void wroteRequest(Throwable error) {
        if (error != null) {
            info("Writing the request failed: " + error.getMessage());
        }
    }

    @Override
    public void got1xxResponse(int code, Map<String, List<String>> fields) {
        if (verbose != null) {
            synchronized (this) {
                verbose.println("< HTTP/1.1 " + code);
                fields.forEach((n, vs) -> vs.forEach(v -> verbose.println("< " + n + ": " + redact(n, v))));
                verbose.println("<");
            }
        }
    }

    @Override
    public void putIdleConn(Throwable error) {
        info(error == null ? "Connection left in the pool" : "Connection not pooled: " + error.getMessage());
    }
}
