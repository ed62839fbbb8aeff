package dev.roundtrip.internal.wire;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** ContentTypesTest covers reading the charset of a server's Content-Type and checking a caller's media type. */
class ContentTypesTest {

    @Test
    void charsetParameterInAnyCaseQuotedOrNot() {
        assertThat(ContentTypes.charset("text/plain; charset=ISO-8859-1", UTF_8)).isEqualTo(ISO_8859_1);
        assertThat(ContentTypes.charset("text/plain;CharSet=\"utf-16\"", ISO_8859_1)).isEqualTo(UTF_16);
        assertThat(ContentTypes.charset("text/html; q=1 ; charset = iso-8859-1 ", UTF_8)).isEqualTo(ISO_8859_1);
        assertThat(ContentTypes.charset("text/plain; format=flowed; charset=utf-16; charset=utf-8", ISO_8859_1))
                .as("the first charset parameter wins").isEqualTo(UTF_16);
    }

    @Test
    void fallbackWhenThereIsNoUsableCharset() {
        assertThat(ContentTypes.charset(null, UTF_16)).isEqualTo(UTF_16);
        assertThat(ContentTypes.charset("text/plain", UTF_16)).isEqualTo(UTF_16);
        assertThat(ContentTypes.charset("charset=iso-8859-1", UTF_16)).as("the media type is not a parameter")
                .isEqualTo(UTF_16);
        assertThat(ContentTypes.charset("text/plain; =iso-8859-1", UTF_16)).isEqualTo(UTF_16);
        assertThat(ContentTypes.charset("text/plain; xcharset=iso-8859-1", UTF_16)).isEqualTo(UTF_16);
        assertThat(ContentTypes.charset("text/plain; charset=no-such-charset-x", UTF_16)).isEqualTo(UTF_16);
        assertThat(ContentTypes.charset("text/plain; charset=\"", UTF_16)).isEqualTo(UTF_16);
        assertThat(ContentTypes.charset("text/plain; charset=", UTF_16)).isEqualTo(UTF_16);
        assertThat(ContentTypes.charset("text/plain; charset=\"\"", UTF_16)).isEqualTo(UTF_16);
    }

    @Test
    void checkAcceptsMediaTypesAndRejectsEmptyOrControlCharacters() {
        assertThat(ContentTypes.check("application/json; charset=utf-8")).isEqualTo("application/json; charset=utf-8");
        assertThatThrownBy(() -> ContentTypes.check(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("media type must not be empty: null");
        assertThatThrownBy(() -> ContentTypes.check(" \t")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("media type must not be empty");
        assertThatThrownBy(() -> ContentTypes.check("text/plain\r\nX: y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid character 0x0d at index 10 in media type \"text/plain\\x0d\\x0aX: y\"");
        assertThatThrownBy(() -> ContentTypes.check("\u0000")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at index 0");
    }
}
