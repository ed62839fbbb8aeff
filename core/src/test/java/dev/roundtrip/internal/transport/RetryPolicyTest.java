package dev.roundtrip.internal.transport;

import static dev.roundtrip.internal.exchange.RetryVerdict.NEVER;
import static dev.roundtrip.internal.exchange.RetryVerdict.NOTHING_RECEIVED;
import static dev.roundtrip.internal.exchange.RetryVerdict.NOTHING_WRITTEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.exchange.RetryVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one retry decision, as the table of Go's TestTransportShouldRetryRequest (reference §4),
 * plus the bound and cancellation.
 */
class RetryPolicyTest {

    @ParameterizedTest(name = "{0} reused={1} bodyReplayable={2} idempotent={3} -> {4}")
    @CsvSource({
        // Go's table: a fresh connection is never retried
        "NOTHING_WRITTEN,  false, true,  false, false",
        // reused, POST without a body, nothing written
        "NOTHING_WRITTEN,  true,  true,  false, true",
        // reused, POST, the read of the response failed before any byte
        "NOTHING_RECEIVED, true,  true,  false, false",
        // reused, GET, the same
        "NOTHING_RECEIVED, true,  true,  true,  true",
        // reused, POST with a replayable body (GetBody), nothing written
        "NOTHING_WRITTEN,  true,  true,  false, true",
        // reused, POST with a one-shot body, nothing written
        "NOTHING_WRITTEN,  true,  false, false, false",
        // reused, GET with a one-shot body, nothing received
        "NOTHING_RECEIVED, true,  false, true,  false",
        // response bytes arrived, or a timeout, a cancel, the caller's own body failing
        "NEVER,            true,  true,  true,  false",
    })
    void goesByGosTable(RetryVerdict verdict, boolean reused, boolean bodyReplayable, boolean idempotent,
                        boolean expected) {
        assertThat(RetryPolicy.shouldRetry(verdict, 1, reused, bodyReplayable, idempotent, false)).isEqualTo(expected);
    }

    @Test
    void stopsAtTheBound() {
        for (int attempt = 1; attempt < RetryPolicy.MAX_ATTEMPTS; attempt++) {
            assertThat(RetryPolicy.shouldRetry(NOTHING_RECEIVED, attempt, true, true, true, false)).as("attempt %d", attempt)
                    .isTrue();
        }
        assertThat(RetryPolicy.shouldRetry(NOTHING_RECEIVED, RetryPolicy.MAX_ATTEMPTS, true, true, true, false)).isFalse();
    }

    @Test
    void aCanceledRequestIsNeverRetried() {
        assertThat(RetryPolicy.shouldRetry(NOTHING_WRITTEN, 1, true, true, true, true)).isFalse();
        assertThat(RetryPolicy.shouldRetry(NEVER, 1, true, true, true, false)).isFalse();
    }
}
