package dev.roundtrip.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Headers;
import org.junit.jupiter.api.Test;

/** RFC 9111 3.1 (stored fields) and 3.2 (updating them). */
class StoredHeadersTest {

    @Test
    void storageDropsHopByHopFieldsAndSetsTheLength() {
        Headers h = Headers.of("Connection", "X-A", "X-A", "1", "Transfer-Encoding", "chunked", "Keep-Alive", "t=1",
                "Cache-Status", "up; hit", "ETag", "\"e\"", "Content-Length", "99", "Set-Cookie", "a=b");
        Headers s = StoredHeaders.forStorage(h, 12);
        assertThat(s).isEqualTo(Headers.of("ETag", "\"e\"", "Content-Length", "12"));
        assertThat(StoredHeaders.forStorage(Headers.of("Content-Length", "5"), -1).first("Content-Length"))
                .isEqualTo("5");
    }

    @Test
    void aMergeReplacesFieldsByNameExceptFraming() {
        Headers stored = Headers.of("Content-Length", "5", "X-A", "1", "X-A", "2", "X-B", "b", "Content-Encoding",
                "identity");
        Headers update = Headers.of("x-a", "3", "Content-Length", "0", "Content-Encoding", "gzip", "Connection", "X-C",
                "X-C", "c", "Date", "d");
        Headers merged = StoredHeaders.merge(stored, update);
        assertThat(merged.all("X-A")).containsExactly("3");
        assertThat(merged.first("Content-Length")).isEqualTo("5");
        assertThat(merged.first("Content-Encoding")).isEqualTo("identity");
        assertThat(merged.first("X-B")).isEqualTo("b");
        assertThat(merged.contains("X-C")).isFalse();
        assertThat(merged.first("Date")).isEqualTo("d");
    }

    @Test
    void servedFieldsCarryAgeAndOurStatusLast() {
        Headers h = StoredHeaders.served(Headers.of("Age", "1", "Cache-Status", "up"), 7, "me; hit");
        assertThat(h.all("Age")).containsExactly("7");
        assertThat(h.all("Cache-Status")).containsExactly("up", "me; hit");
    }
}
