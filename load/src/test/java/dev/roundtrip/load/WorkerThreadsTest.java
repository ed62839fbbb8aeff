package dev.roundtrip.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

/** {@link WorkerThreads}: named daemon platform threads, and virtual threads where the JDK has them. */
class WorkerThreadsTest {
    @Test
    void platformThreadsAreNamedDaemons() {
        ThreadFactory f = WorkerThreads.factory(false, "w");
        Thread a = f.newThread(() -> { });
        Thread b = f.newThread(() -> { });
        assertThat(a.getName()).isEqualTo("w-0");
        assertThat(b.getName()).isEqualTo("w-1");
        assertThat(a.isDaemon()).isTrue();
    }

    @Test
    void virtualThreadsWhereTheJdkHasThemAndAClearErrorWhereNot() {
        if (Runtime.version().feature() >= 21) {
            assertThat(WorkerThreads.virtualAvailable()).isTrue();
            Thread t = WorkerThreads.factory(true, "v").newThread(() -> { });
            assertThat(t.getName()).isEqualTo("v-0");
        } else {
            assertThat(WorkerThreads.virtualAvailable()).isFalse();
            assertThatThrownBy(() -> WorkerThreads.factory(true, "v"))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("JDK 21 or later");
        }
    }
}
