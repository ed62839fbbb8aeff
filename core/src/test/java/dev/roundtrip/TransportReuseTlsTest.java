package dev.roundtrip;

/** {@link TransportReuseTest} over TLS: the same tests, the server with the test CA's certificate. */
class TransportReuseTlsTest extends TransportReuseTest {
    @Override
    protected Mode mode() {
        return Mode.TLS;
    }
}
