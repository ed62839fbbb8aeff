package dev.roundtrip.cache;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import java.net.URI;
import java.nio.file.Path;

/**
 * CrashingClient is the child process of {@link DiskCrashTest}: it caches one response on disk,
 * starts caching a second one, and halts the JVM (no shutdown hooks, no finally blocks, no close)
 * while that body is half read and half written.
 *
 * <p>Arguments: cache directory, URL of a small response, URL of a large response.
 */
public final class CrashingClient {
    private CrashingClient() {
    }

    public static void main(String[] args) throws Exception {
        Transport transport = Transport.create(TransportConfig.defaults());
        CachingRoundTripper cache = new CachingRoundTripper(transport, DiskStore.open(Path.of(args[0]), 1 << 24));
        try (Response r = cache.roundTrip(Request.get(URI.create(args[1])))) {
            r.bodyBytes();
        }
        Response partial = cache.roundTrip(Request.get(URI.create(args[2])));
        byte[] some = partial.body().readNBytes(20_000);
        System.out.println("READ " + some.length);
        System.out.flush();
        Runtime.getRuntime().halt(3);
    }
}
