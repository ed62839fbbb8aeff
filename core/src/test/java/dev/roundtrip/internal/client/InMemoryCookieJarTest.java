package dev.roundtrip.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.Cookie;
import dev.roundtrip.CookieJar;
import dev.roundtrip.TestCookieJars;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** InMemoryCookieJar: the RFC 6265 §5.3 storage model and §5.4 retrieval, on a fake clock. */
class InMemoryCookieJarTest {
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    private final FakeClock clock = new FakeClock();
    private final InMemoryCookieJar jar = TestCookieJars.inMemory(clock);

    /** A clock that moves only when told to. */
    private static final class FakeClock extends Clock {
        private volatile Instant now = START;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private void set(String uri, String... setCookies) {
        List<Cookie> cookies = new ArrayList<>();
        for (String s : setCookies) {
            cookies.add(Cookie.parse(s));
        }
        jar.setCookies(URI.create(uri), cookies);
    }

    private String header(String uri) {
        return Cookie.toHeaderValue(jar.cookies(URI.create(uri)));
    }

    private static String httpDate(Instant t) {
        return java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
    }

    @Test
    void aHostOnlyCookieIsSentOnlyToTheSameHostIgnoringCase() {
        set("http://Example.COM/", "a=1");
        assertThat(header("http://example.com/")).isEqualTo("a=1");
        assertThat(header("http://EXAMPLE.com/x")).isEqualTo("a=1");
        assertThat(header("http://www.example.com/")).isEmpty();
        assertThat(header("http://other.com/")).isEmpty();
        assertThat(jar.cookies(URI.create("http://example.com/")).get(0).domain()).isNull();
    }

    @Test
    void aDomainCookieIsSentToTheDomainAndItsSubdomains() {
        set("http://example.com/", "a=1; Domain=Example.com");
        assertThat(header("http://example.com/")).isEqualTo("a=1");
        assertThat(header("http://www.example.com/")).isEqualTo("a=1");
        assertThat(header("http://a.b.example.com/")).isEqualTo("a=1");
        assertThat(header("http://notexample.com/")).isEmpty();
        assertThat(header("http://example.com.evil.org/")).isEmpty();
        assertThat(header("http://other.com/")).isEmpty();
        assertThat(jar.cookies(URI.create("http://www.example.com/")).get(0).domain()).isEqualTo("example.com");
    }

    @Test
    void aSubdomainMaySetACookieForItsParentDomain() {
        set("http://a.example.com/", "p=1; Domain=.example.com");
        assertThat(header("http://example.com/")).isEqualTo("p=1");
        assertThat(header("http://b.example.com/")).isEqualTo("p=1");
    }

    @Test
    void aDomainTheHostDoesNotMatchIsRejected() {
        set("http://example.com/", "a=1; Domain=other.com", "b=2; Domain=www.example.com", "c=3; Domain=ample.com");
        assertThat(jar.size()).isZero();
        assertThat(header("http://other.com/")).isEmpty();
        assertThat(header("http://www.example.com/")).isEmpty();
        assertThat(header("http://ample.com/")).isEmpty();
    }

    @Test
    void aSingleLabelDomainIsRejectedUnlessItIsTheHost() {
        set("http://example.com/", "a=1; Domain=com", "b=2; Domain=.COM");
        assertThat(jar.size()).isZero();
        assertThat(header("http://other.com/")).isEmpty();

        set("http://localhost:8080/", "c=3; Domain=localhost");
        assertThat(header("http://localhost/")).isEqualTo("c=3");
        assertThat(jar.cookies(URI.create("http://localhost/")).get(0).domain()).as("host-only").isNull();
    }

    @Test
    void anIpAddressHostTakesOnlyHostOnlyCookies() {
        set("http://192.168.0.1/", "a=1", "b=2; Domain=168.0.1", "c=3; Domain=0.1", "d=4; Domain=192.168.0.1");
        assertThat(header("http://192.168.0.1/")).isEqualTo("a=1; d=4");
        assertThat(jar.size()).isEqualTo(2);
        assertThat(header("http://192.168.0.2/")).isEmpty();
        assertThat(header("http://[::1]/")).isEmpty();
    }

    @Test
    void anIpv6HostIsMatchedWithoutBrackets() {
        set("http://[::1]:8080/", "a=1", "b=2; Domain=example.com");
        assertThat(header("http://[::1]/")).isEqualTo("a=1");
        assertThat(header("http://[0::2]/")).isEmpty();
        assertThat(jar.size()).isEqualTo(1);
    }

