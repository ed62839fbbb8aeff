package dev.roundtrip.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A burst counts failures by type, and gives up on requests that outlive its bound. */
class BurstTest {
    @Test
    void failuresAreCountedByType() throws Exception {
        Burst b = Burst.prepare(10);
        b.start(i -> {
            if (i % 2 == 1) {
                throw new IOException("odd " + i);
            }
        });
        assertThat(b.await(Duration.ofSeconds(30))).isTrue();
        Burst.Result r = b.result();
        assertThat(r.completed()).isEqualTo(5);
        assertThat(r.failed()).isEqualTo(5);
        assertThat(r.errors()).containsEntry("IOException", 5L);
        assertThat(r.firstError()).startsWith("java.io.IOException: odd ");
        assertThat(r.errorCount()).isEqualTo(5);
    }

    @Test
    void requestsPastTheBoundAreInterruptedAndCounted() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Burst b = Burst.prepare(3);
        b.start(i -> never.await());
        assertThat(b.await(Duration.ofMillis(100))).isFalse();
        Burst.Result r = b.result();
        assertThat(r.completed()).isZero();
        assertThat(r.errorCount()).isEqualTo(3);
        assertThat(r.errors()).containsEntry("InterruptedException", 3L);
    }
}
