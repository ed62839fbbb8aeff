package dev.roundtrip.cli;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.error.ProxyException;
import dev.roundtrip.trace.ClientTrace;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.util.Locale;

/**
 * TunnelLog is {@code get -v}'s account of an HTTP proxy's {@code CONNECT} exchange, for an https
 * request through an {@code http://} or {@code https://} proxy: the {@code CONNECT} request as the
 * Transport writes it ({@code > } lines, its {@code Proxy-Authorization} shown as {@code ***}),
 * then the outcome. The Transport tells no hook about the tunnel, so the request is written from
 * what the Transport sends (the target's authority, {@code Host}, {@code User-Agent}, and the
 * proxy's credentials), printed when the tunnel's TLS handshake starts (it was established) or
 * when the proxy refused it (with the status the proxy answered); the proxy's own response fields
 * are not known here.
 *
 * <p>It runs before {@link ExchangeLog} on every trace event, so its lines come in wire order, and
 * in front of the rest of the pipeline as a {@link RoundTripper}, to see a refusal.
 */
final class TunnelLog implements RoundTripper, ClientTrace {
    private final RoundTripper next;
    private final PrintStream out;
    private final boolean httpsProxy;
    private final String userAgent;
    private final boolean credentials;
    /** The hop being sent: its CONNECT authority, or null when it needs no tunnel. Guarded by this. */
    private String authority;
    /** TLS handshakes started on the hop's dial (an https proxy's comes first). Guarded by this. */
    private int handshakes;
    /** Whether this hop's CONNECT was printed. Guarded by this. */
    private boolean printed;

    /**
     * Creates a log of the tunnels through {@code proxy} (an http or https proxy URL) onto
     * {@code out}, for requests sent with {@code userAgent} (empty: none).
     */
    TunnelLog(RoundTripper next, PrintStream out, URI proxy, String userAgent) {
        this.next = next;
        this.out = out;
        this.httpsProxy = "https".equalsIgnoreCase(proxy.getScheme());
        this.userAgent = userAgent;
        this.credentials = proxy.getRawUserInfo() != null;
    }

    /** Returns true when requests through {@code proxy} may need a tunnel this log describes. */
    static boolean applies(URI proxy) {
        String s = proxy == null || proxy.getScheme() == null ? "" : proxy.getScheme().toLowerCase(Locale.ROOT);
        return s.equals("http") || s.equals("https");
    }

    @Override
    public Response roundTrip(Request request) throws IOException {
        synchronized (this) {
            URI u = request.uri();
            boolean tunnel = "https".equalsIgnoreCase(u.getScheme());
            String host = u.getHost() != null && u.getHost().indexOf(':') >= 0 && !u.getHost().startsWith("[")
                    ? "[" + u.getHost() + "]" : u.getHost();
            authority = tunnel ? host + ":" + (u.getPort() >= 0 ? u.getPort() : 443) : null;
            handshakes = 0;
            printed = false;
        }
        try {
            return next.roundTrip(request);
        } catch (ProxyException e) {
            synchronized (this) {
                if (authority != null && !printed && e.status() > 0) {
                    printRequest();
                    out.println("< HTTP/1.1 " + e.status() + " (the proxy refused the tunnel)");
                    out.println("<");
                    out.flush();
                }
            }
            throw e;
        }
    }

    @Override
    public void tlsHandshakeStart() {
        synchronized (this) {
            handshakes++;
            if (authority != null && !printed && (!httpsProxy || handshakes == 2)) {
                printRequest();
                out.println("* Proxy tunnel established to " + authority + " (its 2xx answer is not shown: the"
                        + " Transport does not report it)");
                out.flush();
            }
        }
    }

    private void printRequest() {
        printed = true;
        out.println("* Establish HTTP proxy tunnel to " + authority);
        out.println("> CONNECT " + authority + " HTTP/1.1");
        out.println("> Host: " + authority);
        if (!userAgent.isEmpty()) {
            out.println("> User-Agent: " + userAgent);
        }
        if (credentials) {
            out.println("> Proxy-Authorization: Basic ***");
        }
        out.println(">");
    }
}
