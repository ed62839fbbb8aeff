package dev.roundtrip;

/** {@link TransportExpectContinueTest} over TLS: the same tests, the server with the test CA's certificate. */
class TransportExpectContinueTlsTest extends TransportExpectContinueTest {
    @Override
    protected Mode mode() {
        return Mode.TLS;
    }
}
