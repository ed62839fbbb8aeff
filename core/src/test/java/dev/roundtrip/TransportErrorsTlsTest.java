package dev.roundtrip;

/** {@link TransportErrorsTest} over TLS: the same tests, the server with the test CA's certificate. */
class TransportErrorsTlsTest extends TransportErrorsTest {
    @Override
    protected Mode mode() {
        return Mode.TLS;
    }
}
