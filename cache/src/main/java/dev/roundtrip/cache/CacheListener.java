package dev.roundtrip.cache;

import dev.roundtrip.Request;
import java.io.IOException;

/**
 * CacheListener hears what a {@link CachingRoundTripper} does, for logs and metrics. Set it with
 * {@link CachingRoundTripper.Builder#listener}.
 *
 * <p>Methods run on the thread doing the work (the caller's; for background revalidation a
 * background thread) and must not block. A method that throws a {@code RuntimeException} does
 * not break the request: the exception is logged (logger {@code dev.roundtrip.cache}, level
 * WARNING) and ignored.
 */
@FunctionalInterface
public interface CacheListener {
    /** A listener that does nothing. */
    CacheListener NONE = (request, status) -> { };

    /**
     * Called once per round trip, just before the response is returned, with the status that is
     * also in its {@code Cache-Status} field.
     */
    void onResponse(Request request, CacheStatus status);

    /** Called when a response body reached its end intact and the entry was committed to the store. */
    default void onStored(Request request, long bodyBytes) {
    }

    /** Called when the store failed (the response was still served; it is just not stored or updated). */
    default void onStoreFailed(Request request, IOException error) {
    }

    /**
     * Called when a background revalidation ({@code stale-while-revalidate}) ends, with its status
     * ({@link CacheOutcome#REVALIDATED} or {@link CacheOutcome#MISS}), or with the error that made
     * it fail (then {@code status} is null).
     */
    default void onBackgroundRevalidation(Request request, CacheStatus status, IOException error) {
    }
}
