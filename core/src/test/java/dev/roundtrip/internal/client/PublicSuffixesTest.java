package dev.roundtrip.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * PublicSuffixes on the list shipped in core: the list's own algorithm (longest rule, wildcards,
 * exceptions, the implicit {@code *} rule), the PRIVATE section, and internationalized rules.
 */
class PublicSuffixesTest {
    private final PublicSuffixes list = PublicSuffixes.get();

    @ParameterizedTest(name = "{0} -> {1}, {2}")
    @CsvSource({
        "example.com,              com,              example.com",
        "www.example.com,          com,              example.com",
        "com,                      com,              ",
        "a.b.example.co.uk,        co.uk,            example.co.uk",
        "co.uk,                    co.uk,            ",
        "user.github.io,           github.io,        user.github.io",
        "github.io,                github.io,        ",
        "bucket.s3.amazonaws.com,  s3.amazonaws.com, bucket.s3.amazonaws.com",
        "foo.bar.ck,               bar.ck,           foo.bar.ck",
        "www.ck,                   ck,               www.ck",
        "a.www.ck,                 ck,               www.ck",
        "localhost,                localhost,        ",
        "host.unknowntld,          unknowntld,       host.unknowntld",
        "example.com.,             com.,             example.com.",
        "xn--85x722f.xn--55qx5d.cn, xn--55qx5d.cn,   xn--85x722f.xn--55qx5d.cn",
    })
    void publicSuffixAndRegistrableDomain(String host, String suffix, String registrable) {
        assertThat(list.publicSuffix(host)).isEqualTo(suffix);
        assertThat(list.registrableDomain(host)).isEqualTo(registrable);
        assertThat(list.isPublicSuffix(host)).isEqualTo(registrable == null);
    }

    @Test
    void theShippedListIsComplete() {
        assertThat(list.isPublicSuffix("com")).isTrue();
        assertThat(list.isPublicSuffix("appspot.com")).as("PRIVATE section").isTrue();
        assertThat(list.isPublicSuffix("\u516c\u53f8.cn")).as("Unicode rule").isTrue();
        assertThat(list.isPublicSuffix("xn--55qx5d.cn")).as("its punycode form").isTrue();
    }

    @Test
    void parsingFollowsTheListFormat() throws Exception {
        PublicSuffixes p = PublicSuffixes.parse(new BufferedReader(new StringReader(
                "// comment\n\nuk\nco.uk\n*.kawasaki.jp\n!city.kawasaki.jp\n")));
        assertThat(p.publicSuffix("a.b.kawasaki.jp")).isEqualTo("b.kawasaki.jp");
        assertThat(p.publicSuffix("city.kawasaki.jp")).isEqualTo("kawasaki.jp");
        assertThat(p.registrableDomain("www.city.kawasaki.jp")).isEqualTo("city.kawasaki.jp");
        assertThat(p.publicSuffix("x.co.uk")).isEqualTo("co.uk");
        assertThat(p.publicSuffix("x.org")).isEqualTo("org");
    }
}
