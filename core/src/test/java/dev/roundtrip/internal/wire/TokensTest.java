package dev.roundtrip.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** TokensTest covers token, field-value and request-target syntax checks (RFC 9110 §5.1, §5.5). */
class TokensTest {

    @Test
    void tokens() {
        assertThat(Tokens.isToken("GET")).isTrue();
        assertThat(Tokens.isToken("X-Custom_Header.1")).isTrue();
        assertThat(Tokens.isToken("!#$%&'*+-.^_`|~09azAZ")).isTrue();
        assertThat(Tokens.isToken(null)).isFalse();
        assertThat(Tokens.isToken("")).isFalse();
        for (String bad : new String[] {"a b", "a:b", "a(b", "a)b", "a,b", "a/b", "a;b", "a<b", "a=b", "a>b", "a?b",
            "a@b", "a[b", "a\\b", "a]b", "a{b", "a}b", "a\"b", "a\tb", "a\rb", "a\nb", "a\0b", "a\u007fb",
            "caf\u00e9", "\u0100"}) {
            assertThat(Tokens.isToken(bad)).as(Tokens.quote(bad)).isFalse();
        }
    }

    @Test
    void tcharIsFalseOutsideAscii() {
        assertThat(Tokens.isTchar('a')).isTrue();
        assertThat(Tokens.isTchar(-1)).isFalse();
        assertThat(Tokens.isTchar(0x80)).isFalse();
        assertThat(Tokens.isTchar(0xe9)).isFalse();
        assertThat(Tokens.isTchar(0x1000)).isFalse();
    }

    @Test
    void invalidValueCharRejectsControlsDelAndBeyondLatin1() {
        assertThat(Tokens.invalidValueChar("ab\rc")).isEqualTo(2);
        assertThat(Tokens.invalidValueChar("a\nb")).isEqualTo(1);
        assertThat(Tokens.invalidValueChar("\0")).isEqualTo(0);
        assertThat(Tokens.invalidValueChar("abc\u007f")).isEqualTo(3);
        assertThat(Tokens.invalidValueChar("a\u0001")).isEqualTo(1);
        assertThat(Tokens.invalidValueChar("a\u001f")).isEqualTo(1);
        assertThat(Tokens.invalidValueChar("\u0100")).isEqualTo(0);
        assertThat(Tokens.invalidValueChar("ok \u20ac")).isEqualTo(3);
        assertThat(Tokens.invalidValueChar("a\uD83D\uDE00")).isEqualTo(1);
    }

    @Test
    void invalidValueCharAllowsTabSpaceVisibleAndObsText() {
        assertThat(Tokens.invalidValueChar("")).isEqualTo(-1);
        assertThat(Tokens.invalidValueChar("a\tb c")).isEqualTo(-1);
        assertThat(Tokens.invalidValueChar("!~\"(),/:;<=>?@[\\]{}")).isEqualTo(-1);
        StringBuilder obsText = new StringBuilder();
        for (char c = 0x80; c <= 0xff; c++) {
            obsText.append(c);
        }
        assertThat(Tokens.invalidValueChar(obsText.toString())).isEqualTo(-1);
    }

    @Test
    void invalidTargetChar() {
        assertThat(Tokens.invalidTargetChar("/a/b?c=d&e=%20#f")).isEqualTo(-1);
        assertThat(Tokens.invalidTargetChar("/a b")).isEqualTo(2);
        assertThat(Tokens.invalidTargetChar("/a\r\nHost: x")).isEqualTo(2);
        assertThat(Tokens.invalidTargetChar("/\u007f")).isEqualTo(1);
        assertThat(Tokens.invalidTargetChar("/caf\u00e9")).isEqualTo(4);
    }