    @Test
    void theDefaultPathIsTheDirectoryOfTheRequestPath() {
        set("http://h.com/a/b/c?q=1", "a=1", "b=2; Path=relative");
        assertThat(jar.cookies(URI.create("http://h.com/a/b/")).stream().map(Cookie::path)).containsExactly("/a/b",
                "/a/b");
        assertThat(header("http://h.com/a/b")).isEqualTo("a=1; b=2");
        assertThat(header("http://h.com/a/b/x/y")).isEqualTo("a=1; b=2");
        assertThat(header("http://h.com/a")).isEmpty();
        assertThat(header("http://h.com/a/bc")).isEmpty();

        assertThat(CookieRules.defaultPath("/a/b/c")).isEqualTo("/a/b");
        assertThat(CookieRules.defaultPath("/a/b/")).isEqualTo("/a/b");
        assertThat(CookieRules.defaultPath("/a")).isEqualTo("/");
        assertThat(CookieRules.defaultPath("/")).isEqualTo("/");
        assertThat(CookieRules.defaultPath("")).isEqualTo("/");
        assertThat(CookieRules.defaultPath(null)).isEqualTo("/");
        assertThat(CookieRules.defaultPath("x/y")).isEqualTo("/");
    }

    @Test
    void aPathMatchesItselfAndWhatLiesBelowASlash() {
        set("http://h.com/", "a=1; Path=/a", "s=2; Path=/s/");
        assertThat(header("http://h.com/a")).isEqualTo("a=1");
        assertThat(header("http://h.com/a/")).isEqualTo("a=1");
        assertThat(header("http://h.com/a/b")).isEqualTo("a=1");
        assertThat(header("http://h.com/ab")).isEmpty();
        assertThat(header("http://h.com/")).isEmpty();
        assertThat(header("http://h.com")).isEmpty();
        assertThat(header("http://h.com/s/x")).isEqualTo("s=2");
        assertThat(header("http://h.com/s")).isEmpty();

        assertThat(CookieRules.pathMatches("/a/b", "/a")).isTrue();
        assertThat(CookieRules.pathMatches("/ab", "/a")).isFalse();
        assertThat(CookieRules.pathMatches("/a/b", "/a/")).isTrue();
        assertThat(CookieRules.pathMatches("/a", "/a/")).isFalse();
        assertThat(CookieRules.pathMatches("/anything", "/")).isTrue();
    }

    @Test
    void aSecureCookieIsSetOnlyOverHttpsAndSentOnlyOverHttps() {
        set("http://h.com/", "a=1; Secure");
        assertThat(jar.size()).isZero();

        set("https://h.com/", "b=2; Secure", "c=3");
        assertThat(header("https://h.com/")).isEqualTo("b=2; c=3");
        assertThat(header("http://h.com/")).isEqualTo("c=3");
    }

    @Test
    void plainHttpCannotOverwriteOrDeleteASecureCookie() {
        set("https://h.com/", "a=1; Secure; Domain=h.com");
        set("http://h.com/", "a=2", "a=3; Max-Age=0", "a=4; Path=/x");
        set("http://www.h.com/", "a=5");
        assertThat(header("https://h.com/x")).isEqualTo("a=1");
        assertThat(header("http://h.com/")).isEmpty();

        set("http://h.com/", "b=1"); // another name is unaffected
        assertThat(header("http://h.com/")).isEqualTo("b=1");
        set("https://h.com/", "a=6"); // https may replace it (same name, domain and path)
        assertThat(header("http://h.com/")).isEqualTo("a=6; b=1");
    }

    @Test
    void aCookieExpiresWithTheClock() {
        set("http://h.com/", "a=1; Max-Age=60", "b=2");
        clock.advance(Duration.ofSeconds(59));
        assertThat(header("http://h.com/")).isEqualTo("a=1; b=2");
        clock.advance(Duration.ofSeconds(1));
        assertThat(jar.size()).as("not yet purged").isEqualTo(2);
        assertThat(header("http://h.com/")).isEqualTo("b=2");
        assertThat(jar.size()).as("purged lazily").isEqualTo(1);
    }

