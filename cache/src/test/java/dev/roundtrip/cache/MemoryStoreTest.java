package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** MemoryStore: all-or-nothing commits, snapshots, LRU eviction by bytes. */
class MemoryStoreTest {

    static void put(CacheStore s, String key, String meta, String body) throws IOException {
        try (CacheStore.Editor e = s.edit(key)) {
            e.body().write(body.getBytes(StandardCharsets.UTF_8));
            e.commit(meta.getBytes(StandardCharsets.UTF_8));
        }
    }

    static String body(CacheStore s, String key) throws IOException {
        try (CacheStore.Entry e = s.open(key)) {
            return e == null ? null : new String(e.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String meta(CacheStore s, String key) throws IOException {
        try (CacheStore.Entry e = s.open(key)) {
            return e == null ? null : new String(e.metadata(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anEntryIsVisibleOnlyOnceCommitted() throws IOException {
        MemoryStore s = MemoryStore.create(1000);
        CacheStore.Editor e = s.edit("k");
        e.body().write(new byte[] {1, 2, 3});
        assertThat(s.open("k")).isNull();
        e.close(); // abandoned
        assertThat(s.open("k")).isNull();
        put(s, "k", "m", "body");
        assertThat(body(s, "k")).isEqualTo("body");
        assertThat(meta(s, "k")).isEqualTo("m");
        assertThat(s.size()).isEqualTo(5);
        assertThat(s.entryCount()).isEqualTo(1);
    }

    @Test
    void aSnapshotSurvivesReplacementAndRemoval() throws IOException {
        MemoryStore s = MemoryStore.create(1000);
        put(s, "k", "m1", "one");
        CacheStore.Entry old = s.open("k");
        put(s, "k", "m2", "two");
        s.remove("k");
        assertThat(new String(old.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("one");
        assertThat(old.updateMetadata("x".getBytes(StandardCharsets.UTF_8))).isFalse(); // no longer current
        assertThat(s.open("k")).isNull();
    }

    @Test
    void updateMetadataKeepsTheBody() throws IOException {
        MemoryStore s = MemoryStore.create(1000);
        put(s, "k", "m1", "body");
        try (CacheStore.Entry e = s.open("k")) {
            assertThat(e.updateMetadata("m22".getBytes(StandardCharsets.UTF_8))).isTrue();
        }
        assertThat(meta(s, "k")).isEqualTo("m22");
        assertThat(body(s, "k")).isEqualTo("body");
        assertThat(s.size()).isEqualTo(7);
    }

    @Test
    void theLeastRecentlyUsedEntriesAreEvictedFirst() throws IOException {
        MemoryStore s = MemoryStore.create(30);
        put(s, "a", "", "0123456789");
        put(s, "b", "", "0123456789");
        put(s, "c", "", "0123456789");
        body(s, "a"); // a is now more recent than b
        put(s, "d", "", "0123456789");
        assertThat(body(s, "b")).isNull();
        assertThat(body(s, "a")).isNotNull();
        assertThat(body(s, "c")).isNotNull();
        assertThat(s.evictionCount()).isEqualTo(1);
        assertThat(s.size()).isEqualTo(30);
    }

    @Test
    void anEntryLargerThanTheStoreIsRefused() throws IOException {
        MemoryStore s = MemoryStore.create(8);
        CacheStore.Editor e = s.edit("k");
        assertThatThrownBy(() -> e.body().write(new byte[9])).isInstanceOf(IOException.class)
                .hasMessageContaining("exceeds");
        e.close();
        try (CacheStore.Editor e2 = s.edit("k")) {
            e2.body().write(new byte[6]);
            assertThat(e2.commit(new byte[3])).isFalse(); // metadata pushes it over
        }
        assertThat(s.entryCount()).isZero();
        assertThatThrownBy(() -> MemoryStore.create(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
