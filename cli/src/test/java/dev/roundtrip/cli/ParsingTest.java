package dev.roundtrip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.error.ConnectionClosedException;
import dev.roundtrip.error.HttpProtocolException;
import dev.roundtrip.error.HttpTimeoutException;
import dev.roundtrip.error.ProxyException;
import dev.roundtrip.error.TimeoutPhase;
import dev.roundtrip.error.TooManyRedirectsException;
import dev.roundtrip.error.TruncatedBodyException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durations, URLs, exit codes, colour decisions and redaction, in process. */
class ParsingTest {
    @Test
    void durationsTakeAUnitAndBareNumbersAreSeconds() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(Durations.parse("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse("PT2S")).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("e.g. 500ms");
        assertThatThrownBy(() -> Durations.parse("0s")).hasMessageContaining("positive");
        assertThatThrownBy(() -> Durations.parse("-1s")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationsFormatForPeople() {
        assertThat(Durations.millis(Duration.ofNanos(420_000))).isEqualTo("0.42 ms");
        assertThat(Durations.millis(Duration.ofNanos(12_340_000))).isEqualTo("12.3 ms");
        assertThat(Durations.millis(Duration.ofMillis(1234))).isEqualTo("1234 ms");
        assertThat(Durations.human(Duration.ofSeconds(3))).isEqualTo("3s");
        assertThat(Durations.human(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(Durations.human(Duration.ofSeconds(150))).isEqualTo("2m30s");
    }

    @Test
    void urlsWithoutSchemeAreHttpAndOthersAreRefused() {
        assertThat(Urls.parse("127.0.0.1:8080/x").toString()).isEqualTo("http://127.0.0.1:8080/x");
        assertThat(Urls.parse("localhost:8080").toString()).isEqualTo("http://localhost:8080");
        assertThat(Urls.parse("HTTPS://h/").getScheme()).isEqualTo("HTTPS");
        assertThatThrownBy(() -> Urls.parse("ftp://h/")).isInstanceOf(CliException.class)
                .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.UNSUPPORTED_PROTOCOL));
        for (String bad : new String[] {"http://a b/", "http:///x", "http://:80/", ""}) {
            assertThatThrownBy(() -> Urls.parse(bad)).as(bad).isInstanceOf(CliException.class)
                    .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.BAD_URL));
        }
    }

    @Test
    void failuresMapToCurlsExitCodes() {
        assertThat(ExitCodes.of(new ConnectException("refused"))).isEqualTo(7);
        assertThat(ExitCodes.of(new UnknownHostException("x"))).isEqualTo(6);
        assertThat(ExitCodes.of(new HttpTimeoutException("t", TimeoutPhase.CONNECT, false))).isEqualTo(28);
        assertThat(ExitCodes.of(new ProxyException("no", 407))).isEqualTo(5);
        assertThat(ExitCodes.of(new SSLException("handshake"))).isEqualTo(35);
        SSLHandshakeException inner = new SSLHandshakeException("inner");
        inner.initCause(new CertificateException("PKIX path building failed"));
        SSLHandshakeException cert = new SSLHandshakeException("untrusted");
        cert.initCause(inner);
        assertThat(ExitCodes.of(cert)).isEqualTo(60);
        assertThat(ExitCodes.of(new TruncatedBodyException("short"))).isEqualTo(18);
        assertThat(ExitCodes.of(new HttpProtocolException("bad"))).isEqualTo(8);
        assertThat(ExitCodes.of(new TooManyRedirectsException("10"))).isEqualTo(47);
        assertThat(ExitCodes.of(new ConnectionClosedException("closed", null))).isEqualTo(52);
        assertThat(ExitCodes.of(new IOException("other"))).isEqualTo(56);
        assertThat(ExitCodes.of(new CliException(22, "x"))).isEqualTo(22);
        assertThat(ExitCodes.of(new NullPointerException())).isEqualTo(ExitCodes.INTERNAL);
        assertThat(ExitCodes.message(new IOException("two\nlines\r\n  here"))).isEqualTo("two lines here");
    }

    @Test
    void colourOnlyOnATerminalWithoutNoColorOrDumbTerm() {
        assertThat(Terminal.color(Terminal.ColorMode.auto, true, Map.of())).isTrue();
        assertThat(Terminal.color(Terminal.ColorMode.auto, false, Map.of())).isFalse();
        assertThat(Terminal.color(Terminal.ColorMode.auto, true, Map.of("NO_COLOR", "1"))).isFalse();
        assertThat(Terminal.color(Terminal.ColorMode.auto, true, Map.of("NO_COLOR", ""))).isTrue();
        assertThat(Terminal.color(Terminal.ColorMode.auto, true, Map.of("TERM", "dumb"))).isFalse();
        assertThat(Terminal.color(Terminal.ColorMode.always, false, Map.of("NO_COLOR", "1"))).isTrue();
        assertThat(Terminal.color(Terminal.ColorMode.never, true, Map.of())).isFalse();
    }

    @Test
    void credentialsAreRedactedKeepingTheScheme() {
        assertThat(ExchangeLog.redact("Authorization", "Basic dXNlcjpwYXNz")).isEqualTo("Basic ***");
        assertThat(ExchangeLog.redact("proxy-authorization", "Bearer abc")).isEqualTo("Bearer ***");
        assertThat(ExchangeLog.redact("Cookie", "a=b; c=d")).isEqualTo("***");
        assertThat(ExchangeLog.redact("Set-Cookie", "id=1; Path=/")).isEqualTo("***");
        assertThat(ExchangeLog.redact("Accept", "text/plain")).isEqualTo("text/plain");
    }

    @Test
    void theWholeUserInfoIsShownAsStars() {
        assertThat(Urls.redact("http://alice:s3cret@h:8080/p?q=1")).isEqualTo("http://***@h:8080/p?q=1");
        assertThat(Urls.redact("alice:s3cret@h/p")).isEqualTo("***@h/p");
        assertThat(Urls.redact("http://a:p@ss@h/x@y")).isEqualTo("http://***@h/x@y");
        assertThat(Urls.redact(java.net.URI.create("https://bob:pw@h/"))).isEqualTo("https://***@h/");
        assertThat(Urls.redact("http://ghp_t0ken@h:8080/")).as("a token alone").isEqualTo("http://***@h:8080/");
        assertThat(Urls.redact(java.net.URI.create("https://t0ken@h/"))).isEqualTo("https://***@h/");
        assertThat(Urls.redact("localhost:8080/x")).isEqualTo("localhost:8080/x");
        assertThat(Urls.redact("http://h/a@b")).as("an @ in the path is not user info").isEqualTo("http://h/a@b");
        assertThat(Urls.scrub("cannot convert 'socks5://u:pw@h:1/a b' to URI (at index 3: socks5://u:pw@h:1/a b)"))
                .isEqualTo("cannot convert 'socks5://***@h:1/a b' to URI (at index 3: socks5://***@h:1/a b)");
        assertThatThrownBy(() -> Urls.parse("http://alice:s3cret@h/a b")).hasMessageNotContaining("s3cret");
    }

    @Test
    void chosenQueryParametersAreStarsInRunningTextAndTheRestStays() {
        dev.roundtrip.logging.Redactor r = dev.roundtrip.logging.Redactor.builder().queryParam("access_token")
                .queryParam("sig").build();
        assertThat(Urls.scrub("GET http://u:pw@h/q?page=2&access_token=S3CR:ET&x=1: Connection refused", r))
                .isEqualTo("GET http://***@h/q?page=2&access_token=***&x=1: Connection refused");
        assertThat(Urls.scrub("redirect to 'https://h/f?Access_Token=abc' refused (see https://h/?sig=zz).", r))
                .as("names ignore case; quotes and phrase punctuation end a value")
                .isEqualTo("redirect to 'https://h/f?Access_Token=***' refused (see https://h/?sig=***).");
        assertThat(Urls.scrub("GET http://h/q?%61ccess_token=S#frag", r)).as("a percent-encoded name")
                .isEqualTo("GET http://h/q?%61ccess_token=***#frag");
        assertThat(Urls.scrub("GET http://h/q?token=visible&access_token_2=visible", r))
                .isEqualTo("GET http://h/q?token=visible&access_token_2=visible");
        assertThat(Urls.scrub("GET http://h/q?access_token=S", dev.roundtrip.logging.Redactor.DEFAULTS))
                .as("none by default").isEqualTo("GET http://h/q?access_token=S");
    }

    @Test
    void controlCharactersAreEscapedButTabAndTextKept() {
        assertThat(Terminal.escapeControls("plain\tcaf\u00e9")).isEqualTo("plain\tcaf\u00e9");
        assertThat(Terminal.escapeControls("a\u001b]0;t\u0007b\r\n\u007f\u009b\u0000"))
                .isEqualTo("a\\x1B]0;t\\x07b\\x0D\\x0A\\x7F\\x9B\\x00");
        assertThat(ExchangeLog.redact("X-Api-Key", "k")).isEqualTo("***");
    }

    @Test
    void stderrIsATerminalWhenTheLauncherSaysSoOrFdTwoIsATerminalDevice(@TempDir Path dir) throws Exception {
        Path pts = Files.createSymbolicLink(dir.resolve("pts"), Path.of("/dev/pts/3"));
        Path tty = Files.createSymbolicLink(dir.resolve("tty"), Path.of("/dev/tty1"));
        Path file = Files.createSymbolicLink(dir.resolve("file"), Path.of("/tmp/log.txt"));
        Path pipe = Files.createSymbolicLink(dir.resolve("pipe"), Path.of("pipe:[1234]"));
        assertThat(Terminal.stderrTerminal(null, pts)).isTrue();
        assertThat(Terminal.stderrTerminal(null, tty)).isTrue();
        assertThat(Terminal.stderrTerminal(null, file)).isFalse();
        assertThat(Terminal.stderrTerminal(null, pipe)).isFalse();
        assertThat(Terminal.stderrTerminal(null, dir.resolve("missing"))).isFalse();
        assertThat(Terminal.stderrTerminal("1", file)).as("the launcher's word wins").isTrue();
        assertThat(Terminal.stderrTerminal("0", pts)).isFalse();
    }

    @Test
    void headerOptionsTakeNameValueOrNameSemicolonAndHideCredentialsInErrors() {
        dev.roundtrip.Request.Builder b = dev.roundtrip.Request.newBuilder(java.net.URI.create("http://h/"));
        HeaderOptions.Given given = HeaderOptions.addAll(b, java.util.List.of("X-A:  b ", "X-Empty;",
                "content-type: text/plain", "Accept:"));
        assertThat(given.mentions("Content-Type")).isTrue();
        assertThat(given.mentions("Accept")).as("removed: the command adds none of its own").isTrue();
        assertThat(given.removed()).containsExactly("accept");
        dev.roundtrip.Request r = b.build();
        assertThat(r.headers().first("X-A")).isEqualTo("b");
        assertThat(r.headers().first("X-Empty")).isEmpty();
        assertThat(r.headers().contains("Accept")).isFalse();
        assertThatThrownBy(() -> HeaderOptions.addAll(b, java.util.List.of("NoColon"))).isInstanceOf(CliException.class)
                .hasMessageContaining("use 'Name: value'");
        assertThatThrownBy(() -> HeaderOptions.addAll(b, java.util.List.of("Authorization: Bearer s3cret\nInjected: 1")))
                .isInstanceOf(CliException.class).hasMessageContaining("Authorization: Bearer ***")
                .hasMessageNotContaining("s3cret");
    }
}