    @Test
    void expiresIsUsedWithoutMaxAge() {
        set("http://h.com/", "a=1; Expires=" + httpDate(START.plusSeconds(3600)));
        assertThat(jar.cookies(URI.create("http://h.com/")).get(0).expires()).isEqualTo(START.plusSeconds(3600));
        clock.advance(Duration.ofSeconds(3599));
        assertThat(header("http://h.com/")).isEqualTo("a=1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(header("http://h.com/")).isEmpty();
    }

    @Test
    void maxAgeWinsOverExpires() {
        set("http://h.com/", "past=1; Max-Age=60; Expires=" + httpDate(START.minusSeconds(60)),
                "future=2; Expires=" + httpDate(START.plusSeconds(86_400)) + "; Max-Age=0",
                "short=3; Expires=" + httpDate(START.plusSeconds(86_400)) + "; Max-Age=10");
        assertThat(header("http://h.com/")).isEqualTo("past=1; short=3");
        clock.advance(Duration.ofSeconds(10));
        assertThat(header("http://h.com/")).isEqualTo("past=1");
        assertThat(jar.cookies(URI.create("http://h.com/")).get(0).expires()).isEqualTo(START.plusSeconds(60));
    }

    @Test
    void aHugeMaxAgeNeverExpiresAndDoesNotOverflow() {
        set("http://h.com/", "a=1; Max-Age=99999999999999999999");
        clock.advance(Duration.ofDays(365L * 1000));
        assertThat(header("http://h.com/")).isEqualTo("a=1");
    }

    @Test
    void aSessionCookieDoesNotExpire() {
        set("http://h.com/", "a=1");
        clock.advance(Duration.ofDays(365L * 100));
        assertThat(header("http://h.com/")).isEqualTo("a=1");
        assertThat(jar.cookies(URI.create("http://h.com/")).get(0).expires()).isNull();
    }

    @Test
    void anExpiredCookieDeletesTheStoredOneAndIsNotStored() {
        set("http://h.com/", "a=1", "b=2", "c=3", "keep=4", "d=5; Path=/p");
        set("http://h.com/", "a=x; Max-Age=0", "b=x; Max-Age=-1", "c=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
                "keep=x; Max-Age=0; Path=/other", "d=x; Max-Age=0; Domain=h.com; Path=/p", "new=x; Max-Age=0");
        assertThat(jar.size()).as("before any lazy purge").isEqualTo(1);
        assertThat(header("http://h.com/p")).isEqualTo("keep=4");
        assertThat(jar.size()).isEqualTo(1);
    }

    @Test
    void aReplacementKeepsTheCreationTimeAndSoItsPlace() {
        set("http://h.com/", "a=1", "b=2", "c=3");
        set("http://h.com/", "a=9; HttpOnly");
        assertThat(header("http://h.com/")).isEqualTo("a=9; b=2; c=3");
        assertThat(jar.cookies(URI.create("http://h.com/")).get(0).httpOnly()).isTrue();
        assertThat(jar.size()).isEqualTo(3);

        set("http://h.com/", "a=7; Path=/x"); // another path: another cookie
        assertThat(header("http://h.com/x")).isEqualTo("a=7; a=9; b=2; c=3");
    }

    @Test
    void theCookieHeaderListsLongerPathsFirstThenOlderCookies() {
        set("http://h.com/", "c=1; Path=/", "b=2; Path=/a/b", "a=3; Path=/a", "d=4; Path=/", "e=5; Path=/a/b");
        assertThat(header("http://h.com/a/b/c")).isEqualTo("b=2; e=5; a=3; c=1; d=4");
        clock.advance(Duration.ofSeconds(-3600)); // the order does not depend on the wall clock
        set("http://h.com/", "f=6; Path=/a");
        assertThat(header("http://h.com/a/b/c")).isEqualTo("b=2; e=5; a=3; f=6; c=1; d=4");
    }

    @Test
    void returnedCookiesCarryTheEffectiveAttributes() {
        set("http://example.com/x/y", "a=1; Max-Age=60; HttpOnly; SameSite=strict; Expires=junk",
                "b=2; Domain=.EXAMPLE.com; Path=/; SameSite=None");
        List<Cookie> got = jar.cookies(URI.create("http://example.com/x/z"));
        assertThat(got).containsExactly(
                Cookie.of("a", "1").withPath("/x").withExpires(START.plusSeconds(60)).withHttpOnly(true)
                        .withSameSite("Strict"),
                Cookie.of("b", "2").withDomain("example.com").withPath("/").withSameSite("None"));
        assertThatThrownBy(() -> got.add(Cookie.of("c", "3"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void perSiteLimitEvictsExpiredCookiesFirst() {
        for (int i = 0; i < InMemoryCookieJar.MAX_COOKIES_PER_SITE - 1; i++) {
            set("http://h.com/", "c" + i + "=x");
        }
        set("http://h.com/", "last=x; Max-Age=10"); // the most recently used, but expired below
        clock.advance(Duration.ofSeconds(10));
        set("http://h.com/", "new=x");
        assertThat(jar.size()).isEqualTo(InMemoryCookieJar.MAX_COOKIES_PER_SITE);
        assertThat(header("http://h.com/")).startsWith("c0=x; c1=x;").endsWith("c48=x; new=x");
    }

    @Test
    void perSiteLimitThenEvictsTheLeastRecentlyAccessed() {
        for (int i = 0; i < InMemoryCookieJar.MAX_COOKIES_PER_SITE; i++) {
            set("http://h.com/", "c" + i + "=x; Path=/p" + i);
        }
        set("http://other.com/", "o=x");
        assertThat(header("http://h.com/p0")).isEqualTo("c0=x"); // c0 is now the most recently used
        set("http://h.com/", "new=x; Path=/p0");
        assertThat(jar.size()).isEqualTo(InMemoryCookieJar.MAX_COOKIES_PER_SITE + 1);
        assertThat(header("http://h.com/p1")).as("least recently accessed").isEmpty();
        assertThat(header("http://h.com/p2")).isEqualTo("c2=x");
        assertThat(header("http://h.com/p0")).isEqualTo("c0=x; new=x");
        assertThat(header("http://other.com/")).as("another domain is untouched").isEqualTo("o=x");
    }

    @Test
    void totalLimitEvictsExpiredCookiesFirstThenTheLeastRecentlyAccessed() {
        int domains = InMemoryCookieJar.MAX_COOKIES / InMemoryCookieJar.MAX_COOKIES_PER_SITE;
        for (int d = 0; d < domains; d++) {
            for (int i = 0; i < InMemoryCookieJar.MAX_COOKIES_PER_SITE; i++) {
                boolean last = d == domains - 1 && i == InMemoryCookieJar.MAX_COOKIES_PER_SITE - 1;
                set("https://d" + d + ".com/", "c" + i + "=x" + (last ? "; Max-Age=10" : ""));
            }
        }
        assertThat(jar.size()).isEqualTo(InMemoryCookieJar.MAX_COOKIES);
        clock.advance(Duration.ofSeconds(10));

        set("https://new.com/", "n1=x"); // the expired, most recently created cookie goes
        assertThat(jar.size()).isEqualTo(InMemoryCookieJar.MAX_COOKIES);
        assertThat(header("https://d0.com/")).startsWith("c0=x; c1=x;"); // d0 is now recently used

        set("https://new.com/", "n2=x"); // then the least recently accessed: d1's oldest
        assertThat(jar.size()).isEqualTo(InMemoryCookieJar.MAX_COOKIES);
        assertThat(header("https://d1.com/")).startsWith("c1=x; c2=x;");
        assertThat(header("https://d0.com/")).startsWith("c0=x; c1=x;");
        assertThat(header("https://new.com/")).isEqualTo("n1=x; n2=x");
    }

    @Test
    void misuseIsRejectedWithTheState() {
        List<Cookie> one = List.of(Cookie.of("a", "1"));
        assertThatThrownBy(() -> jar.setCookies(null, one)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> jar.setCookies(URI.create("/relative"), one))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/relative");
        assertThatThrownBy(() -> jar.cookies(URI.create("mailto:a@b.com")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mailto:a@b.com");
        assertThatThrownBy(() -> jar.setCookies(URI.create("http://h.com/"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http://h.com/");
        assertThatThrownBy(() -> jar.setCookies(URI.create("http://h.com/"), Arrays.asList(Cookie.of("a", "1"), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 1 of 2");
        assertThat(jar.size()).isZero();
        assertThatThrownBy(() -> TestCookieJars.inMemory(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inMemoryReturnsANewEmptyJar() {
        CookieJar a = CookieJar.inMemory();
        CookieJar b = CookieJar.inMemory();
        a.setCookies(URI.create("http://h.com/"), List.of(Cookie.of("a", "1")));
        assertThat(a.cookies(URI.create("http://h.com/"))).containsExactly(Cookie.of("a", "1").withPath("/"));
        assertThat(b.cookies(URI.create("http://h.com/"))).isEmpty();
    }

    @Test
    void concurrentSettersAndGettersKeepTheStoreConsistentAndBounded() throws Exception {
        int threads = 8;
        int domainsPerThread = 10;
        int rounds = 1_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        URI uri = URI.create("http://d" + thread + "-" + (i % domainsPerThread) + ".example.com/");
                        jar.setCookies(uri, List.of(Cookie.of("c" + i, "v"), Cookie.of("shared", "v")
                                .withDomain("example.com").withMaxAge(i % 3 == 0 ? 0L : 60L)));
                        assertThat(jar.cookies(uri).size()).isLessThanOrEqualTo(
                                InMemoryCookieJar.MAX_COOKIES_PER_SITE + 1);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS); // rethrows any exception of the thread
            }
        } finally {
            pool.shutdownNow();
        }
        int sum = header("http://example.com/").isEmpty() ? 0 : 1;
        for (int t = 0; t < threads; t++) {
            for (int d = 0; d < domainsPerThread; d++) {
                List<Cookie> got = jar.cookies(URI.create("http://d" + t + "-" + d + ".example.com/"));
                assertThat(got.stream().filter(c -> c.domain() == null).count())
                        .isLessThanOrEqualTo(InMemoryCookieJar.MAX_COOKIES_PER_SITE);
                sum += got.size() - (got.stream().anyMatch(c -> c.name().equals("shared")) ? 1 : 0);
            }
        }
        assertThat(jar.size()).as("every stored cookie is reachable").isEqualTo(sum)
                .isLessThanOrEqualTo(InMemoryCookieJar.MAX_COOKIES);
    }
}
