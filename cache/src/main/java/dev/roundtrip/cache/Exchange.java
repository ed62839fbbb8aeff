package dev.roundtrip.cache;

import dev.roundtrip.Headers;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Timings;
import dev.roundtrip.cache.internal.CacheControl;
import dev.roundtrip.cache.internal.CacheKeys;
import dev.roundtrip.cache.internal.Freshness;
import dev.roundtrip.cache.internal.HttpDates;
import dev.roundtrip.cache.internal.StoredHeaders;
import dev.roundtrip.error.RequestCanceledException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Exchange answers one cacheable (GET or HEAD) request, following RFC 9111 section 4 for a
 * shared or private cache ({@code CachePolicy} holds what differs):
 * <ol>
 *   <li>a HEAD may be answered from a stored GET response that can be used without the network;</li>
 *   <li>select the stored response (4.1, {@link Lookup});</li>
 *   <li>use it without the network if it is fresh and the request allows it (4.2, 5.2.1), or if
 *       stale use is allowed: the request's {@code max-stale}, or {@code stale-while-revalidate}
 *       (RFC 5861 3), which also starts a background revalidation; never with {@code no-cache} or,
 *       once stale, {@code must-revalidate} (4.2.4);</li>
 *   <li>{@code only-if-cached} and nothing usable: a generated 504 (5.2.1.7);</li>
 *   <li>otherwise forward: conditionally when the stored response has validators (4.3.1); a 304
 *       freshens it and it is served (4.3.3, 4.3.4), or, when the 304 says {@code no-store} or
 *       changes {@code Vary}, it is served once and removed; a 5xx or a failure to connect may serve it
 *       stale under {@code stale-if-error} (RFC 5861 4); any other response is stored if allowed
 *       (3) and returned.</li>
 * </ol>
 * Every response gets a {@code Cache-Status} member, and is reported to {@link Events}.
 */
final class Exchange {
    /** The {@code Cache-Status} detail of a 304 that changed {@code Vary}: served once, entry removed. */
    static final String VARY_CHANGED = "vary-changed";
    /** The {@code Cache-Status} detail of a 304 that said {@code no-store}: served once, entry removed. */
    static final String NO_STORE = "no-store";

    private final CachingRoundTripper rt;
    private final Request request;
    /** True for a background revalidation: validate whatever is stored, report as such. */
    private final boolean background;
    private final CacheControl reqCC;
    private final String primaryKey;

    Exchange(CachingRoundTripper rt, Request request, boolean background) {
        this.rt = rt;
        this.request = request;
        this.background = background;
        this.reqCC = CacheControl.of(request.headers());
        this.primaryKey = CacheKeys.primary(request.method(), request.uri());
    }

    Response run() throws IOException {
        long now = rt.clock.millis();
        if (request.method().equals("HEAD") && !background) {
            Response r = headFromGet(now);
            if (r != null) {
                return r;
            }
        }
        Lookup.Result found = rt.lookup.find(request, primaryKey, now);
        Candidate c = found.candidate();
        if (c != null && !background) {
            Response r = withoutNetwork(c, false);
            if (r != null) {
                return r;
            }
        }
        if (reqCC.onlyIfCached() && !background) {
            if (c != null) {
                c.close();
            }
            return unsatisfiable();
        }
        if (c == null) {
            return forward(found.miss(), null);
        }
        return validate(c);
    }

    /** Serves a HEAD from the stored GET response when that needs no network (RFC 9110 9.3.2). */
    private Response headFromGet(long now) {
        Lookup.Result found = rt.lookup.find(request, CacheKeys.primary("GET", request.uri()), now);
        Candidate c = found.candidate();
        if (c == null) {
            return null;
        }
        Response r = withoutNetwork(c, true);
        if (r == null) {
            c.close();
        }
        return r;
    }

    /** Returns the stored response if it may be used without the network, else null (c stays open). */
    private Response withoutNetwork(Candidate c, boolean fromGet) {
        if (reqCC.noCache() || c.cc.noCache()) {
            return null;
        }
        long maxAge = reqCC.maxAge();
        if (maxAge != CacheControl.ABSENT && c.age > maxAge * 1000) {
            return null;
        }
        if (c.fresh()) {
            long minFresh = reqCC.minFresh();
            if (minFresh != CacheControl.ABSENT && c.lifetime - c.age < minFresh * 1000) {
                return null;
            }
            return serve(c, status(true, null, 0, c.ttlSeconds(), false, null), fromGet);
        }
        if (rt.policy.mustRevalidate(c.cc)) {
            return null;
        }
        long maxStale = reqCC.maxStale();
        if (maxStale != CacheControl.ABSENT && (maxStale == CacheControl.ANY || c.staleness() <= maxStale * 1000)) {
            return serve(c, status(true, null, 0, c.ttlSeconds(), false, "max-stale"), fromGet);
        }
        long swr = c.cc.staleWhileRevalidate();
        if (!fromGet && swr != CacheControl.ABSENT && c.staleness() <= swr * 1000) {
            rt.revalidateInBackground(request, c.key);
            return serve(c, status(true, null, 0, c.ttlSeconds(), false, "stale-while-revalidate"), false);
        }
        return null;
    }

