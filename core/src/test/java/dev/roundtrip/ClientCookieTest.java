package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Client's use of a {@link CookieJar} on every hop (Go's TestClientSendsCookieFromJar,
 * TestRedirectCookiesJar, TestJarCalls, TestClientAltersCookiesOnRedirect). Host names resolve to
 * the loopback test server.
 */
class ClientCookieTest extends TransportTestSupport {

    @Override
    protected TransportConfig config() {
        return TransportConfig.builder().resolver(host -> List.of(InetAddress.getLoopbackAddress())).build();
    }

    private URI url(String host, String path) {
        return URI.create("http://" + host + ":" + server.port() + path);
    }

    private Client client(CookieJar jar) {
        return Client.builder().transport(transport).cookieJar(jar).build();
    }

    private static void read(Response r) throws Exception {
        try (r) {
            r.bodyString();
        }
    }

    /** Parses a request's Cookie headers into name to values, in order. */
    private static Map<String, List<String>> cookies(RecordedRequest r) {
        Map<String, List<String>> m = new TreeMap<>();
        for (String header : r.headers("Cookie")) {
            for (String pair : header.split(";")) {
                String p = pair.trim();
                int eq = p.indexOf('=');
                m.computeIfAbsent(p.substring(0, eq), k -> new ArrayList<>()).add(p.substring(eq + 1));
            }
        }
        return m;
    }

