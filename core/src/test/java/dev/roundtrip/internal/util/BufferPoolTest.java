package dev.roundtrip.internal.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shared pool of buffers: reuse, its bound, arrays of another size, and no array handed out twice. */
class BufferPoolTest {
    @Test
    void anArrayGivenBackIsTheNextOneTaken() {
        BufferPool p = new BufferPool(64, 4);
        byte[] a = p.take();
        assertThat(a).hasSize(64);
        assertThat(p.free()).isZero();
        p.give(a);
        assertThat(p.free()).isEqualTo(1);
        assertThat(p.take()).isSameAs(a);
        assertThat(p.take()).isNotSameAs(a).hasSize(64); // empty again: a new one
    }

    @Test
    void aFullPoolDropsWhatIsGivenBackAndArraysOfAnotherSizeAreNeverKept() {
        BufferPool p = new BufferPool(16, 3); // rounded up to 4 slots
        for (int i = 0; i < 10; i++) {
            p.give(new byte[16]);
        }
        assertThat(p.free()).isEqualTo(4);
        p.give(new byte[32]);
        p.give(null);
        Set<byte[]> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 4; i++) {
            taken.add(p.take());
        }
        assertThat(taken).hasSize(4).allSatisfy(b -> assertThat(b).hasSize(16));
        assertThat(p.free()).isZero();
    }

    @Test
    void transportsShareOneProcessWidePoolPerSize() {
        assertThat(BufferPool.shared(4096)).isSameAs(BufferPool.shared(4096));
        assertThat(BufferPool.shared(4096)).isNotSameAs(BufferPool.shared(2048));
        assertThat(BufferPool.shared(2048).arraySize()).isEqualTo(2048);
    }

    @Test
    void sizesMustBePositive() {
        assertThatThrownBy(() -> new BufferPool(0, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("arraySize and slots");
        assertThatThrownBy(() -> new BufferPool(8, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void underContentionNoArrayIsHeldByTwoTakersAtOnce() throws Exception {
        BufferPool p = new BufferPool(8, 4);
        Set<byte[]> held = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        AtomicInteger doubles = new AtomicInteger();
        Race.Started race = Race.start(4, thread -> {
            for (int i = 0; i < 20_000; i++) {
                byte[] b = p.take();
                if (!held.add(b)) {
                    doubles.incrementAndGet();
                }
                held.remove(b);
                p.give(b);
            }
        });
        race.go();
        assertThat(race.await(Duration.ofSeconds(60))).isTrue();
        assertThat(doubles).hasValue(0);
        assertThat(p.free()).isBetween(1, 4);
    }

    @Test
    void tryTakeLendsOnlyWhatWasGivenBack() {
        BufferPool pool = new BufferPool(64, 2);
        assertThat(pool.tryTake()).as("an empty pool makes nothing").isNull();
        byte[] a = new byte[64];
        byte[] b = new byte[64];
        pool.give(a);
        pool.give(b);
        byte[] first = pool.tryTake();
        byte[] second = pool.tryTake();
        assertThat(java.util.List.of(first, second)).containsExactlyInAnyOrder(a, b);
        assertThat(pool.tryTake()).isNull();
        assertThat(pool.take()).as("take makes a new array when none is free").hasSize(64).isNotSameAs(a).isNotSameAs(b);
    }
}
