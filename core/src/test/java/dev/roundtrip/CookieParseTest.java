package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cookie: the RFC 6265 §5.2 parser, the §5.1.1 date algorithm, header values, redaction. */
class CookieParseTest {
    private static final Instant NOV_6_1994 = Instant.parse("1994-11-06T08:49:37Z");

    @Test
    void parsesTheNameValuePairAndEveryAttribute() {
        Cookie c = Cookie.parse("SID=31d4d96e407aad42; Path=/docs; Domain=.Example.COM;"
                + " Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=3600; Secure; HttpOnly; SameSite=lax");
        assertThat(c.name()).isEqualTo("SID");
        assertThat(c.value()).isEqualTo("31d4d96e407aad42");
        assertThat(c.path()).isEqualTo("/docs");
        assertThat(c.domain()).isEqualTo("example.com");
        assertThat(c.expires()).isEqualTo(NOV_6_1994);
        assertThat(c.maxAge()).isEqualTo(3600L);
        assertThat(c.secure()).isTrue();
        assertThat(c.httpOnly()).isTrue();
        assertThat(c.sameSite()).isEqualTo("Lax");
    }

    @Test
    void aBareCookieHasNoAttributes() {
        Cookie c = Cookie.parse("a=b");
        assertThat(c).isEqualTo(Cookie.of("a", "b"));
        assertThat(c.domain()).isNull();
        assertThat(c.path()).isNull();
        assertThat(c.expires()).isNull();
        assertThat(c.maxAge()).isNull();
        assertThat(c.secure()).isFalse();
        assertThat(c.httpOnly()).isFalse();
        assertThat(c.sameSite()).isNull();
    }

    @Test
    void attributeNamesIgnoreCase() {
        Cookie c = Cookie.parse("a=b; pAtH=/x; SECURE; httponly; sAmEsItE=STRICT; max-AGE=5; DOMAIN=x.org;"
                + " EXPIRES=Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(c).isEqualTo(Cookie.of("a", "b").withPath("/x").withSecure(true).withHttpOnly(true)
                .withSameSite("Strict").withMaxAge(5L).withDomain("x.org").withExpires(NOV_6_1994));
    }

    @Test
    void trimsSpacesAndTabsAroundNamesAndValues() {
        Cookie c = Cookie.parse(" \ta \t=  b c \t;  Path  =  /p  ;   Secure  ");
        assertThat(c.name()).isEqualTo("a");
        assertThat(c.value()).isEqualTo("b c");
        assertThat(c.path()).isEqualTo("/p");
        assertThat(c.secure()).isTrue();
    }

    @Test
    void keepsQuotesAndEqualsSignsInTheValue() {
        assertThat(Cookie.parse("a=\"x y\"").value()).isEqualTo("\"x y\"");
        assertThat(Cookie.parse("a=\"\"").value()).isEqualTo("\"\"");
        assertThat(Cookie.parse("a=b=c==").value()).isEqualTo("b=c==");
        assertThat(Cookie.parse("a=").value()).isEmpty();
        assertThat(Cookie.parse("a=; Path=/").value()).isEmpty();
    }

