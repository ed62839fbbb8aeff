package dev.roundtrip;

/** {@link TransportRetryTest} over TLS: the same tests, the server with the test CA's certificate. */
class TransportRetryTlsTest extends TransportRetryTest {
    @Override
    protected Mode mode() {
        return Mode.TLS;
    }
}
