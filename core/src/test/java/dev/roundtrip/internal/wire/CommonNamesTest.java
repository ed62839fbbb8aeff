package dev.roundtrip.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommonNamesTest {
    private static String of(String s) {
        byte[] b = ("xx" + s + "yy").getBytes(StandardCharsets.ISO_8859_1);
        return CommonNames.of(b, 2, s.length());
    }

    @Test
    void commonNamesAreSharedInstances() {
        assertThat(of("Content-Length")).isSameAs(of("Content-Length")).isEqualTo("Content-Length");
        assertThat(of("content-type")).isSameAs(of("content-type"));
        assertThat(of("OK")).isSameAs(of("OK"));
    }

    @Test
    void otherSpellingsAndNamesAreKeptAsReceived() {
        assertThat(of("CONTENT-LENGTH")).isEqualTo("CONTENT-LENGTH").isNotSameAs(of("CONTENT-LENGTH"));
        assertThat(of("Content-Lengthx")).isEqualTo("Content-Lengthx");
        assertThat(of("X-A-Very-Long-Field-Name-Beyond-The-Table")).isEqualTo("X-A-Very-Long-Field-Name-Beyond-The-Table");
        assertThat(of("")).isEmpty();
        assertThat(of("Dat\u00e9")).isEqualTo("Dat\u00e9");
    }
}
