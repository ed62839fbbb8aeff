package dev.roundtrip.cli;

import dev.roundtrip.error.ConnectionClosedException;
import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.ProxyException;
import dev.roundtrip.error.TooManyRedirectsException;
import dev.roundtrip.error.TruncatedBodyException;
import dev.roundtrip.logging.Redactor;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * ExitCodes are the process exit codes of the command, curl's where curl has one, and the mapping
 * from a failure to its code and its one-line message.
 *
 * <p>Any HTTP status is a success (0) unless {@code --fail}. Failures print exactly one line on
 * standard error, {@code roundtrip: (CODE) message}; the stack trace only with {@code -v}.
 */
final class ExitCodes {
    /** Success: a response was received (whatever its status). */
    static final int OK = 0;
    /** The URL's scheme is neither http nor https (curl: unsupported protocol). */
    static final int UNSUPPORTED_PROTOCOL = 1;
    /** Bad command line (picocli's usage error code). */
    static final int USAGE = 2;
    /** The URL is malformed. */
    static final int BAD_URL = 3;
    /** The proxy refused the tunnel or the credentials. */
    static final int PROXY = 5;
    /** The host name could not be resolved. */
    static final int UNKNOWN_HOST = 6;
    /** The TCP connection could not be opened (refused, unreachable). */
    static final int CONNECT = 7;
    /** The server sent something that is not HTTP/1.1. */
    static final int PROTOCOL = 8;
    /** The body ended before its framing said it would. */
    static final int PARTIAL = 18;
    /** {@code --fail} and a status of 400 or more. */
    static final int HTTP_ERROR = 22;
    /** Writing the output ({@code -o} file or standard output) failed. */
    static final int WRITE_ERROR = 23;
    /** Reading {@code --data @file} failed. */
    static final int READ_ERROR = 26;
    /** A timeout fired ({@code --timeout}, or one of the Transport's per-phase timeouts). */
    static final int TIMEOUT = 28;
    /** The TLS handshake failed for a reason other than the certificate. */
    static final int TLS = 35;
    /** More redirects than {@code --max-redirs}. */
    static final int TOO_MANY_REDIRECTS = 47;
    /** The server closed the connection without answering (curl: empty reply). */
    static final int EMPTY_REPLY = 52;
    /** Any other network failure (curl: failure receiving network data). */
    static final int OTHER_IO = 56;
    /** The server's certificate was not trusted or not valid for the host name. */
    static final int CERTIFICATE = 60;
    /** The response's Content-Encoding could not be decoded ({@code --compressed}). */
    static final int BAD_CONTENT_ENCODING = 61;
    /** The {@code --cacert} file could not be read or holds no certificate. */
    static final int CA_FILE = 77;
    /** A bug in roundtrip: run again with -v and report the stack trace. */
    static final int INTERNAL = 70;

    private ExitCodes() {
    }

    /** Returns the exit code for {@code e}. */
    static int of(Throwable e) {
        if (e instanceof CliException) {
            return ((CliException) e).exitCode();
        }
        if (e instanceof HttpTimeoutException || e instanceof SocketTimeoutException) {
            return TIMEOUT;
        }
        if (e instanceof ProxyException) {
            return PROXY;
        }
        if (e instanceof UnknownHostException) {
            return UNKNOWN_HOST;
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return CONNECT;
        }
        if (e instanceof SSLException) {
            return hasCause(e, CertificateException.class) || e instanceof SSLPeerUnverifiedException
                    ? CERTIFICATE : TLS;
        }
        if (e instanceof TruncatedBodyException) {
            return PARTIAL;
        }
        if (e instanceof HttpProtocolException) {
            return PROTOCOL;
        }
        if (e instanceof TooManyRedirectsException) {
            return TOO_MANY_REDIRECTS;
        }
        if (e instanceof ConnectionClosedException) {
            return EMPTY_REPLY;
        }
        if (e instanceof java.io.IOException) {
            return OTHER_IO;
        }
        return INTERNAL;
    }

    /**
     * Returns the one-line message for {@code e}: its message on one line, or its type. A
     * certificate the server's certificate check refused says which option helps.
     */
    static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        } else if (!(e instanceof CliException) && ExitCodes.of(e) == INTERNAL) {
            m = "internal error: " + e.getClass().getName() + ": " + m + " (run with -v for the stack trace)";
        } else if (!(e instanceof CliException) && ExitCodes.of(e) == CERTIFICATE) {
            m = certificate(e, m, false);
        }
        return oneLine(m);
    }

    private static String oneLine(String m) {
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    /**
     * Returns the one-line message for {@code e}, a refused certificate of an {@code https://}
     * proxy: the proxy has its own options, as in curl ({@code --proxy-cacert},
     * {@code --proxy-insecure}; {@code --cacert} and {@code -k} are the server's).
     */
    static String proxyCertificateMessage(Throwable e) {
        String m = e.getMessage();
        return oneLine(certificate(e, m == null || m.isBlank() ? e.getClass().getSimpleName() : m, true));
    }

    /**
     * Says in the command's terms why a certificate was refused and what to pass: --cacert or -k
     * for the server's, --proxy-cacert or --proxy-insecure for an https proxy's.
     */
    private static String certificate(Throwable e, String m, boolean proxy) {
        int failed = m.indexOf(" failed: ");
        String where = failed > 0 ? m.substring(0, failed) : "TLS handshake";
        boolean untrusted = false;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            untrusted |= String.valueOf(t.getMessage()).contains("PKIX");
        }
        String skip = proxy ? "--proxy-insecure" : "-k";
        if (untrusted) {
            return where + " failed: the " + (proxy ? "proxy" : "server") + "'s certificate is not trusted (no path to"
                    + " a trusted root certificate). To trust a private CA, pass its certificate with "
                    + (proxy ? "--proxy-cacert" : "--cacert") + " FILE; to skip the check, " + skip + " (insecure)";
        }
        return m + ". To skip the check: " + skip + " (insecure)";
    }

    /**
     * Prints {@code roundtrip: (CODE) message} on {@code err}, and the stack trace when
     * {@code verbose}; returns the code. What {@code redactor} hides in URLs (the user info, the
     * {@code --redact-query-param} values) is {@code ***}, and control characters are escaped
     * ({@link Terminal#escapeControls}): a message may quote a server's reason phrase or fields.
     */
    static int report(Throwable e, boolean verbose, Redactor redactor, PrintStream err) {
        int code = of(e);
        err.println("roundtrip: (" + code + ") " + Terminal.escapeControls(Urls.scrub(message(e), redactor)));
        if (verbose) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            trace.toString().lines().forEach(line -> err.println(Terminal.escapeControls(Urls.scrub(line, redactor))));
        }
        err.flush();
        return code;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
