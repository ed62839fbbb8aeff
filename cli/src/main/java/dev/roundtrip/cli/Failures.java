package dev.roundtrip.cli;

import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.TimeoutPhase;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Failures says what went wrong in the user's terms: which option or argument is involved and
 * what to do, rather than what the library's API calls it.
 *
 * <ul>
 *   <li>a connection to the proxy that fails (refused, timed out, unknown name) says it was the
 *       proxy, {@code -x URL}, not the URL's server;</li>
 *   <li>an untrusted server certificate suggests {@code --cacert FILE} or {@code -k}; an
 *       {@code https://} proxy's, {@code --proxy-cacert FILE} or {@code --proxy-insecure} (as in
 *       curl, {@code -k} never turns off the proxy's check).</li>
 * </ul>
 * The exit code stays curl's ({@link ExitCodes#of}).
 */
final class Failures {
    private Failures() {
    }

    /** Returns {@code e} as the exception the command ends with (a {@link CliException} with curl's exit code). */
    static RuntimeException inUserTerms(Exception e, URI proxy, TransferRecord record) {
        if (e instanceof CliException) {
            return (CliException) e;
        }
        int code = ExitCodes.of(e);
        String message = ExitCodes.message(e);
        if (code == ExitCodes.CERTIFICATE && proxysHandshake(e, proxy)) {
            message = ExitCodes.proxyCertificateMessage(e) + " (-x " + Urls.redact(proxy) + ")";
        } else if (proxy != null && atProxy(e, proxy, record)) {
            message = "cannot connect to the proxy " + proxy.getHost() + ":" + proxyPort(proxy) + " (-x "
                    + Urls.redact(proxy) + "): " + message;
        }
        if (e instanceof RuntimeException && code == ExitCodes.INTERNAL) {
            return (RuntimeException) e;
        }
        return new CliException(code, message, e);
    }

    /** Returns true when {@code e} is a failure to reach the proxy itself. */
    private static boolean atProxy(Exception e, URI proxy, TransferRecord record) {
        if (e instanceof UnknownHostException) {
            return String.valueOf(e.getMessage()).contains(proxy.getHost());
        }
        if (e instanceof HttpTimeoutException) {
            return ((HttpTimeoutException) e).phase() == TimeoutPhase.CONNECT;
        }
        if (e instanceof ConnectException) {
            return true; // with a proxy, every TCP connection goes to the proxy
        }
        List<TransferRecord.Hop> hops = record.hops();
        return !hops.isEmpty() && hops.get(hops.size() - 1).failedConnect != null;
    }

    /** Returns true when {@code e} is a failed TLS handshake with the https proxy {@code proxy} (the Transport names where). */
    private static boolean proxysHandshake(Exception e, URI proxy) {
        if (proxy == null || !"https".equalsIgnoreCase(proxy.getScheme()) || proxy.getHost() == null) {
            return false;
        }
        String host = proxy.getHost().startsWith("[") ? proxy.getHost().substring(1, proxy.getHost().length() - 1)
                : proxy.getHost();
        String m = String.valueOf(e.getMessage());
        return m.contains("TLS handshake with " + host + ":" + proxyPort(proxy) + " failed")
                || m.contains("TLS handshake with " + proxy.getHost() + ":" + proxyPort(proxy) + " failed");
    }

    private static int proxyPort(URI proxy) {
        if (proxy.getPort() >= 0) {
            return proxy.getPort();
        }
        String scheme = proxy.getScheme() == null ? "http" : proxy.getScheme();
        return scheme.equalsIgnoreCase("https") ? 443 : scheme.startsWith("socks") ? 1080 : 80;
    }
}
