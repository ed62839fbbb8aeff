package dev.roundtrip.bench.peer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * PeerTls is the trust every client of an HTTPS point uses: the benchmark's throwaway CA, which
 * {@code bench/run.sh --http2} makes with openssl and passes to each client JVM as the system
 * property {@value #CA_PROPERTY} (a PEM file). Host names are verified as usual (the server
 * certificate names 127.0.0.1 and localhost).
 *
 * @param context the TLS context trusting the CA only
 * @param trust   its trust manager (OkHttp wants both)
 */
public record PeerTls(SSLContext context, X509TrustManager trust) {
    /** The system property naming the CA's PEM file. */
    public static final String CA_PROPERTY = "bench.cacert";

    /** Returns the trust of {@link #CA_PROPERTY}, or null when the property is not set (plain-http points). */
    public static PeerTls fromSystemProperty() throws IOException, GeneralSecurityException {
        String pem = System.getProperty(CA_PROPERTY);
        return pem == null || pem.isEmpty() ? null : fromPem(Path.of(pem));
    }

    /** Returns a trust of the certificates in the PEM file {@code pem}. */
    public static PeerTls fromPem(Path pem) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pem)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException(pem + " holds no certificate");
        }
        return trusting(certs.toArray(new Certificate[0]));
    }

    /** Returns a trust of {@code certs} only. */
    public static PeerTls trusting(Certificate... certs) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        for (int i = 0; i < certs.length; i++) {
            ks.setCertificateEntry("ca-" + i, certs[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        X509TrustManager trust = null;
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager) {
                trust = (X509TrustManager) tm;
            }
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {trust}, null);
        return new PeerTls(ctx, trust);
    }

    /** Returns {@code tls}, or fails naming {@code client} when it is null (an h2 client without the CA). */
    static PeerTls require(PeerTls tls, String client) {
        if (tls == null) {
            throw new IllegalStateException(client + " needs the benchmark's CA: set -D" + CA_PROPERTY
                    + "=ca.pem (bench/run.sh --http2 does)");
        }
        return tls;
    }
}
