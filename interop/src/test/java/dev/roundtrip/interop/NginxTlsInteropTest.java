package dev.roundtrip.interop;

import static dev.roundtrip.interop.InteropSupport.SMALL_BODY;
import static dev.roundtrip.interop.InteropSupport.get;
import static dev.roundtrip.interop.InteropSupport.getString;
import static dev.roundtrip.interop.InteropSupport.required;
import static dev.roundtrip.interop.InteropSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.interop.InteropSupport.Status;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * NginxTlsInteropTest runs a Transport against nginx's TLS server started by
 * {@code interop/run.sh}, whose certificate (for {@code localhost} and {@code 127.0.0.1}) is
 * signed by a throwaway CA that the script generates with openssl at run time.
 *
 * <p>The script passes {@code interop.tlsPort} (the TLS server), {@code interop.caPem} (the CA
 * certificate, PEM) and {@code interop.port} (a plain server of the same nginx, for stub_status).
 * Without {@code interop.tlsPort} the class skips itself.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NginxTlsInteropTest {
    private static int plainPort;
    private static int tlsPort;
    private static SSLContext trustingCa;

    private Transport transport;
    private Transport probe;

    @BeforeAll
    static void requireNginxWithTls() throws Exception {
        String p = InteropSupport.property("interop.tlsPort");
        assumeTrue(p != null, "TLS interop tests need nginx with TLS: run interop/run.sh (sets -Dinterop.tlsPort)");
        tlsPort = Integer.parseInt(p);
        plainPort = Integer.parseInt(required("interop.port"));
        trustingCa = InteropSupport.trusting(Path.of(required("interop.caPem")));
    }

    @BeforeEach
    void createTransports() {
        transport = Transport.create(TransportConfig.builder().sslContext(trustingCa).build());
        probe = Transport.create(TransportConfig.builder().disableKeepAlives(true).build());
    }

    @AfterEach
    void close() {
        transport.close();
        probe.close();
    }

    private String https(String path) {
        return "https://127.0.0.1:" + tlsPort + path;
    }

    @Test
    void twentyGetsOverHttpsShareOneConnection() throws Exception {
        Status before = status(probe, plainPort);
        for (int i = 0; i < 20; i++) {
            assertThat(getString(transport, https("/small"))).isEqualTo(SMALL_BODY);
        }
        Status after = status(probe, plainPort);
        // One connection for the 20 requests, and one for the second probe.
        assertThat(after.accepts() - before.accepts() - 1).as("TLS connections nginx accepted").isEqualTo(1);
        assertThat(after.requests() - before.requests() - 1).as("requests nginx served").isEqualTo(20);
        assertThat(transport.stats().dials()).isEqualTo(1);
        assertThat(transport.stats().idleReuses()).isEqualTo(19);
    }

    @Test
    void largeBodyOverHttpsIsComplete() throws Exception {
        try (var r = transport.roundTrip(get(https("/5m")))) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyBytes()).hasSize(5 * 1024 * 1024);
        }
        assertThat(getString(transport, https("/small"))).isEqualTo(SMALL_BODY);
        assertThat(transport.stats().dials()).isEqualTo(1);
    }

    @Test
    void theDefaultTrustStoreRejectsThePrivateCaAndNamesTheHost() {
        try (Transport untrusting = Transport.create(TransportConfig.defaults())) {
            assertThatThrownBy(() -> untrusting.roundTrip(get(https("/small"))))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("127.0.0.1");
        }
    }

    @Test
    void plainHttpToTheTlsPortGetsNginxs400Response() throws Exception {
        // nginx answers a plain request on its TLS port with a 400 ("plain HTTP request was sent
        // to HTTPS port"), as an HTTP response.
        try (var r = transport.roundTrip(get("http://127.0.0.1:" + tlsPort + "/small"))) {
            assertThat(r.status()).isEqualTo(400);
            r.bodyBytes();
        }
    }
}
