package dev.roundtrip;

import dev.roundtrip.internal.client.InMemoryCookieJar;
import java.time.Clock;

/** TestCookieJars makes the in-memory jar on a test's clock, as {@link CookieJar#inMemory()} does on the system's. */
public final class TestCookieJars {
    private TestCookieJars() {
    }

    /** Returns an empty in-memory jar whose cookies expire by {@code clock}. */
    public static InMemoryCookieJar inMemory(Clock clock) {
        return new InMemoryCookieJar(clock, Cookie::withEffectiveAttributes);
    }
}
