package dev.roundtrip.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** RFC 9110 5.6.7: the three HTTP-date forms a recipient must accept. */
class HttpDatesTest {
    private static final long NOW = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
    private static final long SAMPLE = Instant.parse("1994-11-06T08:49:37Z").toEpochMilli();

    @Test
    void parsesTheThreeForms() {
        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).isEqualTo(SAMPLE);
        assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).isEqualTo(SAMPLE);
        assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994", NOW)).isEqualTo(SAMPLE);
    }

    @Test
    void aTwoDigitYearMoreThanFiftyYearsAheadIsInThePastCentury() {
        assertThat(HttpDates.parse("Monday, 01-Jan-30 00:00:00 GMT", NOW))
                .isEqualTo(Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
        assertThat(HttpDates.parse("Friday, 01-Jan-99 00:00:00 GMT", NOW))
                .isEqualTo(Instant.parse("1999-01-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void invalidValuesAreInvalid() {
        for (String v : new String[] {"0", "-1", "", "Sun, 06 Nov 1994 08:49:37", "tomorrow",
                "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 PST"}) {
            assertThat(HttpDates.parse(v, NOW)).as(v).isEqualTo(HttpDates.INVALID);
        }
        assertThat(HttpDates.parse(null, NOW)).isEqualTo(HttpDates.INVALID);
    }

    @Test
    void formatsAnImfFixdate() {
        assertThat(HttpDates.format(SAMPLE)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDates.parse(HttpDates.format(NOW), NOW)).isEqualTo(NOW);
    }
}
