package dev.roundtrip;

/** {@link TransportResetTest} over TLS: the same tests, the server with the test CA's certificate. */
class TransportResetTlsTest extends TransportResetTest {
    @Override
    protected Mode mode() {
        return Mode.TLS;
    }
}
