package dev.roundtrip.cli;

import dev.roundtrip.CancelToken;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.load.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TransportExchange is how {@code bench} and the demo send one request of a load run: the same
 * request through a {@link RoundTripper}, the body read to its end (the latency includes it).
 * Requests still in flight when the run gives up waiting for them are canceled by one
 * {@link CancelToken}; failures are counted by type, a timeout with its phase.
 */
final class TransportExchange implements Exchange {
    private final RoundTripper transport;
    private final Request request;
    private final CancelToken cancel = CancelToken.create();
    /** The protocols responses came with ({@code Response.protocol()}): in practice one or two entries. */
    private final Set<String> protocols = ConcurrentHashMap.newKeySet();

    /** Creates an exchange sending {@code request} (its body must be replayable) through {@code transport}. */
    TransportExchange(RoundTripper transport, Request request) {
        this.transport = transport;
        this.request = request.toBuilder().cancelToken(cancel).build();
    }

    @Override
    public int send(byte[] scratch) throws IOException {
        try (Response r = transport.roundTrip(request)) {
            if (!protocols.contains(r.protocol())) { // a read, not a write, per request
                protocols.add(r.protocol());
            }
            InputStream in = r.body();
            while (in.read(scratch) >= 0) {
                // drain: the latency includes the whole body
            }
            return r.status();
        }
    }

    /** Returns the protocols the responses so far came with, sorted ({@code HTTP/1.1}, {@code HTTP/2.0}). */
    Set<String> protocols() {
        return new TreeSet<>(protocols);
    }

    @Override
    public void cancelInFlight() {
        cancel.cancel();
    }

    @Override
    public String errorKey(Throwable e) {
        String name = e.getClass().getSimpleName();
        if (e instanceof HttpTimeoutException) {
            return name + " (" + ((HttpTimeoutException) e).phase().description() + ")";
        }
        return name;
    }
}
