package dev.roundtrip.bench.peer;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import java.net.URI;

/**
 * RoundtripPeer is roundtrip's {@link Transport}, with its defaults or a given configuration; when
 * a protocol is expected ({@code Response.protocol()}, e.g. {@code HTTP/2.0}), a response that came
 * over another counts as an error.
 */
final class RoundtripPeer implements PeerClient {
    private final Transport transport;
    private final String expected;

    RoundtripPeer(TransportConfig config) {
        this(config, null);
    }

    /** Creates the client; {@code expectedProtocol} (or null for any) is what every response must come over. */
    RoundtripPeer(TransportConfig config, String expectedProtocol) {
        this.transport = Transport.create(config);
        this.expected = expectedProtocol;
    }

    @Override
    public long get(URI uri, byte[] scratch) throws Exception {
        try (Response r = transport.roundTrip(Request.get(uri))) {
            PeerClient.expectOk(r.status(), uri);
            if (expected != null && !expected.equals(r.protocol())) {
                throw new java.io.IOException("GET " + uri + " came over " + r.protocol() + ", not " + expected);
            }
            return PeerClient.drain(r.body(), scratch);
        }
    }

    @Override
    public long dials() {
        return transport.stats().dials();
    }

    @Override
    public void close() {
        transport.close();
    }
}