    @Test
    void listContains() {
        assertThat(Tokens.listContains("close", "close")).isTrue();
        assertThat(Tokens.listContains("Close", "close")).isTrue();
        assertThat(Tokens.listContains("keep-alive, CLOSE", "close")).isTrue();
        assertThat(Tokens.listContains("keep-alive,close", "close")).isTrue();
        assertThat(Tokens.listContains(" \tclose\t ,x", "close")).isTrue();
        assertThat(Tokens.listContains("a,,close,", "close")).isTrue();
        assertThat(Tokens.listContains("closed", "close")).isFalse();
        assertThat(Tokens.listContains("enclose", "close")).isFalse();
        assertThat(Tokens.listContains("keep-alive", "close")).isFalse();
        assertThat(Tokens.listContains("", "close")).isFalse();
        assertThat(Tokens.listContains("clo se", "close")).isFalse();
        assertThat(Tokens.listContains("\"close\"", "close")).isFalse();
    }

    @Test
    void quoteEscapesControlsAndTruncates() {
        assertThat(Tokens.quote("a\r\n\0\u007fb")).isEqualTo("\"a\\x0d\\x0a\\x00\\x7fb\"");
        assertThat(Tokens.quote("x".repeat(250))).isEqualTo("\"" + "x".repeat(200) + "...\"");
        assertThat(Tokens.quote("")).isEqualTo("\"\"");
    }

    @Test
    void tcharIsFalseJustPastAscii() {
        assertThat(Tokens.isTchar(127)).isFalse();
        assertThat(Tokens.isTchar(128)).isFalse();
        assertThat(Tokens.isTchar(-1)).isFalse();
        assertThat(Tokens.isTchar('~')).isTrue();
    }

    @Test
    void listContainsHandlesEmptyElementsAtEitherEnd() {
        assertThat(Tokens.listContains(",close", "close")).isTrue();
        assertThat(Tokens.listContains(", close", "close")).isTrue();
        assertThat(Tokens.listContains("close,", "close")).isTrue();
        assertThat(Tokens.listContains("a, ", "close")).isFalse();
        assertThat(Tokens.listContains(" ,\t", "close")).isFalse();
        assertThat(Tokens.listContains("", "close")).isFalse();
    }

    @Test
    void quoteKeepsTwoHundredCharactersWhole() {
        assertThat(Tokens.quote("a".repeat(200))).isEqualTo("\"" + "a".repeat(200) + "\"");
        assertThat(Tokens.quote("a".repeat(201))).isEqualTo("\"" + "a".repeat(200) + "...\"");
    }

    @Test
    void validHostAcceptsUriHostWithAnOptionalPort() {
        // RFC 9110 §7.2 / RFC 3986 §3.2.2: reg-name (unreserved, sub-delims, pct-encoded), IPv4,
        // IP-literal in brackets; then ":" and a port of at most five digits (which may be empty).
        for (String ok : new String[] {"a", "example.com", "127.0.0.1", "example.com:8080", "h:0", "h:9", "h:09",
            "h:65535", "h:12345", "h:", "[::1]", "[::1]:443", "[fe80::1]", "[0]", "[9]", "[a]", "[F]", "[1.2]", "[1]",
            "[:]", "a%41", "a%4f%4F", "%20", "x-._~y", "sub!$&'()*+,;=", "A-Z.a-z.0-9"}) {
            assertThat(Tokens.validHost(ok)).as(Tokens.quote(ok)).isTrue();
        }
    }

    @Test
    void validHostRejectsWhatCouldNameAnotherHostOrPort() {
        for (String bad : new String[] {"", ":80", "[", "[]", "[::1", "[g]", "[x]", "[::1]x", "[::1]:44a",
            "[::1]:123456", "[\u0661]", "[a b]", "[a/b]", "h:123456", "h:12a", "h:-1", "h:/", "h::", "h:1:2", "h: 1",
            "a b", "a/b", "a@b", "a\\b", "a?b", "a#b", "a\"b", "a<b", "a`b", "a{b", "a^b", "a|b", "a\tb",
            "a\u007fb", "a\u0080b", "\u00e9.com", "\u0661", "%", "%4", "a%4", "a%4g", "a%g4", "a%\u0661\u0661",
            "a%4\u0661", "a%\u06614"}) {
            assertThat(Tokens.validHost(bad)).as(Tokens.quote(bad)).isFalse();
        }
    }
}
