package dev.roundtrip;

/** {@link TransportTimeoutTest} over TLS: the same tests, the server with the test CA's certificate. */
class TransportTimeoutTlsTest extends TransportTimeoutTest {
    @Override
    protected Mode mode() {
        return Mode.TLS;
    }
}
