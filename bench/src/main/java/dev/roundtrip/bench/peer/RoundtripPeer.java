package dev.roundtrip.bench.peer;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import java.net.URI;

/** RoundtripPeer is roundtrip's {@link Transport}, with its defaults or a given configuration. */
final class RoundtripPeer implements PeerClient {
    private final Transport transport;

    RoundtripPeer(TransportConfig config) {
        this.transport = Transport.create(config);
    }

    @Override
    public long get(URI uri, byte[] scratch) throws Exception {
        try (Response r = transport.roundTrip(Request.get(uri))) {
            PeerClient.expectOk(r.status(), uri);
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
