package dev.roundtrip.cli;

import dev.roundtrip.ProxyPolicy;
import dev.roundtrip.TransportConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import picocli.CommandLine.Option;

/**
 * ConnectionOptions are the options of {@code get} and {@code bench} about how to connect: proxy,
 * trusted CA, insecure TLS, connect timeout. {@link #apply} puts them into a Transport's
 * configuration.
 *
 * <p>As in curl, the server's TLS options ({@code --cacert}, {@code -k}) and an {@code https://}
 * proxy's ({@code --proxy-cacert}, {@code --proxy-insecure}) are separate: {@code -k} never turns
 * off the verification of the proxy, which sees every request and its credentials.
 */
final class ConnectionOptions {
    @Option(names = {"-x", "--proxy"}, paramLabel = "URL",
            description = "Send requests through this proxy: http://, https://, socks5:// or socks5h://"
                    + " (user:password@ for credentials).")
    URI proxy;

    @Option(names = "--cacert", paramLabel = "FILE",
            description = "Trust the CA certificates in this PEM file (instead of the JDK's roots);"
                    + " host names are still verified.")
    Path caCert;

    @Option(names = {"-k", "--insecure"},
            description = "Do not verify the server's certificate nor its host name (says so on stderr); an https://"
                    + " proxy is still verified (see --proxy-insecure).")
    boolean insecure;

    @Option(names = "--proxy-cacert", paramLabel = "FILE",
            description = "Trust the CA certificates in this PEM file for an https:// proxy (instead of the JDK's"
                    + " roots); its host name is still verified.")
    Path proxyCaCert;

    @Option(names = "--proxy-insecure",
            description = "Do not verify an https:// proxy's certificate nor its host name (says so on stderr).")
    boolean proxyInsecure;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "Bound on opening one TCP connection (default: the Transport's, "
                    + "TransportConfig.DEFAULT_CONNECT_TIMEOUT).")
    Duration connectTimeout;

    /** Adds the proxy, TLS trust and connect timeout to {@code b}; warns on {@code err} about {@code -k}. */
    TransportConfig.Builder apply(TransportConfig.Builder b, PrintStream err) {
        if (connectTimeout != null) {
            b.connectTimeout(connectTimeout);
        }
        if (proxy != null) {
            try {
                b.proxy(ProxyPolicy.fixed(proxy));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.BAD_URL, "bad --proxy: " + e.getMessage(), e);
            }
        }
        if (insecure) {
            err.println("roundtrip: warning: --insecure: the server's certificate and host name are NOT verified");
            b.sslContext(trustAll()).verifyHostnames(false);
        } else if (caCert != null) {
            b.sslContext(trusting(caCert, "--cacert"));
        }
        if (proxy != null && "https".equalsIgnoreCase(proxy.getScheme())) {
            b.proxySslContext(proxyContext(err)).verifyProxyHostnames(!proxyInsecure);
        }
        return b;
    }

    /** Returns the TLS context for an https proxy: curl's --proxy-insecure, --proxy-cacert, else the JDK's roots. */
    private SSLContext proxyContext(PrintStream err) {
        if (proxyInsecure) {
            err.println("roundtrip: warning: --proxy-insecure: the proxy's certificate and host name are NOT verified");
            return trustAll();
        }
        if (proxyCaCert != null) {
            return trusting(proxyCaCert, "--proxy-cacert");
        }
        try {
            return SSLContext.getDefault(); // not --cacert's, as curl: the proxy has its own options
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }

    /** Returns a TLS context that trusts only the certificates of the PEM file {@code pem}, given as {@code option}. */
    static SSLContext trusting(Path pem, String option) {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pem)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new CliException(ExitCodes.CA_FILE, "cannot read " + option + " " + pem + ": " + e, e);
        } catch (GeneralSecurityException e) {
            throw new CliException(ExitCodes.CA_FILE, option + " " + pem + " is not a PEM certificate file: "
                    + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new CliException(ExitCodes.CA_FILE, option + " " + pem + " holds no certificate");
        }
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new CliException(ExitCodes.CA_FILE, "cannot use the certificates of " + option + " " + pem + ": " + e, e);
        }
    }

    /** Returns a TLS context that accepts any certificate (for {@code -k}). */
    static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS context", e);
        }
    }

    /** TrustAll accepts every server certificate: what {@code -k} asks for, never a default. */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
