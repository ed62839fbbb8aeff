package dev.roundtrip.internal.transport;

import static dev.roundtrip.internal.exchange.RetryVerdict.NEVER;
import static dev.roundtrip.internal.exchange.RetryVerdict.NOTHING_RECEIVED;
import static dev.roundtrip.internal.exchange.RetryVerdict.NOTHING_WRITTEN;
import static dev.roundtrip.internal.exchange.RetryVerdict.NOT_PROCESSED;
import static dev.roundtrip.internal.transport.RetryPolicy.Decision.CANCELED;
import static dev.roundtrip.internal.transport.RetryPolicy.Decision.FAIL;
import static dev.roundtrip.internal.transport.RetryPolicy.Decision.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.exchange.RetryVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The one retry decision, as the table of Go's TestTransportShouldRetryRequest (reference §4),
 * plus the bound and cancellation: a cancel wins over a failure that would have been retried, and
 * only over such a failure.
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
        assertThat(RetryPolicy.decide(verdict, 1, reused, bodyReplayable, idempotent, false))
                .isEqualTo(expected ? RETRY : FAIL);
    }

    @Test
    void stopsAtTheBound() {
        for (int attempt = 1; attempt < RetryPolicy.MAX_ATTEMPTS; attempt++) {
            assertThat(RetryPolicy.decide(NOTHING_RECEIVED, attempt, true, true, true, false)).as("attempt %d", attempt)
                    .isEqualTo(RETRY);
        }
        assertThat(RetryPolicy.decide(NOTHING_RECEIVED, RetryPolicy.MAX_ATTEMPTS, true, true, true, false)).isEqualTo(FAIL);
    }

    @Test
    void aCanceledRequestIsNeverRetriedAndTheCancelWinsOverAFailureThatWouldHaveBeen() {
        assertThat(RetryPolicy.decide(NOTHING_WRITTEN, 1, true, true, true, true)).isEqualTo(CANCELED);
        assertThat(RetryPolicy.decide(NOTHING_RECEIVED, 1, true, true, true, true)).isEqualTo(CANCELED);
        assertThat(RetryPolicy.decide(NOT_PROCESSED, 1, false, true, false, true)).isEqualTo(CANCELED);
    }

    @Test
    void aCanceledRequestWhoseFailureWouldNotHaveBeenRetriedGetsTheAttemptsError() {
        // Go returns such an error without looking at the request's context (reference §4).
        assertThat(RetryPolicy.decide(NEVER, 1, true, true, true, true)).isEqualTo(FAIL);
        assertThat(RetryPolicy.decide(NOTHING_RECEIVED, 1, false, true, true, true)).as("fresh connection").isEqualTo(FAIL);
        assertThat(RetryPolicy.decide(NOTHING_RECEIVED, 1, true, true, false, true)).as("not idempotent").isEqualTo(FAIL);
        assertThat(RetryPolicy.decide(NOT_PROCESSED, 1, true, false, true, true)).as("one-shot body").isEqualTo(FAIL);
        assertThat(RetryPolicy.decide(NOT_PROCESSED, RetryPolicy.MAX_ATTEMPTS, true, true, true, true)).as("bound")
                .isEqualTo(FAIL);
    }
}
