package dev.roundtrip.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Headers;
import org.junit.jupiter.api.Test;

/** RFC 9111 5.2: Cache-Control parsing. */
class CacheControlTest {

    private static CacheControl cc(String... fields) {
        Headers.Builder b = Headers.builder();
        for (String f : fields) {
            b.add("Cache-Control", f);
        }
        return CacheControl.of(b.build());
    }

    @Test
    void directivesAreCaseInsensitiveAndAcrossFieldLines() {
        CacheControl c = cc("Max-Age=60, PUBLIC", "no-cache=\"Set-Cookie, X-A\"", "stale-if-error=\"30\"");
        assertThat(c.maxAge()).isEqualTo(60);
        assertThat(c.isPublic()).isTrue();
        assertThat(c.noCache()).isTrue();
        assertThat(c.staleIfError()).isEqualTo(30);
        assertThat(c.noStore()).isFalse();
        assertThat(c.maxStale()).isEqualTo(CacheControl.ABSENT);
    }

    @Test
    void theFirstOccurrenceCounts() {
        assertThat(cc("max-age=10, max-age=1000").maxAge()).isEqualTo(10);
        assertThat(cc("max-age=10", "max-age=1000").maxAge()).isEqualTo(10);
    }

    @Test
    void invalidOrHugeDeltaSeconds() {
        assertThat(cc("max-age=abc").maxAge()).isZero();
        assertThat(cc("max-age=").maxAge()).isZero();
        assertThat(cc("max-age=99999999999999999999").maxAge()).isEqualTo(2147483648L);
    }

    @Test
    void maxStaleWithoutAValueMeansAny() {
        assertThat(cc("max-stale").maxStale()).isEqualTo(CacheControl.ANY);
        assertThat(cc("max-stale=5").maxStale()).isEqualTo(5);
    }

    @Test
    void pragmaNoCacheCountsOnlyWithoutCacheControl() {
        assertThat(CacheControl.of(Headers.of("Pragma", "no-cache")).noCache()).isTrue();
        assertThat(CacheControl.of(Headers.of("Pragma", "foo, no-cache")).noCache()).isTrue();
        assertThat(CacheControl.of(Headers.of("Pragma", "no-cache", "Cache-Control", "max-age=5")).noCache())
                .isFalse();
        assertThat(CacheControl.of(Headers.empty()).has("no-cache")).isFalse();
    }

    @Test
    void strayQuotesAndEmptyElementsDoNotBreakParsing() {
        CacheControl c = cc(",, private=\"a,\\\"b\" ,  ,must-revalidate,");
        assertThat(c.isPrivate()).isTrue();
        assertThat(c.mustRevalidate()).isTrue();
    }
}
