package dev.roundtrip.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What each run's client JVMs warm up on: every shape its points measure, once, in their order. */
class ScheduleTest {
    private static List<String> measured(Schedule s) {
        return s.points().stream().map(p -> p.path() + "," + p.threads() + "," + p.concurrency()).distinct()
                .collect(Collectors.toList());
    }

    @Test
    void theWarmUpCoversEveryMeasuredShape() {
        for (Schedule s : List.of(Schedule.http2(false, true), Schedule.http2(false, false), Schedule.full(true),
                Schedule.quick(true), Schedule.http2(true, true))) {
            List<String> shapes = Arrays.asList(s.warmupShapes().split(" "));
            assertThat(shapes).as(s.mode()).containsExactlyElementsOf(measured(s));
        }
        assertThat(Schedule.http2(false, false).warmupShapes())
                .contains("/64k,platform,64", "/64k,platform,256", "/,platform,256")
                .doesNotContain("virtual");
    }
}
