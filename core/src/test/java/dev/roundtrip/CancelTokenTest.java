package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.Race;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The token's registrations: run once on cancel, at once when late, never once removed; under races too. */
class CancelTokenTest {
    @Test
    void cancelRunsEveryRegisteredActionOnceAndStaysCanceled() {
        CancelToken t = CancelToken.create();
        List<String> ran = new ArrayList<>();
        t.onCancel(() -> ran.add("a"));
        t.onCancel(() -> ran.add("b"));
        t.onCancel(() -> ran.add("c"));
        assertThat(t.isCanceled()).isFalse();

        t.cancel();
        t.cancel();

        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(t.isCanceled()).isTrue();
    }

    @Test
    void anActionRegisteredAfterTheCancelRunsAtOnce() {
        CancelToken t = CancelToken.create();
        t.cancel();
        AtomicInteger ran = new AtomicInteger();
        Runnable unregister = t.onCancel(ran::incrementAndGet);
        assertThat(ran).hasValue(1);
        unregister.run(); // harmless
        assertThat(ran).hasValue(1);
    }

    @Test
    void aRemovedActionDoesNotRunAndTheOthersStill() {
        CancelToken t = CancelToken.create();
        List<String> ran = new ArrayList<>();
        Runnable a = t.onCancel(() -> ran.add("a"));
        Runnable b = t.onCancel(() -> ran.add("b"));
        Runnable c = t.onCancel(() -> ran.add("c"));
        b.run();
        b.run(); // twice: still one removal
        t.onCancel(() -> ran.add("d"));
        a.run();

        t.cancel();

        assertThat(ran).containsExactly("c", "d");
        c.run(); // after the cancel: nothing to remove
    }

    @Test
    void theOnlyActionRemovedLeavesNothingToRun() {
        CancelToken t = CancelToken.create();
        AtomicInteger ran = new AtomicInteger();
        t.onCancel(ran::incrementAndGet).run();
        t.cancel();
        assertThat(ran).hasValue(0);
    }

    @Test
    void registrationsRacingTheCancelEachRunExactlyOnce() throws Exception {
        for (int round = 0; round < 50; round++) {
            CancelToken t = CancelToken.create();
            int threads = 4;
            int each = 200;
            AtomicInteger ran = new AtomicInteger();
            Race.Started race = Race.start(threads, thread -> {
                for (int k = 0; k < each; k++) {
                    Runnable undo = t.onCancel(ran::incrementAndGet);
                    if (k % 3 == 0) {
                        undo.run(); // removed: runs only if the cancel came first
                    }
                }
            });
            race.go();
            t.cancel();
            assertThat(race.await(Duration.ofSeconds(30))).isTrue();
            int kept = threads * (each - (each + 2) / 3);
            // every kept action ran once (before or at the cancel, or at once after it); a removed one at most once
            assertThat(ran.get()).isBetween(kept, threads * each);
            t.cancel();
            assertThat(ran.get()).isBetween(kept, threads * each);
        }
    }
}
