package dev.roundtrip.cache;

import dev.roundtrip.Headers;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.cache.internal.CacheKeys;
import dev.roundtrip.cache.internal.CachePolicy;
import dev.roundtrip.cache.internal.StoredHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * CachingRoundTripper is an RFC 9111 HTTP cache in front of another {@link RoundTripper}
 * (usually a {@code Transport}): responses to GET and HEAD are stored in a {@link CacheStore} and
 * reused while fresh, revalidated with {@code If-None-Match} / {@code If-Modified-Since} when
 * stale, and served stale where {@code max-stale}, {@code stale-while-revalidate} or
 * {@code stale-if-error} (RFC 5861) allow. Unsafe methods (POST, PUT, DELETE, PATCH...) pass
 * through and invalidate what is stored for their target. See {@code docs/cache.md}.
 *
 * <pre>{@code
 * RoundTripper cached = new CachingRoundTripper(Transport.defaultTransport(),
 *         DiskStore.open(Path.of(".cache"), 100L << 20));
 * Client client = Client.builder().transport(cached).build();
 * }</pre>
 *
 * <p>Every response carries an RFC 9211 {@code Cache-Status} field saying how it was served
 * ({@link CacheStatus#of(Response)} reads it back, {@link CacheOutcome} sums it up), and the same
 * goes to the {@link CacheListener}. A response from the store has an {@code Age} field and
 * {@link dev.roundtrip.Timings#NONE} timings. A body from the network is stored while the caller
 * reads it and committed only if it ends intact. Time comes from the builder's {@link Clock}.
 * Responses over HTTP/1.x and HTTP/2 are stored alike; a response from the store reports, in
 * {@link Response#protocol()}, the protocol it came over, and after a 304 the protocol of the 304.
 *
 * <p>By default it follows the rules of a <em>shared</em> cache ({@link #DEFAULT_SHARED}), because
 * one client usually serves every user of a service: a response to a request carrying
 * {@code Authorization} or {@code Cookie} is stored only when it says {@code public},
 * {@code s-maxage} or {@code must-revalidate} (RFC 9111 3.5), a {@code private} response is never
 * stored, {@code s-maxage} is honoured, so one user's response never answers another's request
 * unless the server said it may. {@link Builder#shared(boolean) shared(false)} makes it a private
 * (single-user) cache; see there for the risk.
 *
 * <p>Thread-safe; share one instance. {@link #close()} stops background revalidation and closes
 * the store.
 */
public final class CachingRoundTripper implements RoundTripper, AutoCloseable {
    /**
     * DEFAULT_SHARED is whether a cache follows the rules of a shared cache: true, because a
     * client inside a service serves many users; see {@link Builder#shared(boolean)}.
     */
    public static final boolean DEFAULT_SHARED = true;
    /** DEFAULT_NAME is the cache name in {@code Cache-Status}: {@code roundtrip}. */
    public static final String DEFAULT_NAME = "roundtrip";
    /**
     * DEFAULT_MAX_ENTRY_BYTES is the largest body stored, 16 MiB (never more than the store holds):
     * a longer body is passed through unstored, so one download cannot flush the whole cache.
     */
    public static final long DEFAULT_MAX_ENTRY_BYTES = 16L << 20;
    /**
     * DEFAULT_MAX_HEURISTIC_FRESHNESS caps the heuristic freshness of a response without explicit
     * expiry (10% of the time since its {@code Last-Modified}, RFC 9111 4.2.2): 24 hours, the
     * point past which RFC 7234 required a warning.
     */
    public static final Duration DEFAULT_MAX_HEURISTIC_FRESHNESS = Duration.ofHours(24);
    /**
     * DEFAULT_BACKGROUND_THREADS is how many background revalidations run at once in the default
     * executor: 2 (virtual threads on JDK 21+, else daemon threads; idle ones exit after 10 s).
     */
    public static final int DEFAULT_BACKGROUND_THREADS = 2;
    /**
     * DEFAULT_BACKGROUND_QUEUE is how many background revalidations may wait in the default
     * executor: 64. Past that a revalidation is skipped (the stale response is still served; the
     * next request past its window revalidates in the foreground).
     */
    public static final int DEFAULT_BACKGROUND_QUEUE = 64;
    /** DEFAULT_BACKGROUND_TIMEOUT bounds one background revalidation, body included: 30 s. */
    public static final Duration DEFAULT_BACKGROUND_TIMEOUT = Duration.ofSeconds(30);

    /** The buffer a background revalidation reads a new body with. */
    private static final int BACKGROUND_READ_BUFFER = 8192;

    final RoundTripper next;
    final CacheStore store;
    final Clock clock;
    final String name;
    final CachePolicy policy;
    final long maxEntryBytes;
    final Events events;
    final Lookup lookup;
    final Storer storer;
    private final Executor backgroundExecutor;
    private final ExecutorService ownedExecutor;
    private final Duration backgroundTimeout;
    private final Set<String> revalidating = ConcurrentHashMap.newKeySet();

    /** Returns a cache in front of {@code next} storing in {@code store}, with every default. */
    public CachingRoundTripper(RoundTripper next, CacheStore store) {
        this(builder(next, store));
    }

    private CachingRoundTripper(Builder b) {
        this.next = b.next;
        this.store = b.store;
        this.clock = b.clock;
        this.name = b.name;
        this.policy = new CachePolicy(b.shared, b.maxHeuristicFreshness.toMillis());
        this.maxEntryBytes = Math.min(b.maxEntryBytes, store.maxSize());
        this.events = new Events(b.listener);
        this.lookup = new Lookup(store, events, policy);
        this.storer = new Storer(store, events, maxEntryBytes, policy);
        this.ownedExecutor = b.executor == null ? BackgroundThreads.executor() : null;
        this.backgroundExecutor = b.executor != null ? b.executor : ownedExecutor;
        this.backgroundTimeout = b.backgroundTimeout;
    }

    /** Returns a builder for a cache in front of {@code next} storing in {@code store}. */
    public static Builder builder(RoundTripper next, CacheStore store) {
        return new Builder(next, store);
    }

    /**
     * Answers {@code request} from the cache, the network, or both; see the class comment. Throws
     * what the next RoundTripper throws, except where {@code stale-if-error} serves a stored response
     * instead.
     */
    @Override
    public Response roundTrip(Request request) throws IOException {
        String m = request.method();
        if (!m.equals("GET") && !m.equals("HEAD")) {
            return otherMethod(request);
        }
        Headers h = request.headers();
        if (h.contains("Range") || h.contains("If-Range") || h.contains("If-Match") || h.contains("If-None-Match")
                || h.contains("If-Modified-Since") || h.contains("If-Unmodified-Since")) {
            return passThrough(request, next.roundTrip(request), "bypass"); // the caller's own conditions
        }
        return new Exchange(this, request, false).run();
    }

    /** Forwards another method; an unsafe one with a 2xx or 3xx answer invalidates (RFC 9111 4.4). */
    private Response otherMethod(Request request) throws IOException {
        Response net = next.roundTrip(request);
        String m = request.method();
        boolean safe = m.equals("OPTIONS") || m.equals("TRACE");
        if (!safe && net.status() >= 200 && net.status() < 400) {
            URI target = request.uri();
            storer.invalidate(request, target);
            for (String field : new String[] {"Location", "Content-Location"}) {
                String v = net.headers().first(field);
                if (v != null) {
                    try {
                        URI u = target.resolve(v.trim());
                        if (u.isAbsolute() && CacheKeys.sameOrigin(target, u)) {
                            storer.invalidate(request, u);
                        }
                    } catch (IllegalArgumentException e) {
                        // not a URI reference: nothing to invalidate
                    }
                }
            }
        }
        return passThrough(request, net, "method");
    }

    private Response passThrough(Request request, Response net, String fwd) {
        CacheStatus st = new CacheStatus(name, false, fwd, net.status(), null, false, null);
        events.response(request, st);
        return net.toBuilder().headers(StoredHeaders.served(net.headers(), -1, st.toHeaderValue())).build();
    }

    /** Starts a background revalidation of the entry {@code key} unless one is running; drops it when busy. */
    void revalidateInBackground(Request request, String key) {
        if (!revalidating.add(key)) {
            return;
        }
        Request bg = request.toBuilder().deadline(null).cancelToken(null).trace(null).timeout(backgroundTimeout)
                .build();
        try {
            backgroundExecutor.execute(() -> {
                try {
                    revalidate(bg);
                } finally {
                    revalidating.remove(key);
                }
            });
        } catch (RejectedExecutionException e) {
            revalidating.remove(key);
        }
    }

    /**
     * Runs one background revalidation and reads the new body, if one is being stored, so that it
     * is committed; then reports it. Any other body (the stored one after a 304, or one not
     * stored) is closed unread.
     */
    private void revalidate(Request bg) {
        CacheStatus status;
        try (Response r = new Exchange(this, bg, true).run(); InputStream in = r.body()) {
            status = CacheStatus.of(r);
            if (status != null && status.stored()) {
                byte[] buf = new byte[BACKGROUND_READ_BUFFER];
                long total = 0;
                int n;
                while (total <= maxEntryBytes && (n = in.read(buf)) >= 0) {
                    total += n; // reading to the end commits a new response
                }
            }
        } catch (IOException e) {
            events.backgroundRevalidation(bg, null, e);
            return;
        } catch (RuntimeException e) {
            events.backgroundRevalidation(bg, null, new IOException("background revalidation failed: " + e, e));
            return;
        }
        events.backgroundRevalidation(bg, status, null);
    }

    /** Returns the counters and the store's size. */
    public CacheStats stats() {
        return events.snapshot(store);
    }

    /** Returns true if this cache follows the rules of a shared cache (see {@link Builder#shared(boolean)}). */
    public boolean shared() {
        return policy.shared();
    }

    /** Returns the store. */
    public CacheStore store() {
        return store;
    }

    /** Stops accepting background revalidations (running ones finish) and closes the store. */
    @Override
    public void close() throws IOException {
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        store.close();
    }

    @Override
    public String toString() {
        return "CachingRoundTripper{" + name + ", " + store + "}";
    }

    /** Builder configures a {@link CachingRoundTripper}; every option has a documented default. Not thread-safe. */
    public static final class Builder {
        private final RoundTripper next;
        private final CacheStore store;
        private Clock clock = Clock.systemUTC();
        private CacheListener listener = CacheListener.NONE;
        private String name = DEFAULT_NAME;
        private long maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES;
        private Duration maxHeuristicFreshness = DEFAULT_MAX_HEURISTIC_FRESHNESS;
        private Duration backgroundTimeout = DEFAULT_BACKGROUND_TIMEOUT;
        private Executor executor;
        private boolean shared = DEFAULT_SHARED;

        private Builder(RoundTripper next, CacheStore store) {
            this.next = Objects.requireNonNull(next, "next");
            this.store = Objects.requireNonNull(store, "store");
        }

        /** Sets the clock for ages, freshness and exchange times; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock c) {
            clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Sets the listener; default {@link CacheListener#NONE}. */
        public Builder listener(CacheListener l) {
            listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** Sets the cache name in {@code Cache-Status} (a token or any string); default {@link #DEFAULT_NAME}. */
        public Builder name(String n) {
            if (n == null || n.isEmpty()) {
                throw new IllegalArgumentException("cache name must not be empty");
            }
            name = n;
            return this;
        }

        /**
         * Sets whether the cache follows the rules of a shared cache (RFC 9111 3.5, 5.2.2);
         * default {@link #DEFAULT_SHARED} (true).
         *
         * <p>Shared: a response to a request with {@code Authorization} or {@code Cookie} is
         * stored only if it says {@code public}, {@code s-maxage} or {@code must-revalidate}; a
         * {@code private} response is never stored; {@code s-maxage} replaces {@code max-age}
         * and, like {@code proxy-revalidate}, forbids serving the response stale.
         *
         * <p>{@code shared(false)} makes a private cache, for one user: it stores {@code private}
         * responses and responses to authenticated requests, and ignores {@code s-maxage} and
         * {@code proxy-revalidate}. <strong>Risk:</strong> the cache key is the method and URL
         * only, so a response stored for one user's credentials answers the same URL requested
         * with anyone else's credentials, or with none, without the origin being asked. Use it
         * only when every request through this cache acts for the same user (a command-line
         * tool, a desktop application, one instance per user).
         */
        public Builder shared(boolean s) {
            shared = s;
            return this;
        }

        /** Sets the largest body stored; default {@link #DEFAULT_MAX_ENTRY_BYTES}. */
        public Builder maxEntryBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxEntryBytes must be positive, got " + bytes);
            }
            maxEntryBytes = bytes;
            return this;
        }

        /** Sets the cap on heuristic freshness; zero disables the heuristic; default {@link #DEFAULT_MAX_HEURISTIC_FRESHNESS}. */
        public Builder maxHeuristicFreshness(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("maxHeuristicFreshness must not be negative, got " + d);
            }
            maxHeuristicFreshness = d;
            return this;
        }

        /**
         * Sets the executor for background revalidation ({@code stale-while-revalidate}). Default:
         * an internal pool of {@link #DEFAULT_BACKGROUND_THREADS} threads and a queue of
         * {@link #DEFAULT_BACKGROUND_QUEUE}, shut down by {@link CachingRoundTripper#close()}; an
         * executor given here is not shut down by the cache. A revalidation it rejects is skipped.
         */
        public Builder backgroundExecutor(Executor e) {
            executor = Objects.requireNonNull(e, "executor");
            return this;
        }

        /** Sets the timeout of one background revalidation; default {@link #DEFAULT_BACKGROUND_TIMEOUT}. */
        public Builder backgroundTimeout(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("backgroundTimeout must be positive, got " + d);
            }
            backgroundTimeout = d;
            return this;
        }

        /** Returns the cache. */
        public CachingRoundTripper build() {
            return new CachingRoundTripper(this);
        }
    }
}