    /** Forwards a (conditional, when possible) request for the stored response {@code c}. */
    private Response validate(Candidate c) throws IOException {
        Request conditional = conditional(c);
        String fwd = c.fresh() && !c.cc.noCache() ? "request" : "stale";
        long requestTime = rt.clock.millis();
        Response net;
        try {
            net = rt.next.roundTrip(conditional);
        } catch (IOException e) {
            if (!background && !(e instanceof RequestCanceledException) && staleIfError(c)) {
                return serve(c, status(false, fwd, 0, c.ttlSeconds(), false, "stale-if-error"), false);
            }
            c.close();
            throw e;
        } catch (RuntimeException | Error e) {
            c.close(); // whatever the next RoundTripper throws, the entry is released
            throw e;
        }
        long responseTime = rt.clock.millis();
        int s = net.status();
        if (s == 304 && conditional != request) {
            net.close();
            if (!validatorMatches(c, net.headers(), responseTime)) {
                c.close(); // 4.3.4: the 304 is for another representation; ask again without conditions
                return forward(fwd, c.key);
            }
            Headers merged = StoredHeaders.merge(c.headers, net.headers());
            String notKept = notKept(c, net.headers(), merged);
            if (notKept != null) {
                rt.storer.remove(request, c.key); // the entry still holds the old fields: it must not answer again
            }
            Candidate f = rt.storer.freshen(request, c, merged, net.protocol(), requestTime, responseTime,
                    rt.clock.millis(), notKept == null && !reqCC.noStore());
            return serve(f, status(false, fwd, 304, f.ttlSeconds(), false, notKept), false, net.timings());
        }
        if (!background && (s == 500 || s == 502 || s == 503 || s == 504) && staleIfError(c)) {
            net.close();
            return serve(c, status(false, fwd, s, c.ttlSeconds(), false, "stale-if-error"), false, net.timings());
        }
        c.close();
        return fromNetwork(net, requestTime, responseTime, fwd, c.key);
    }

    /**
     * Returns null if the stored response of {@code c} may be freshened with {@code merged}, else
     * why not, as a {@code Cache-Status} detail: {@value #NO_STORE} when the 304 says
     * {@code no-store} (3: the updated response may not be stored), {@value #VARY_CHANGED} when it
     * changes the {@code Vary} names (4.1: the entry was selected with the old ones, so it would
     * answer requests the new ones tell apart). The response is then served once, to this request,
     * which the 304 validated it for, and the entry is removed.
     */
    private static String notKept(Candidate c, Headers h304, Headers merged) {
        if (CacheControl.of(h304).noStore()) {
            return NO_STORE;
        }
        if (!CacheKeys.varyNames(merged).equals(CacheKeys.varyNames(c.headers))) {
            return VARY_CHANGED;
        }
        return null;
    }

    private Request conditional(Candidate c) {
        String etag = c.etag();
        String lastModified = c.lastModified();
        if (etag == null && lastModified == null) {
            return request;
        }
        Request.Builder b = request.toBuilder();
        if (etag != null) {
            b.setHeader("If-None-Match", etag);
        }
        if (lastModified != null) {
            b.setHeader("If-Modified-Since", lastModified);
        }
        return b.build();
    }

    /**
     * Returns true if a 304 applies to {@code c} (4.3.4): its strong ETag equals the stored one
     * (a weak one compares weakly); without an ETag, its Last-Modified equals the stored one;
     * without validators, it answers the conditions made from {@code c}.
     */
    private static boolean validatorMatches(Candidate c, Headers h304, long now) {
        String etag = h304.first("ETag");
        if (etag != null) {
            String mine = c.etag();
            if (mine == null) {
                return false;
            }
            return etag.startsWith("W/") ? opaque(etag).equals(opaque(mine)) : etag.trim().equals(mine.trim());
        }
        String lm = h304.first("Last-Modified");
        if (lm != null && c.lastModified() != null) {
            return HttpDates.parse(lm, now) == HttpDates.parse(c.lastModified(), now);
        }
        return true;
    }

