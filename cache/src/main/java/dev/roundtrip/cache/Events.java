package dev.roundtrip.cache;

import dev.roundtrip.Request;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Events counts what the cache does and tells the {@link CacheListener}, guarding every listener
 * call: a listener that throws is logged and ignored, never breaking a request.
 */
final class Events {
    private static final System.Logger LOG = System.getLogger("dev.roundtrip.cache");

    private final CacheListener listener;
    private final LongAdder hits = new LongAdder();
    private final LongAdder stale = new LongAdder();
    private final LongAdder revalidated = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder bypasses = new LongAdder();
    private final LongAdder unsatisfiable = new LongAdder();
    private final LongAdder background = new LongAdder();
    private final LongAdder stores = new LongAdder();
    private final LongAdder storeFailures = new LongAdder();

    Events(CacheListener listener) {
        this.listener = listener;
    }

    /** Counts and reports the status of a response about to be returned to the caller. */
    void response(Request request, CacheStatus status) {
        switch (status.outcome()) {
            case HIT: hits.increment(); break;
            case STALE: stale.increment(); break;
            case REVALIDATED: revalidated.increment(); break;
            case MISS: misses.increment(); break;
            case BYPASS: bypasses.increment(); break;
            default: unsatisfiable.increment(); break;
        }
        try {
            listener.onResponse(request, status);
        } catch (RuntimeException e) {
            failed("onResponse", e);
        }
    }

    void stored(Request request, long bodyBytes) {
        stores.increment();
        try {
            listener.onStored(request, bodyBytes);
        } catch (RuntimeException e) {
            failed("onStored", e);
        }
    }

    void storeFailed(Request request, IOException error) {
        storeFailures.increment();
        try {
            listener.onStoreFailed(request, error);
        } catch (RuntimeException e) {
            failed("onStoreFailed", e);
        }
    }

    void backgroundRevalidation(Request request, CacheStatus status, IOException error) {
        background.increment();
        try {
            listener.onBackgroundRevalidation(request, status, error);
        } catch (RuntimeException e) {
            failed("onBackgroundRevalidation", e);
        }
    }

    CacheStats snapshot(CacheStore store) {
        return new CacheStats(hits.sum(), stale.sum(), revalidated.sum(), misses.sum(), bypasses.sum(),
                unsatisfiable.sum(), background.sum(), stores.sum(), storeFailures.sum(), store.size(),
                store.entryCount(), store.evictionCount());
    }

    private static void failed(String method, RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "CacheListener." + method + " threw; ignored", e);
    }
}
