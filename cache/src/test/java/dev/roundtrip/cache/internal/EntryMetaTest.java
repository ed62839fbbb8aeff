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
                List.of(new String[] {"accept", "a: b, c"}, new String[] {"x-absent", null}), "HTTP/2.0", head);
        EntryMeta back = EntryMeta.decode(m.encode());
        assertThat(back.key()).isEqualTo("GET http://h/a #n 00");
        assertThat(back.kind()).isEqualTo(EntryMeta.Kind.RESPONSE);
        assertThat(back.requestTime()).isEqualTo(1);
        assertThat(back.responseTime()).isEqualTo(2);
        assertThat(back.selecting()).hasSize(2);
        assertThat(back.selecting().get(0)).containsExactly("accept", "a: b, c");
        assertThat(back.selecting().get(1)).containsExactly("x-absent", null);
        assertThat(back.head()).isEqualTo(head);
        assertThat(back.protocol()).isEqualTo("HTTP/2.0");
        assertThat(new String(m.encode(), StandardCharsets.ISO_8859_1)).contains("\nprotocol: HTTP/2.0\n");
    }

    @Test
    void metadataWrittenBeforeTheProtocolLineHasNoProtocol() throws IOException {
        byte[] old = ("RTCACHE 1\nkey: GET http://h/\nkind: response\nmethod: GET\nrequest-time: 1\n"
                + "response-time: 2\n\nHTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        EntryMeta back = EntryMeta.decode(old);
        assertThat(back.protocol()).isNull();
        assertThat(new String(back.head(), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.0 200 OK");
    }

    @Test
    void anUnknownProtocolIsACorruptEntryAndIsNeverWritten() {
        assertThatThrownBy(() -> EntryMeta.decode(("RTCACHE 1\nkey: k\nkind: response\nprotocol: HTTP/3.0\n\n")
                .getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IOException.class).hasMessageContaining("unknown protocol HTTP/3.0");
        assertThatThrownBy(() -> EntryMeta.response("k", "GET", 1, 2, List.of(), "h2", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not h2");
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
