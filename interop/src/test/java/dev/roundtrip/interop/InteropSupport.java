package dev.roundtrip.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Helpers shared by the interop tests that run against servers started by {@code interop/run.sh}. */
final class InteropSupport {
    /** The body of {@code /small}, written by run.sh. */
    static final String SMALL_BODY = "hello, nginx\n";
    /** Bound on every single exchange. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private InteropSupport() {
    }

    /** Returns the trimmed system property {@code name}, or null when it is unset or blank. */
    static String property(String name) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** Returns the system property {@code name}, failing when it is missing. */
    static String required(String name) {
        String v = property(name);
        if (v == null) {
            throw new IllegalStateException("system property " + name + " is not set: run interop/run.sh");
        }
        return v;
    }

    /**
     * Returns an SSLContext trusting exactly the CA certificate in the PEM file {@code caPem}
     * (the throwaway CA that run.sh generates): CertificateFactory, then a KeyStore, then a
     * TrustManagerFactory.
     */
    static SSLContext trusting(Path caPem) throws IOException, GeneralSecurityException {
        Certificate ca;
        try (InputStream in = Files.newInputStream(caPem)) {
            ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("roundtrip-interop-ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static Request get(String uri) {
        return Request.newBuilder(URI.create(uri)).timeout(REQUEST_TIMEOUT).build();
    }

    /** GETs {@code uri} with {@code transport}, asserts 200, and returns the body. */
    static String getString(Transport transport, String uri) throws IOException {
        try (Response r = transport.roundTrip(get(uri))) {
            assertThat(r.status()).as("GET %s", uri).isEqualTo(200);
            return r.bodyString();
        }
    }

    /** nginx's stub_status counters: connections accepted and requests served since it started. */
    record Status(long accepts, long handled, long requests) {
    }

    /**
     * Reads nginx's stub_status from {@code http://127.0.0.1:port/status} with {@code probe}, a
     * transport without keep-alive, so each read costs exactly one accepted connection.
     */
    static Status status(Transport probe, int port) throws IOException {
        try (Response r = probe.roundTrip(get("http://127.0.0.1:" + port + "/status"))) {
            assertThat(r.status()).isEqualTo(200);
            String[] lines = r.bodyString().split("\n");
            for (int i = 0; i < lines.length - 1; i++) {
                if (lines[i].trim().startsWith("server accepts")) {
                    String[] n = lines[i + 1].trim().split("\\s+");
                    return new Status(Long.parseLong(n[0]), Long.parseLong(n[1]), Long.parseLong(n[2]));
                }
            }
            throw new AssertionError("unexpected stub_status output:\n" + String.join("\n", lines));
        }
    }
}