    private static String opaque(String etag) {
        String t = etag.trim();
        return t.startsWith("W/") ? t.substring(2) : t;
    }

    /** Returns true if RFC 5861 {@code stale-if-error} (request's or response's) allows serving {@code c} on an error. */
    private boolean staleIfError(Candidate c) {
        if (rt.policy.mustRevalidate(c.cc) || c.cc.noCache()) {
            return false;
        }
        long window = Math.max(reqCC.staleIfError(), c.cc.staleIfError());
        return window != CacheControl.ABSENT && c.staleness() <= window * 1000;
    }

    /** Sends the request as it is; {@code oldKey} is the stored entry it replaces, or null. */
    private Response forward(String fwd, String oldKey) throws IOException {
        long requestTime = rt.clock.millis();
        Response net = rt.next.roundTrip(request);
        return fromNetwork(net, requestTime, rt.clock.millis(), fwd, oldKey);
    }

    /**
     * Stores the network response if allowed and returns it; a response that may not be stored
     * removes the entry {@code oldKey} it answered a validation for, unless it is a server error.
     */
    private Response fromNetwork(Response net, long requestTime, long responseTime, String fwd, String oldKey) {
        String why = rt.storer.unstorable(request, reqCC, net, responseTime);
        Response out = net;
        Long ttl = null;
        if (why == null) {
            Response teed = rt.storer.store(request, primaryKey, net, requestTime, responseTime);
            if (teed != null) {
                out = teed;
                CacheControl cc = CacheControl.of(net.headers());
                long life = rt.policy.lifetime(net.status(), net.headers(), cc, responseTime);
                long age = Freshness.currentAge(net.headers(), requestTime, responseTime, responseTime);
                ttl = Math.floorDiv(life - age, 1000);
            } else {
                why = "store-failed";
            }
        } else if (oldKey != null && net.status() < 500) {
            rt.storer.remove(request, oldKey); // replaced by a response that may not be stored; a 5xx changes nothing
        }
        CacheStatus st = status(false, fwd, net.status(), ttl, ttl != null, why);
        return respond(out.toBuilder().request(request)
                .headers(StoredHeaders.served(out.headers(), -1, st.toHeaderValue())).build(), st);
    }

    /** Returns the stored response of {@code c} with {@code Age} and {@code st}; no network timings. */
    private Response serve(Candidate c, CacheStatus st, boolean headOnly) {
        return serve(c, st, headOnly, Timings.NONE);
    }

    /**
     * Returns the stored response of {@code c}, read from the store, with {@code Age}, {@code st},
     * and the timings of the exchange that validated it ({@link Timings#NONE} when none did).
     */
    private Response serve(Candidate c, CacheStatus st, boolean headOnly, Timings timings) {
        Headers h = StoredHeaders.served(c.headers, c.ageSeconds(), st.toHeaderValue());
        InputStream body;
        if (headOnly || request.method().equals("HEAD")) {
            c.close();
            body = InputStream.nullInputStream();
        } else {
            body = new EntryBody(c.stored.body(), c);
        }
        Response r = c.stored.toBuilder().request(request).headers(h).body(body, c.stored.contentLength())
                .timings(timings).build();
        return respond(r, st);
    }

    /** Answers {@code only-if-cached} with nothing usable: 504 (5.2.1.7), no network. */
    private Response unsatisfiable() {
        CacheStatus st = status(false, null, 0, null, false, "only-if-cached");
        Response r = Response.builder().request(request).status(504, "Gateway Timeout")
                .headers(Headers.of("Content-Length", "0", "Cache-Status", st.toHeaderValue()))
                .body(new byte[0]).build();
        return respond(r, st);
    }

    private CacheStatus status(boolean hit, String fwd, int fwdStatus, Long ttl, boolean stored, String detail) {
        return new CacheStatus(rt.name, hit, fwd, fwdStatus, ttl, stored, detail);
    }

    /** Reports {@code st} (a background revalidation is reported by its caller, once its body is stored). */
    private Response respond(Response r, CacheStatus st) {
        if (!background) {
            rt.events.response(request, st);
        }
        return r;
    }

    /** The body of a response served from the store: closing it releases the store entry. */
    private static final class EntryBody extends FilterInputStream {
        private final Candidate c;

        EntryBody(InputStream in, Candidate c) {
            super(in);
            this.c = c;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                c.close();
            }
        }
    }
}
