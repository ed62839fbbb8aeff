package dev.roundtrip.cli;

import dev.roundtrip.Headers;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.logging.Redactor;
import dev.roundtrip.trace.ClientTrace;
import dev.roundtrip.trace.GotConnInfo;
import dev.roundtrip.trace.ProxyConnectInfo;
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
 *       head; through an HTTP proxy's tunnel, first the {@code CONNECT} request and the proxy's
 *       answer as the Transport reports them ({@code proxyConnectResponse}). What the {@link Redactor} hides is shown as {@code ***}: credential fields
 *       ({@code Authorization}, {@code Cookie}, {@code Set-Cookie}, {@code X-Api-Key},
 *       {@code X-Auth-Token}, ...; an auth scheme is kept: {@code Basic ***}), the fields of
 *       {@code --redact-header} and the query parameters of {@code --redact-query-param}. Every
 *       line has its control characters escaped ({@link Terminal#escapeControls}): a server's
 *       header text must not drive the terminal.</li>
 *   <li>{@code -i}: each response head, as received (CRLF), to the output before the body; with
 *       control characters escaped when the output is a terminal.</li>
 * </ul>
 * Trace hooks may run on a dial thread: printing is synchronized on this object.
 */
final class ExchangeLog implements RoundTripper, ClientTrace {
    private final RoundTripper next;
    private final PrintStream verbose;   // null: no -v
    private final OutputStream include;  // null: no -i
    private final boolean absoluteForm;
    private final Redactor redactor;
    private final boolean escapeInclude;
    /** The request line of the hop being sent, printed before its first header field. Guarded by this. */
    private String pendingRequestLine;
    /** The connection of the last hop. Guarded by this. */
    private GotConnInfo lastConn;
    /** Requests sent (redirect hops included). Guarded by this. */
    private int requests;

    /**
     * Creates a log in front of {@code next} with the default {@link Redactor}; {@code verbose}
     * (or null) receives {@code -v} output, {@code include} (or null) the {@code -i} heads;
     * {@code absoluteForm} when requests go to an HTTP proxy in absolute form.
     */
    ExchangeLog(RoundTripper next, PrintStream verbose, OutputStream include, boolean absoluteForm) {
        this(next, verbose, include, absoluteForm, Redactor.DEFAULTS, false);
    }

    /**
     * Creates a log as above that hides what {@code redactor} says in {@code -v} output, and
     * escapes control characters in the {@code -i} heads when {@code escapeInclude} (the output
     * is a terminal).
     */
    ExchangeLog(RoundTripper next, PrintStream verbose, OutputStream include, boolean absoluteForm,
                Redactor redactor, boolean escapeInclude) {
        this.next = next;
        this.verbose = verbose;
        this.include = include;
        this.absoluteForm = absoluteForm;
        this.redactor = redactor;
        this.escapeInclude = escapeInclude;
    }

    @Override
    public Response roundTrip(Request request) throws IOException {
        synchronized (this) {
            pendingRequestLine = "> " + request.method() + " " + shownTarget(request) + " HTTP/1.1";
            requests++;
        }
        Response r = next.roundTrip(request);
        if (verbose != null) {
            synchronized (this) {
                say("< " + statusLine(r));
                Headers h = r.headers();
                for (int i = 0; i < h.size(); i++) {
                    say("< " + h.name(i) + ": " + shown(h.name(i), h.value(i)));
                }
                say("<");
                verbose.flush();
            }
        }
        if (include != null) {
            StringBuilder head = new StringBuilder(256).append(forInclude(statusLine(r))).append("\r\n");
            Headers h = r.headers();
            for (int i = 0; i < h.size(); i++) {
                head.append(forInclude(h.name(i) + ": " + h.value(i))).append("\r\n");
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

    /** Prints one {@code -v} line, its control characters escaped; the caller holds this object's monitor. */
    private void say(String line) {
        verbose.println(Terminal.escapeControls(line));
    }

    private String forInclude(String line) {
        return escapeInclude ? Terminal.escapeControls(line) : line;
    }

    /**
     * Returns the request target of {@code r} as the Transport writes it (absolute form to an HTTP
     * proxy): the bytes on the wire, for counting; {@code -v} shows {@link #shownTarget} instead.
     */
    static String target(Request r, boolean absoluteForm) {
        String query = r.uri().getRawQuery();
        return target(r, absoluteForm, query == null ? "" : "?" + query);
    }

    /** Returns the request target as {@code -v} shows it: the redacted query parameters as {@code ***}. */
    private String shownTarget(Request r) {
        String shownUrl = redactor.url(r.uri());
        int q = shownUrl.indexOf('?');
        int hash = shownUrl.indexOf('#', Math.max(q, 0));
        String query = r.uri().getRawQuery() == null || q < 0 ? ""
                : shownUrl.substring(q, hash < 0 ? shownUrl.length() : hash);
        return target(r, absoluteForm, query);
    }

    private static String target(Request r, boolean absoluteForm, String query) {
        String path = r.uri().getRawPath();
        String target = (path == null || path.isEmpty() ? "/" : path) + query;
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

    /** Returns {@code value}, or {@code ***} (keeping an auth scheme) for a credential field, by the default redactor. */
    static String redact(String name, String value) {
        return redact(Redactor.DEFAULTS, name, value);
    }

    private String shown(String name, String value) {
        return redact(redactor, name, value);
    }

    private static String redact(Redactor redactor, String name, String value) {
        if (!redactor.redactsHeader(name)) {
            return value;
        }
        int space = value.indexOf(' ');
        boolean scheme = name.toLowerCase(Locale.ROOT).endsWith("authorization") && space > 0;
        return scheme ? value.substring(0, space) + " " + Redactor.REDACTED : Redactor.REDACTED;
    }

    private void info(String line) {
        if (verbose != null) {
            synchronized (this) {
                say("* " + line);
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

    /** Prints an HTTP proxy's CONNECT exchange, as curl does: the request, the answer's head, the outcome. */
    @Override
    public void proxyConnectResponse(ProxyConnectInfo c) {
        if (verbose == null) {
            return;
        }
        synchronized (this) {
            say("* Establish HTTP proxy tunnel to " + c.target());
            say("> CONNECT " + c.target() + " HTTP/1.1");
            c.requestFields().forEach((n, vs) -> vs.forEach(v -> say("> " + n + ": " + shown(n, v))));
            say(">");
            say("< " + c.protocol() + " " + c.status() + (c.reason().isEmpty() ? "" : " " + c.reason()));
            c.responseFields().forEach((n, vs) -> vs.forEach(v -> say("< " + n + ": " + shown(n, v))));
            say("<");
            say("* CONNECT tunnel " + (c.status() / 100 == 2 ? "established" : "failed") + ", response " + c.status());
            verbose.flush();
        }
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
                say(pendingRequestLine);
                pendingRequestLine = null;
            }
            for (String v : values) {
                say("> " + name + ": " + shown(name, v));
            }
        }
    }

    @Override
    public void wroteHeaders() {
        if (verbose != null) {
            synchronized (this) {
                say(">");
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
                say("< HTTP/1.1 " + code);
                fields.forEach((n, vs) -> vs.forEach(v -> say("< " + n + ": " + shown(n, v))));
                say("<");
            }
        }
    }

    @Override
    public void putIdleConn(Throwable error) {
        info(error == null ? "Connection left in the pool" : "Connection not pooled: " + error.getMessage());
    }
}