    @Test
    void cookieSetByARedirectIsSentOnTheNextHopAndLater() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Set-Cookie", "sid=abc; Path=/; HttpOnly")
                .header("Location", "/next"));
        server.enqueue(ScriptedResponse.status(200).body("landed"));
        server.enqueue(ScriptedResponse.status(200).body("later"));
        Client client = client(CookieJar.inMemory());

        read(client.send(Request.get(url("example.test", "/login"))));
        read(client.send(Request.get(url("example.test", "/later"))));

        assertThat(server.takeRequest().headers("Cookie")).isEmpty();
        assertThat(server.takeRequest().headers("Cookie")).containsExactly("sid=abc");
        assertThat(server.takeRequest().headers("Cookie")).as("kept in the jar").containsExactly("sid=abc");
    }

    @Test
    void withoutAJarSetCookieIsIgnored() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Set-Cookie", "sid=abc").header("Location", "/next"));
        server.enqueue(ScriptedResponse.status(200));
        read(Client.builder().transport(transport).build().send(Request.get(url("example.test", "/"))));
        server.takeRequest();
        assertThat(server.takeRequest().headers("Cookie")).isEmpty();
    }

    /** Go's TestRedirectCookiesJar: a seeded jar, a server that echoes the cookies it gets. */
    @Test
    void jarCookiesAndRedirectCookiesAcrossHops() throws Exception {
        server.setDispatcher(r -> {
            ScriptedResponse resp = r.target().equals("/")
                    ? ScriptedResponse.status(301).header("Location", "/second").header("Set-Cookie", "First=Hit")
                    : ScriptedResponse.status(200).header("Set-Cookie", "Second=Hit").body("hello");
            for (Map.Entry<String, List<String>> c : cookies(r).entrySet()) {
                resp = resp.header("Set-Cookie", c.getKey() + "=" + c.getValue().get(0));
            }
            return resp;
        });
        CookieJar jar = CookieJar.inMemory();
        URI start = url("example.test", "/");
        jar.setCookies(start, List.of(Cookie.parse("ChocolateChip=tasty")));

        Response resp = client(jar).send(Request.get(start));
        List<String> setCookies = resp.headers().all("Set-Cookie");
        read(resp);

        assertThat(server.takeRequest().headers("Cookie")).containsExactly("ChocolateChip=tasty");
        assertThat(cookies(server.takeRequest()))
                .containsExactlyEntriesOf(new TreeMap<>(Map.of("ChocolateChip", List.of("tasty"), "First", List.of("Hit"))));
        assertThat(setCookies).containsExactlyInAnyOrder("Second=Hit", "ChocolateChip=tasty", "First=Hit");
        assertThat(jar.cookies(start).stream().map(Cookie::toHeaderPair))
                .containsExactlyInAnyOrder("ChocolateChip=tasty", "First=Hit", "Second=Hit");
    }

    /** A jar that logs its calls as Go's TestJarCalls does. */
    static final class RecordingJar implements CookieJar {
        final List<String> log = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void setCookies(URI uri, List<Cookie> cookies) {
            log.add("SetCookie(\"" + uri + "\", " + cookies.stream().map(Cookie::toHeaderPair)
                    .collect(Collectors.toList()) + ")");
        }

        @Override
        public List<Cookie> cookies(URI uri) {
            log.add("Cookies(\"" + uri + "\")");
            return List.of();
        }
    }

    @Test
    void jarIsConsultedOnEveryHopAndToldAboutEverySetCookie() throws Exception {
        String second = url("secondhost.test", "/secondpath").toString();
        server.setDispatcher(r -> {
            if (r.target().equals("/nosetcookie")) {
                return ScriptedResponse.status(200);
            }
            String suffix = r.target().substring(1);
            ScriptedResponse resp = ScriptedResponse.status(r.target().equals("/") ? 302 : 200)
                    .header("Set-Cookie", "name" + suffix + "=val" + suffix);
            return r.target().equals("/") ? resp.header("Location", second) : resp;
        });
        RecordingJar jar = new RecordingJar();
        Client client = client(jar);

        read(client.send(Request.get(url("example.test", "/"))));
        read(client.send(Request.get(url("example.test", "/nosetcookie"))));

        String first = url("example.test", "/").toString();
        assertThat(jar.log).containsExactly(
                "Cookies(\"" + first + "\")",
                "SetCookie(\"" + first + "\", [name=val])",
                "Cookies(\"" + second + "\")",
                "SetCookie(\"" + second + "\", [namesecondpath=valsecondpath])",
                "Cookies(\"" + url("example.test", "/nosetcookie") + "\")");
    }

    @Test
    void explicitCookieHeaderIsMergedWithTheJar() throws Exception {
        CookieJar jar = CookieJar.inMemory();
        jar.setCookies(url("foo.test", "/"), List.of(Cookie.parse("sid=1; Path=/")));
        Client client = client(jar);

        read(client.send(Request.newBuilder(url("foo.test", "/")).header("Cookie", "pref=dark").build()));
        read(client.send(Request.newBuilder(url("bar.test", "/")).header("Cookie", "pref=dark").build()));

        assertThat(server.takeRequest().headers("Cookie")).containsExactly("pref=dark; sid=1");
        assertThat(server.takeRequest().headers("Cookie")).as("no jar cookie for bar.test").containsExactly("pref=dark");
    }

    @Test
    void cookiesFollowTheJarAcrossHostsWhileExplicitOnesAreDropped() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Set-Cookie", "foo_only=1")
                .header("Set-Cookie", "wide=2; Domain=foo.test").header("Location", url("sub.foo.test", "/a").toString()));
        server.enqueue(ScriptedResponse.status(302).header("Location", url("bar.test", "/b").toString()));
        server.enqueue(ScriptedResponse.status(302).header("Set-Cookie", "bar=3")
                .header("Location", url("bar.test", "/c").toString()));
        server.enqueue(ScriptedResponse.status(200));
        Client client = client(CookieJar.inMemory());

        read(client.send(Request.newBuilder(url("foo.test", "/")).header("Cookie", "explicit=0").build()));

        assertThat(server.takeRequest().headers("Cookie")).containsExactly("explicit=0");
        assertThat(server.takeRequest().headers("Cookie")).as("sub.foo.test: explicit kept, Domain cookie from jar")
                .containsExactly("explicit=0; wide=2");
        assertThat(server.takeRequest().headers("Cookie")).as("bar.test: explicit dropped, none in jar").isEmpty();
        assertThat(server.takeRequest().headers("Cookie")).as("bar.test: its own cookie").containsExactly("bar=3");
    }

    /** Go's TestClientAltersCookiesOnRedirect (#17494). */
    @Test
    void cookiesSetOnTheWayReplaceThoseOfTheExplicitHeader() throws Exception {
        List<Map<String, List<String>>> got = Collections.synchronizedList(new ArrayList<>());
        server.setDispatcher(r -> {
            Map<String, List<String>> c = cookies(r);
            got.add(c);
            String cycle = c.getOrDefault("Cycle", List.of("?")).get(0);
            switch (cycle) {
                case "0":
                    return ScriptedResponse.status(302).header("Location", "/")
                            .header("Set-Cookie", "Cycle=1; Path=/").header("Set-Cookie", "Cookie2=; Path=/; Max-Age=0");
                case "1":
                    return ScriptedResponse.status(302).header("Location", "/")
                            .header("Set-Cookie", "Cycle=2; Path=/").header("Set-Cookie", "Cookie3=NewValue3; Path=/")
                            .header("Set-Cookie", "Cookie4=NewValue4; Path=/");
                case "2":
                    return ScriptedResponse.status(302).header("Location", "/")
                            .header("Set-Cookie", "Cycle=3; Path=/").header("Set-Cookie", "Cookie5=NewValue5; Path=/");
                default:
                    return ScriptedResponse.status(200).body("end");
            }
        });
        CookieJar jar = CookieJar.inMemory();
        URI start = url("example.test", "/");
        jar.setCookies(start, List.of(Cookie.parse("Cookie4=OldValue4; Path=/")));
        jar.setCookies(start, List.of(Cookie.parse("Cycle=0; Path=/")));
        Request request = Request.newBuilder(start).header("Cookie", "Cookie1=OldValue1a; Cookie2=OldValue2; "
                + "Cookie3=OldValue3a; Cookie1=OldValue1b; Cookie3=OldValue3b").build();

        read(client(jar).send(request));

        List<Map<String, List<String>>> want = List.of(
                map("Cookie1", "OldValue1a,OldValue1b", "Cookie2", "OldValue2", "Cookie3", "OldValue3a,OldValue3b",
                        "Cookie4", "OldValue4", "Cycle", "0"),
                map("Cookie1", "OldValue1a,OldValue1b", "Cookie3", "OldValue3a,OldValue3b", "Cookie4", "OldValue4",
                        "Cycle", "1"),
                map("Cookie1", "OldValue1a,OldValue1b", "Cookie3", "NewValue3", "Cookie4", "NewValue4", "Cycle", "2"),
                map("Cookie1", "OldValue1a,OldValue1b", "Cookie3", "NewValue3", "Cookie4", "NewValue4",
                        "Cookie5", "NewValue5", "Cycle", "3"));
        assertThat(got).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(got.get(i)).as("cycle %d", i).containsExactlyInAnyOrderEntriesOf(want.get(i));
        }
    }

    private static Map<String, List<String>> map(String... namesAndValues) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put(namesAndValues[i], List.of(namesAndValues[i + 1].split(",")));
        }
        return m;
    }
}
