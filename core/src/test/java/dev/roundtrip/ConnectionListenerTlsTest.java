package dev.roundtrip;

/** {@link ConnectionListenerTest} over TLS: the same reports, for {@code https} connections. */
class ConnectionListenerTlsTest extends ConnectionListenerTest {
    @Override
    protected Mode mode() {
        return Mode.TLS;
    }
}
