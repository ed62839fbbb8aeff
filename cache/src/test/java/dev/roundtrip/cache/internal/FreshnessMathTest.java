package dev.roundtrip.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Headers;
import org.junit.jupiter.api.Test;

/** RFC 9111 4.2.3 (age) and 4.2.1/4.2.2 (lifetime), as arithmetic. */
class FreshnessMathTest {
    private static final long T = 1_700_000_000_000L;

    @Test
    void currentAgeFollowsTheFormula() {
        Headers h = Headers.of("Date", HttpDates.format(T - 5_000), "Age", "3");
        // request sent at T-2s, response at T: apparent_age 5, corrected_age_value 3+2 = 5,
        // corrected_initial_age 5, resident 10 s
        assertThat(Freshness.currentAge(h, T - 2_000, T, T + 10_000)).isEqualTo(15_000);
        Headers slowNetwork = Headers.of("Date", HttpDates.format(T), "Age", "1");
        // corrected_age_value 1 + 4 (response delay) beats apparent_age 0
        assertThat(Freshness.currentAge(slowNetwork, T - 4_000, T, T)).isEqualTo(5_000);
        Headers future = Headers.of("Date", HttpDates.format(T + 60_000));
        assertThat(Freshness.currentAge(future, T, T, T)).isZero(); // a clock ahead: never negative
        assertThat(Freshness.currentAge(Headers.of("Age", "junk"), T, T, T + 1_000)).isEqualTo(1_000);
    }

    @Test
    void lifetimeByPrecedence() {
        CacheControl none = CacheControl.of(Headers.empty());
        Headers expires = Headers.of("Date", HttpDates.format(T), "Expires", HttpDates.format(T + 30_000));
        assertThat(Freshness.lifetime(200, expires, none, T, 0)).isEqualTo(30_000);
        Headers both = Headers.of("Date", HttpDates.format(T), "Expires", HttpDates.format(T + 30_000),
                "Cache-Control", "max-age=7");
        assertThat(Freshness.lifetime(200, both, CacheControl.of(both), T, 0)).isEqualTo(7_000);
        Headers past = Headers.of("Date", HttpDates.format(T), "Expires", HttpDates.format(T - 30_000));
        assertThat(Freshness.lifetime(200, past, none, T, 0)).isZero();
        Headers lm = Headers.of("Date", HttpDates.format(T), "Last-Modified", HttpDates.format(T - 1_000_000));
        assertThat(Freshness.lifetime(200, lm, none, T, Long.MAX_VALUE)).isEqualTo(100_000);
        assertThat(Freshness.lifetime(200, lm, none, T, 50_000)).isEqualTo(50_000);
        assertThat(Freshness.lifetime(307, lm, none, T, Long.MAX_VALUE)).isZero();
        assertThat(Freshness.isHeuristic(lm, none)).isTrue();
        assertThat(Freshness.isHeuristic(both, CacheControl.of(both))).isFalse();
    }
}
