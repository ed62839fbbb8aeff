package dev.roundtrip.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.bench.run.Schedule;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a client JVM warms up on, from what the runner sends: every shape the run's points measure
 * (Schedule.warmupShapes, parsed back by PeerMain.phases), so that no measured point runs code the
 * warm-up left uncompiled; the virtual ones only where the JDK has virtual threads.
 */
class WarmupShapesTest {
    private static List<PeerMain.Phase> measured(Schedule s, boolean virtualAvailable) {
        return s.points().stream().filter(p -> virtualAvailable || !p.threads().equals("virtual"))
                .map(p -> new PeerMain.Phase(p.path(), p.threads().equals("virtual"), p.concurrency())).distinct()
                .toList();
    }

    @Test
    void everyMeasuredShapeIsWarmedUpOnce() {
        for (Schedule s : List.of(Schedule.http2(false, true), Schedule.full(true), Schedule.quick(true),
                Schedule.http2(true, true))) {
            List<String> sent = Arrays.asList(s.warmupShapes().split(" "));
            assertThat(PeerMain.phases(sent, true)).as(s.mode()).containsExactlyElementsOf(measured(s, true));
            assertThat(PeerMain.phases(sent, false)).as(s.mode() + " without virtual threads")
                    .containsExactlyElementsOf(measured(s, false));
        }
        assertThat(PeerMain.phases(Arrays.asList(Schedule.http2(false, false).warmupShapes().split(" ")), true))
                .contains(new PeerMain.Phase("/64k", false, 64), new PeerMain.Phase("/64k", false, 256),
                        new PeerMain.Phase("/", false, 256))
                .noneMatch(PeerMain.Phase::virtual);
    }

    @Test
    void noShapeOrAMalformedOneIsRefused() {
        assertThatThrownBy(() -> PeerMain.phases(List.of(), true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerMain.phases(List.of("/,carrier,16"), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/,carrier,16");
    }
}
