package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * {@link DialTargetTest} over TLS, and the point of it there: the certificate is checked against
 * the URL's host, not against where the connection went.
 */
class DialTargetTlsTest extends DialTargetTest {
    @Override
    protected Mode mode() {
        return Mode.TLS;
    }

    @Test
    void theCertificateIsCheckedAgainstTheUrlsHostNotTheAddressConnectedTo() {
        Transport t = newTransport(TransportConfig.builder().resolver(host -> List.of(InetAddress.getLoopbackAddress()))
                .dialTarget((host, port) -> new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()))
                .build());
        // the test certificate names localhost, target.test, proxy.test, 127.0.0.1 and ::1
        assertThatThrownBy(() -> t.roundTrip(Request.get(URI.create("https://not-in-the-certificate.test:443/"))))
                .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("not-in-the-certificate.test");
    }
}
