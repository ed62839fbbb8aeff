package dev.roundtrip;

/** {@link TransportGzipTest} over TLS: the same tests, the server with the test CA's certificate. */
class TransportGzipTlsTest extends TransportGzipTest {
    @Override
    protected Mode mode() {
        return Mode.TLS;
    }
}
