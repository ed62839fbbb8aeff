package dev.roundtrip.cache;

import static dev.roundtrip.cache.MemoryStoreTest.body;
import static dev.roundtrip.cache.MemoryStoreTest.meta;
import static dev.roundtrip.cache.MemoryStoreTest.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DiskStore: crash safety, damage detection, reopening, eviction, the directory lock. */
class DiskStoreTest {
    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("lock")).sorted()
                    .collect(Collectors.toList());
        }
    }

    private Path file(String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst().orElseThrow();
        }
    }

    @Test
    void aNewStoreOnTheSameDirectoryFindsTheEntries() throws IOException {
        try (DiskStore s = DiskStore.open(dir, 10_000)) {
            put(s, "k1", "meta one", "body one");
            put(s, "k2", "meta two", "body two");
        }
        try (DiskStore s = DiskStore.open(dir, 10_000)) {
            assertThat(s.entryCount()).isEqualTo(2);
            assertThat(body(s, "k1")).isEqualTo("body one");
            assertThat(meta(s, "k2")).isEqualTo("meta two");
            assertThat(s.size()).isEqualTo(files().stream().mapToLong(n -> dir.resolve(n).toFile().length()).sum());
        }
    }

    @Test
    void anUncommittedEntryLeavesNothingAndATemporaryFileIsCleanedOnOpen() throws IOException {
        try (DiskStore s = DiskStore.open(dir, 10_000)) {
            CacheStore.Editor e = s.edit("k");
            e.body().write("half".getBytes(StandardCharsets.UTF_8));
            e.body().flush();
            assertThat(files()).hasSize(1).allMatch(n -> n.endsWith(".tmp"));
            assertThat(s.open("k")).isNull();
            // as after a crash: the store goes away without the editor being closed
        }
        try (DiskStore s = DiskStore.open(dir, 10_000)) {
            assertThat(s.open("k")).isNull();
            assertThat(files()).isEmpty();
        }
    }

    @Test
    void aTruncatedBodyIsNeverServedAndIsDeletedOnOpen() throws IOException {
        try (DiskStore s = DiskStore.open(dir, 10_000)) {
            put(s, "k", "meta", "0123456789");
            put(s, "other", "meta", "fine");
        }
        Path body = dir.resolve(files().stream().filter(n -> n.startsWith(DiskFiles.hash("k")) && n.endsWith(".body"))
                .findFirst().orElseThrow());
        try (RandomAccessFile f = new RandomAccessFile(body.toFile(), "rw")) {
            f.setLength(4);
        }
        try (DiskStore s = DiskStore.open(dir, 10_000)) {
            assertThat(s.open("k")).isNull();
            assertThat(body(s, "other")).isEqualTo("fine");
            assertThat(files()).noneMatch(n -> n.startsWith(DiskFiles.hash("k")));
            assertThat(s.entryCount()).isEqualTo(1);
        }
    }

    @Test
    void damagedMetadataIsNeverServedAndIsDeletedOnOpen() throws IOException {
        try (DiskStore s = DiskStore.open(dir, 10_000)) {
            put(s, "k", "metadata", "body");
        }
        Path meta = file(".meta");
        byte[] b = Files.readAllBytes(meta);
        b[2] ^= 1;
        Files.write(meta, b);
        try (DiskStore s = DiskStore.open(dir, 10_000)) {
            assertThat(s.open("k")).isNull();
            assertThat(files()).isEmpty();
        }
    }

    @Test
    void aBodyWithoutItsMetadataIsDeletedOnOpen() throws IOException {
        // a crash between renaming the body into place and renaming the metadata
        try (DiskStore s = DiskStore.open(dir, 10_000)) {
            put(s, "k", "metadata", "body");
        }
        Files.delete(file(".meta"));
        try (DiskStore s = DiskStore.open(dir, 10_000)) {
            assertThat(s.open("k")).isNull();
            assertThat(files()).isEmpty();
        }
    }

    @Test
    void aDamagedBodyOfTheRightLengthFailsAtItsEndAndIsRemoved() throws IOException {
        try (DiskStore s = DiskStore.open(dir, 10_000)) {
            put(s, "k", "metadata", "0123456789");
            Path body = file(".body");
            byte[] b = Files.readAllBytes(body);
            b[5] = 'X';
            Files.write(body, b);
            try (CacheStore.Entry e = s.open("k")) {
                assertThatThrownBy(() -> e.body().readAllBytes()).isInstanceOf(IOException.class)
                        .hasMessageContaining("damaged");
            }
            assertThat(s.open("k")).isNull();
            assertThat(files()).isEmpty();
        }
    }

    @Test
    void aSnapshotStaysReadableAfterReplacementAndRemoval() throws IOException {
        try (DiskStore s = DiskStore.open(dir, 10_000)) {
            put(s, "k", "m1", "first");
            try (CacheStore.Entry old = s.open("k")) {
                put(s, "k", "m2", "second");
                assertThat(body(s, "k")).isEqualTo("second");
                s.remove("k");
                assertThat(new String(old.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("first");
                assertThat(old.updateMetadata(new byte[] {1})).isFalse();
            }
            assertThat(files()).isEmpty();
        }
    }

    @Test
    void updatedMetadataKeepsTheBodyAndSurvivesReopening() throws IOException {
        try (DiskStore s = DiskStore.open(dir, 10_000)) {
            put(s, "k", "m1", "body");
            try (CacheStore.Entry e = s.open("k")) {
                assertThat(e.updateMetadata("m2-longer".getBytes(StandardCharsets.UTF_8))).isTrue();
            }
            assertThat(meta(s, "k")).isEqualTo("m2-longer");
        }
        try (DiskStore s = DiskStore.open(dir, 10_000)) {
            assertThat(meta(s, "k")).isEqualTo("m2-longer");
            assertThat(body(s, "k")).isEqualTo("body");
            assertThat(files()).hasSize(2);
        }
    }

    @Test
    void theLeastRecentlyUsedEntriesAreEvictedToStayWithinTheSize() throws IOException {
        long one;
        try (DiskStore s = DiskStore.open(dir, 100_000)) {
            put(s, "a", "m", "0123456789");
            one = s.size();
        }
        try (DiskStore s = DiskStore.open(dir, 3 * one)) {
            put(s, "b", "m", "0123456789");
            put(s, "c", "m", "0123456789");
            body(s, "a");
            put(s, "d", "m", "0123456789");
            assertThat(body(s, "b")).isNull();
            assertThat(body(s, "a")).isEqualTo("0123456789");
            assertThat(s.evictionCount()).isEqualTo(1);
            assertThat(s.size()).isEqualTo(3 * one);
            assertThat(files()).hasSize(6);
        }
        try (DiskStore s = DiskStore.open(dir, one)) { // reopened smaller: trimmed at once
            assertThat(s.entryCount()).isEqualTo(1);
            assertThat(files()).hasSize(2);
        }
    }

    @Test
    void metadataThatGrowsAnEntryEvictsOthersToStayWithinTheSize() throws IOException {
        long one;
        try (DiskStore s = DiskStore.open(dir, 100_000)) {
            put(s, "a", "m", "0123456789");
            one = s.size();
        }
        try (DiskStore s = DiskStore.open(dir, 2 * one)) {
            put(s, "b", "m", "0123456789");
            try (CacheStore.Entry e = s.open("b")) {
                assertThat(e.updateMetadata("m".repeat(20).getBytes(StandardCharsets.UTF_8))).isTrue();
            }
            assertThat(s.size()).isLessThanOrEqualTo(s.maxSize());
            assertThat(body(s, "a")).isNull();
            assertThat(meta(s, "b")).isEqualTo("m".repeat(20));
            assertThat(s.evictionCount()).isEqualTo(1);
            assertThat(files()).hasSize(2);
        }
    }

    @Test
    void oneOpenStorePerDirectory() throws IOException {
        try (DiskStore s = DiskStore.open(dir, 1000)) {
            assertThatThrownBy(() -> DiskStore.open(dir, 1000)).isInstanceOf(IOException.class)
                    .hasMessageContaining("already open");
            assertThat(s.directory()).isEqualTo(dir.toRealPath());
        }
        DiskStore.open(dir, 1000).close(); // released
    }

    @Test
    void filesThatAreNotTheStoresAreLeftAlone() throws IOException {
        Files.writeString(dir.resolve("README.txt"), "mine");
        Files.writeString(dir.resolve("notes.tmp"), "mine too");
        DiskStore.open(dir, 1000).close();
        assertThat(files()).containsExactly("README.txt", "notes.tmp");
    }

    @Test
    void aClosedStoreRefusesWork() throws IOException {
        DiskStore s = DiskStore.open(dir, 1000);
        CacheStore.Editor e = s.edit("k");
        e.body().write(1);
        s.close();
        assertThatThrownBy(() -> e.commit(new byte[0])).isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> s.open("k")).isInstanceOf(IOException.class);
        assertThat(files()).isEmpty();
    }
}