    @Test
    void ignoresACookieWithoutEqualsSignOrName() {
        assertThat(Cookie.parse("")).isNull();
        assertThat(Cookie.parse("novalue")).isNull();
        assertThat(Cookie.parse("=v")).isNull();
        assertThat(Cookie.parse(" \t=v")).isNull();
        assertThat(Cookie.parse("a; b=c")).isNull(); // the only '=' is in an attribute
        assertThat(Cookie.parse("; a=b")).isNull();
        assertThatThrownBy(() -> Cookie.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ignoresControlCharactersAndNonLatin1InTheNameOrValue() {
        assertThat(Cookie.parse("a=b\u0001c")).isNull();
        assertThat(Cookie.parse("a\u0000=b")).isNull();
        assertThat(Cookie.parse("a=b\u007f")).isNull();
        assertThat(Cookie.parse("a=\u20ac")).isNull();
        assertThat(Cookie.parse("a=b\tc").value()).isEqualTo("b\tc");
        assertThat(Cookie.parse("a=caf\u00e9").value()).isEqualTo("caf\u00e9");
    }

    @Test
    void ignoresOversizedCookiesAndAttributeValues() {
        assertThat(Cookie.parse("a=" + "v".repeat(4095))).isNotNull();
        assertThat(Cookie.parse("a=" + "v".repeat(4096))).isNull();
        assertThat(Cookie.parse("a=b; Path=/" + "p".repeat(1023)).path()).hasSize(1024);
        assertThat(Cookie.parse("a=b; Path=/x; Path=/" + "p".repeat(1024)).path()).isEqualTo("/x");
    }

    @Test
    void parsesALongRunOfEmptyAttributesInLinearTime() {
        Cookie c = Cookie.parse("a=b" + ";".repeat(200_000) + " Path=/p");
        assertThat(c.path()).isEqualTo("/p");
    }

    @Test
    void ignoresUnknownAttributes() {
        assertThat(Cookie.parse("a=b; Foo=bar; Priority=High; Partitioned; =x; Comment=c"))
                .isEqualTo(Cookie.of("a", "b"));
    }

    @Test
    void domainDropsOneLeadingDotAndAnEmptyValueIsIgnored() {
        assertThat(Cookie.parse("a=b; Domain=x.com; Domain=").domain()).isEqualTo("x.com");
        assertThat(Cookie.parse("a=b; Domain=").domain()).isNull();
        assertThat(Cookie.parse("a=b; Domain=x.com; Domain=.").domain()).isNull();
        assertThat(Cookie.parse("a=b; Domain=..x.com").domain()).isEqualTo(".x.com");
        assertThat(Cookie.parse("a=b; Domain=WWW.X.Com").domain()).isEqualTo("www.x.com");
    }

    @Test
    void aPathNotStartingWithSlashMeansTheDefaultPath() {
        assertThat(Cookie.parse("a=b; Path=x").path()).isNull();
        assertThat(Cookie.parse("a=b; Path=").path()).isNull();
        assertThat(Cookie.parse("a=b; Path=/a; Path=rel").path()).isNull();
        assertThat(Cookie.parse("a=b; Path=/1; Path=/2").path()).isEqualTo("/2");
    }

    @Test
    void maxAgeIsAnOptionallyNegativeInteger() {
        assertThat(Cookie.parse("a=b; Max-Age=0").maxAge()).isZero();
        assertThat(Cookie.parse("a=b; Max-Age=-1").maxAge()).isEqualTo(-1L);
        assertThat(Cookie.parse("a=b; Max-Age= 7 ").maxAge()).isEqualTo(7L);
        assertThat(Cookie.parse("a=b; Max-Age=99999999999999999999999").maxAge()).isEqualTo(Long.MAX_VALUE);
        assertThat(Cookie.parse("a=b; Max-Age=-99999999999999999999999").maxAge()).isEqualTo(-Long.MAX_VALUE);
        for (String bad : List.of("+5", "5s", "-", "", "1.5", "0x10", "--1", "five")) {
            assertThat(Cookie.parse("a=b; Max-Age=" + bad).maxAge()).as(bad).isNull();
            assertThat(Cookie.parse("a=b; Max-Age=9; Max-Age=" + bad).maxAge()).as(bad).isEqualTo(9L);
        }
    }

    @Test
    void maxAgeAndExpiresAreBothKeptInEitherOrder() {
        // Precedence (Max-Age wins) is a storage rule: InMemoryCookieJarTest.maxAgeWinsOverExpires.
        Cookie a = Cookie.parse("a=b; Max-Age=60; Expires=Sun, 06 Nov 1994 08:49:37 GMT");
        Cookie b = Cookie.parse("a=b; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=60");
        assertThat(a).isEqualTo(b);
        assertThat(a.maxAge()).isEqualTo(60L);
        assertThat(a.expires()).isEqualTo(NOV_6_1994);
    }

    @Test
    void parsesTheThreeHttpDateFormats() {
        assertThat(Cookie.parseDate("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(NOV_6_1994); // RFC 1123
        assertThat(Cookie.parseDate("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(NOV_6_1994); // RFC 850
        assertThat(Cookie.parseDate("Sun Nov  6 08:49:37 1994")).isEqualTo(NOV_6_1994); // asctime
        assertThat(Cookie.parse("a=b; Expires=Sunday, 06-Nov-94 08:49:37 GMT").expires()).isEqualTo(NOV_6_1994);
    }

    @Test
    void datesAreLenientAboutDelimitersOrderCaseAndTrailingText() {
        assertThat(Cookie.parseDate("6 nov 1994 8:49:37")).isEqualTo(NOV_6_1994);
        assertThat(Cookie.parseDate("1994 NOVEMBER 06 08:49:37")).isEqualTo(NOV_6_1994);
        assertThat(Cookie.parseDate("  08:49:37 06/Nov/1994  ")).isEqualTo(NOV_6_1994);
        assertThat(Cookie.parseDate("Sun, 06 Nov 1994 08:49:37 +0200")).isEqualTo(NOV_6_1994); // zone ignored
        assertThat(Cookie.parseDate("06th Nov 1994AD 08:49:37z")).isEqualTo(NOV_6_1994);
        assertThat(Cookie.parseDate("Thu, 01-Jan-1970 00:00:00 GMT")).isEqualTo(Instant.EPOCH);
        assertThat(Cookie.parseDate("06 Nov 1994 08:49:37 10:11:12 Dec 2001")).as("the first of each wins")
                .isEqualTo(NOV_6_1994);
        assertThat(Cookie.parseDate("31 Dec 9999 23:59:59")).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void twoDigitYearsFollowTheRfc6265Rule() {
        assertThat(Cookie.parseDate("06-Nov-69 08:49:37")).isEqualTo(Instant.parse("2069-11-06T08:49:37Z"));
        assertThat(Cookie.parseDate("06-Nov-70 08:49:37")).isEqualTo(Instant.parse("1970-11-06T08:49:37Z"));
        assertThat(Cookie.parseDate("06-Nov-99 08:49:37")).isEqualTo(Instant.parse("1999-11-06T08:49:37Z"));
        assertThat(Cookie.parseDate("06-Nov-00 08:49:37")).isEqualTo(Instant.parse("2000-11-06T08:49:37Z"));
        assertThat(Cookie.parseDate("06-Nov-2024 08:49:37")).isEqualTo(Instant.parse("2024-11-06T08:49:37Z"));
    }

    @Test
    void parsesEveryMonthName() {
        List<String> months = Arrays.asList("jan", "Feb", "MAR", "apr", "May", "jun", "Jul", "aug", "Sept", "oct",
                "Nov", "december");
        for (int m = 1; m <= 12; m++) {
            Instant expected = Instant.parse(String.format("2001-%02d-02T03:04:05Z", m));
            assertThat(Cookie.parseDate("02 " + months.get(m - 1) + " 2001 03:04:05")).as(months.get(m - 1))
                    .isEqualTo(expected);
        }
    }

    @Test
    void rejectsInvalidDates() {
        List<String> bad = new ArrayList<>(List.of("", "garbage", "Sun, 06 Nov 1994", "06 Nov 1994 08:49",
                "06 Foo 1994 08:49:37", "Sun, 31 Feb 1994 08:49:37 GMT", "32 Nov 1994 08:49:37",
                "00 Nov 1994 08:49:37", "06 Nov 1600 08:49:37", "06 Nov 1994 24:00:00", "06 Nov 1994 08:60:00",
                "06 Nov 1994 08:49:60", "123 Nov 1994 08:49:37", "06 Nov 19945 08:49:37", "06 Nov 1994 108:49:37",
                "1994-11-06T08:49:37Z"));
        for (String s : bad) {
            assertThat(Cookie.parseDate(s)).as(s).isNull();
        }
        assertThat(Cookie.parse("a=b; Expires=garbage").expires()).isNull();
        assertThat(Cookie.parse("a=b; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Expires=junk").expires())
                .isEqualTo(NOV_6_1994);
    }

    @Test
    void sameSiteIsNormalizedAndAnUnknownValueClearsIt() {
        assertThat(Cookie.parse("a=b; SameSite=strict").sameSite()).isEqualTo("Strict");
        assertThat(Cookie.parse("a=b; SameSite=LAX").sameSite()).isEqualTo("Lax");
        assertThat(Cookie.parse("a=b; samesite=nOnE").sameSite()).isEqualTo("None");
        assertThat(Cookie.parse("a=b; SameSite=bogus").sameSite()).isNull();
        assertThat(Cookie.parse("a=b; SameSite").sameSite()).isNull();
        assertThat(Cookie.parse("a=b; SameSite=Lax; SameSite=bogus").sameSite()).isNull();
    }

    @Test
    void flagsIgnoreAnyValue() {
        Cookie c = Cookie.parse("a=b; Secure=false; HttpOnly=0");
        assertThat(c.secure()).isTrue();
        assertThat(c.httpOnly()).isTrue();
    }

    @Test
    void parseAllReadsEverySetCookieFieldAndSkipsIgnoredOnes() {
        Headers h = Headers.of("Set-Cookie", "a=1", "Content-Type", "text/plain", "set-cookie", "b=2; Path=/x",
                "Set-Cookie", "no-equals-sign", "SET-COOKIE", "c=3");
        assertThat(Cookie.parseAll(h)).containsExactly(Cookie.of("a", "1"), Cookie.of("b", "2").withPath("/x"),
                Cookie.of("c", "3"));
        assertThat(Cookie.parseAll(Headers.empty())).isEmpty();
        assertThatThrownBy(() -> Cookie.parseAll(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsTheCookieRequestHeader() {
        assertThat(Cookie.of("a", "1").toHeaderPair()).isEqualTo("a=1");
        assertThat(Cookie.of("a", "").toHeaderPair()).isEqualTo("a=");
        assertThat(Cookie.toHeaderValue(List.of(Cookie.of("a", "1"), Cookie.of("b", "\"2\"").withSecure(true))))
                .isEqualTo("a=1; b=\"2\"");
        assertThat(Cookie.toHeaderValue(List.of())).isEmpty();
        assertThatThrownBy(() -> Cookie.toHeaderValue(Arrays.asList(Cookie.of("a", "1"), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 1 of 2");
        assertThatThrownBy(() -> Cookie.toHeaderValue(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringShowsTheAttributesButNeverTheValue() {
        Cookie c = Cookie.parse("sid=s3cr3t; Domain=example.com; Path=/; Max-Age=60; Secure; HttpOnly; SameSite=Lax;"
                + " Expires=Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(c.toString()).isEqualTo("sid=***; Domain=example.com; Path=/; Expires=1994-11-06T08:49:37Z;"
                + " Max-Age=60; Secure; HttpOnly; SameSite=Lax");
        assertThat(Cookie.of("token", "s3cr3t").toString()).isEqualTo("token=***");
        assertThatThrownBy(() -> Cookie.of("a", "s3cr3t;x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void ofRejectsWhatCannotBeSentBack() {
        for (String name : Arrays.asList(null, "", "a=b", "a;b", " a", "a\t", "a\r\nb", "\u20ac")) {
            assertThatThrownBy(() -> Cookie.of(name, "v")).as(String.valueOf(name))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid cookie name");
        }
        for (String value : Arrays.asList(null, "v;w", " v", "v ", "x\r\ny", "\u0000")) {
            assertThatThrownBy(() -> Cookie.of("a", value)).as(String.valueOf(value))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cookie a");
        }
        for (String[] ok : new String[][] {{"a", "\"q\""}, {"a b", "c d"}, {"a", "=x="}, {"__Host-id", ""}}) {
            Cookie c = Cookie.of(ok[0], ok[1]);
            assertThat(Cookie.parse(c.toHeaderPair())).isEqualTo(c);
        }
    }

    @Test
    void withMethodsValidateAndNormalize() {
        Cookie c = Cookie.of("a", "b");
        assertThat(c.withDomain(".Example.COM").domain()).isEqualTo("example.com");
        assertThat(c.withDomain("x.org").withDomain(null).domain()).isNull();
        assertThat(c.withSameSite("lAx").sameSite()).isEqualTo("Lax");
        assertThat(c.withSameSite("None").withSameSite(null).sameSite()).isNull();
        assertThat(c.withPath("/p").withPath(null).path()).isNull();
        assertThatThrownBy(() -> c.withDomain(".")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\".\"");
        assertThatThrownBy(() -> c.withDomain("a;b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withPath("p")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"p\"");
        assertThatThrownBy(() -> c.withPath("/p;q")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withSameSite("Default")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"Default\"");
        assertThat(c.withSecure(true).withSecure(false)).isEqualTo(c);
    }

    @Test
    void equalsAndHashCodeCoverEveryField() {
        Cookie base = Cookie.of("a", "b");
        List<Cookie> variants = List.of(Cookie.of("x", "b"), Cookie.of("a", "x"), base.withDomain("d.org"),
                base.withPath("/p"), base.withExpires(NOV_6_1994), base.withMaxAge(1L), base.withSecure(true),
                base.withHttpOnly(true), base.withSameSite("Lax"));
        for (Cookie v : variants) {
            assertThat(v).as(v.toString()).isNotEqualTo(base);
        }
        Cookie full = base.withDomain("d.org").withPath("/p").withExpires(NOV_6_1994).withMaxAge(1L).withSecure(true)
                .withHttpOnly(true).withSameSite("Lax");
        Cookie same = Cookie.parse("a=b; Domain=d.org; Path=/p; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=1;"
                + " Secure; HttpOnly; SameSite=Lax");
        assertThat(same).isEqualTo(full).hasSameHashCodeAs(full);
    }
}
