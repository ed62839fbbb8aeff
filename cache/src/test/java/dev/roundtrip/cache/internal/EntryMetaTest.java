package dev.roundtrip.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The entry metadata format round-trips and rejects what it did not write. */
class EntryMetaTest {

    @Test
    void aResponseRoundTrips() throws IOException {
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        EntryMeta m = EntryMeta.response("GET http://h/a #n 00", "GET", 1, 2,
                List.of(new String[] {"accept", "a: b, c"}, new String[] {"x-absent", null}), head);
        EntryMeta back = EntryMeta.decode(m.encode());
        assertThat(back.key()).isEqualTo("GET http://h/a #n 00");
        assertThat(back.kind()).isEqualTo(EntryMeta.Kind.RESPONSE);
        assertThat(back.requestTime()).isEqualTo(1);
        assertThat(back.responseTime()).isEqualTo(2);
        assertThat(back.selecting()).hasSize(2);
        assertThat(back.selecting().get(0)).containsExactly("accept", "a: b, c");
        assertThat(back.selecting().get(1)).containsExactly("x-absent", null);
        assertThat(back.head()).isEqualTo(head);
    }

    @Test
    void aVaryMarkerRoundTrips() throws IOException {
        EntryMeta back = EntryMeta.decode(EntryMeta.varyMarker("GET http://h/", List.of("a", "b"), "abc").encode());
        assertThat(back.kind()).isEqualTo(EntryMeta.Kind.VARY);
        assertThat(back.varyNames()).containsExactly("a", "b");
        assertThat(back.nonce()).isEqualTo("abc");
    }

    @Test
    void foreignBytesAreRejected() {
        assertThatThrownBy(() -> EntryMeta.decode("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> EntryMeta.decode("RTCACHE 1\nkey: k\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> EntryMeta.decode("RTCACHE 1\nkey: k\nkind: response\nrequest-time: x\n\n"
                .getBytes(StandardCharsets.US_ASCII))).isInstanceOf(IOException.class);
    }
}
