package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.roundtrip.testserver.RecordedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * UrlBuilder's RFC 3986 encoding of path segments and query parameters, the strict parse of URL
 * strings (InvalidUrlException naming the character and where), and
 * Request.Builder#addQueryParameter, asserted on the request-target the server receives.
 */
class UrlBuilderTest extends TransportTestSupport {

    @Test
    void pathSegmentsAndQueryParametersArriveEncodedAndDecodeBackToTheInput() throws Exception {
        URI uri = UrlBuilder.of(server.url("/v1"))
                .addPathSegment("a b/c?d#e%f")
                .addPathSegment("ünï")
                .addQueryParameter("q", "1+1 = 2 & more")
                .addQueryParameter("emoji", "😀")
                .addQueryParameter("flag", null)
                .build();
        try (Response r = transport.roundTrip(Request.get(uri))) {
            r.bodyString();
        }
        RecordedRequest req = server.takeRequest();
        assertThat(req.target()).isEqualTo("/v1/a%20b%2Fc%3Fd%23e%25f/%C3%BCn%C3%AF"
                + "?q=1%2B1%20%3D%202%20%26%20more&emoji=%F0%9F%98%80&flag");
        String query = req.target().substring(req.target().indexOf('?') + 1);
        // A server that decodes the query as an HTML form would (+ means space) still reads a plus as a plus.
        assertThat(URLDecoder.decode(query.split("&")[0].substring(2), StandardCharsets.UTF_8))
                .isEqualTo("1+1 = 2 & more");
        assertThat(uri.getPath()).isEqualTo("/v1/a b/c?d#e%f/ünï");
    }

    @Test
    void pathSegmentsKeepRfc3986PcharAndAddPathSegmentsSplitsAtSlashes() {
        URI uri = UrlBuilder.of("http://h.test").addPathSegment("a:b@c!$&'()*+,;=-._~")
                .addPathSegments("x y/z").addPathSegment("").build();
        assertThat(uri.getRawPath()).isEqualTo("/a:b@c!$&'()*+,;=-._~/x%20y/z/");
    }

    @Test
    void existingQueryAndFragmentOfTheBaseAreKept() {
        URI uri = UrlBuilder.of("https://h.test/p?a=1#top").addQueryParameter("b", "2").build();
        assertThat(uri.toString()).isEqualTo("https://h.test/p?a=1&b=2#top");
        assertThat(UrlBuilder.of("https://h.test").fragment("x y").build().toString())
                .isEqualTo("https://h.test#x%20y");
    }

    @Test
    void addQueryParameterOnARequestEncodesAndKeepsTheExistingOnes() throws Exception {
        Request req = Request.newBuilder(server.url("/search?lang=en"))
                .addQueryParameter("q", "café & crème")
                .addQueryParameter("n", "1+2")
                .build();
        try (Response r = transport.roundTrip(req)) {
            r.bodyString();
        }
        assertThat(server.takeRequest().target())
                .isEqualTo("/search?lang=en&q=caf%C3%A9%20%26%20cr%C3%A8me&n=1%2B2");
    }

    static Stream<Arguments> illegalCharacters() {
        return Stream.of(
                arguments("http://h.test/a b", "' ' (space)", 15, "%20"),
                arguments("http://h.test/a|b", "'|'", 15, "%7C"),
                arguments("http://h.test/{x}", "'{'", 14, "%7B"),
                arguments("http://h.test/q?x=\"y\"", "'\"'", 18, "%22"));
    }

    @ParameterizedTest
    @MethodSource("illegalCharacters")
    void anIllegalCharacterIsNamedWithItsIndex(String url, String what, int index, String encoded) {
        InvalidUrlException e = catchThrowableOfType(() -> Request.get(url), InvalidUrlException.class);
        assertThat(e).isInstanceOf(IllegalArgumentException.class);
        assertThat(e.index()).isEqualTo(index);
        assertThat(e.input()).isEqualTo(url);
        assertThat(url.charAt(index)).isEqualTo(what.charAt(1));
        assertThat(e.getMessage()).isEqualTo("illegal character " + what + " at index " + index + " in URL \""
                + url + "\": encode it as " + encoded + ", or build the URL with UrlBuilder");
    }

    @Test
    void aControlCharacterAndABadEscapeAreNamed() {
        InvalidUrlException tab = catchThrowableOfType(() -> Request.newBuilder("http://h.test/\tx"),
                InvalidUrlException.class);
        assertThat(tab.getMessage()).startsWith("illegal character 0x09 at index 14 in URL");
        InvalidUrlException pct = catchThrowableOfType(() -> UrlBuilder.parse("http://h.test/100%"),
                InvalidUrlException.class);
        assertThat(pct.getMessage()).isEqualTo("'%' not followed by two hex digits at index 17 in URL"
                + " \"http://h.test/100%\": write a literal % as %25");
        InvalidUrlException syntax = catchThrowableOfType(() -> UrlBuilder.parse("http://[::1/x"),
                InvalidUrlException.class);
        assertThat(syntax.getMessage()).contains("at index ").contains("in URL \"http://[::1/x\"");
    }

    @Test
    void userInfoIsNeverShownAndTheIndexMatchesWhatIsShown() {
        InvalidUrlException e = catchThrowableOfType(() -> Request.get("http://ann:s3cret@h.test/a b"),
                InvalidUrlException.class);
        assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("ann").contains("\"http://***@h.test/a b\"");
        assertThat(e.input()).isEqualTo("http://***@h.test/a b");
        assertThat(e.input().charAt(e.index())).isEqualTo(' ');
        InvalidUrlException inPassword = catchThrowableOfType(() -> Request.get("http://ann:s3 cret@h.test/"),
                InvalidUrlException.class);
        assertThat(inPassword.getMessage()).doesNotContain("s3").contains("in the user information");
        InvalidUrlException tokenOnly = catchThrowableOfType(() -> Request.get("https://ghp_T0KEN@h.test/a b"),
                InvalidUrlException.class);
        assertThat(tokenOnly.getMessage()).doesNotContain("T0KEN").contains("\"https://***@h.test/a b\"");
        assertThat(tokenOnly.input().charAt(tokenOnly.index())).isEqualTo(' ');
    }

    @Test
    void nonAsciiInAStringUrlIsAcceptedAndSentAsUtf8() throws Exception {
        try (Response r = transport.roundTrip(Request.get(server.url("/") + "naïve"))) {
            r.bodyString();
        }
        assertThat(server.takeRequest().target()).isEqualTo("/na%C3%AFve");
    }

    @Test
    void onlyAbsoluteHttpUrlsCanBeBuilt() {
        assertThat(catchThrowableOfType(() -> UrlBuilder.of("ftp://h.test/"), InvalidUrlException.class))
                .hasMessageContaining("not an absolute http or https URL: ftp://h.test/");
        assertThat(catchThrowableOfType(() -> UrlBuilder.of(URI.create("/relative")), InvalidUrlException.class))
                .hasMessageContaining("/relative");
    }

    @ParameterizedTest
    @CsvSource({"a b, a%20b", "a+b, a%2Bb", "a&b=c, a%26b%3Dc", "~-._, ~-._", "100%, 100%25"})
    void queryComponentEncoding(String raw, String encoded) {
        StringBuilder out = new StringBuilder();
        UrlBuilder.encode(raw, "-._~!$'()*,;:@/?", out);
        assertThat(out).hasToString(encoded);
    }
}
