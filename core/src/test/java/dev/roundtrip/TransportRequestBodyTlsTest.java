package dev.roundtrip;

/** {@link TransportRequestBodyTest} over TLS: the same tests, the server with the test CA's certificate. */
class TransportRequestBodyTlsTest extends TransportRequestBodyTest {
    @Override
    protected Mode mode() {
        return Mode.TLS;
    }
}
