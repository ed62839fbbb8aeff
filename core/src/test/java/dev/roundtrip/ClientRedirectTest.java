package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.roundtrip.error.RedirectException;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redirect method and body rules (reference §6.4; Go's TestClientRedirectTypes, TestPostRedirects,
 * TestDeleteRedirects, TestClientRedirect308NoGetBody, TestClientRedirectNoLocation,
 * TestClientCopyHostOnRedirect), asserted on what the server receives.
 */
class ClientRedirectTest extends TransportTestSupport {
    /** Every byte value, four times: a replayed body must arrive byte for byte. */
    static final byte[] BODY = allBytes(1024);

    static byte[] allBytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private Client client() {
        return Client.builder().transport(transport).build();
    }

    private static boolean hasBody(String method) {
        return method.equals("POST") || method.equals("PUT");
    }

    static Stream<Arguments> redirectTypes() {
        List<Arguments> all = new ArrayList<>();
        for (int code : new int[] {301, 302, 303, 307, 308}) {
            for (String method : new String[] {"GET", "HEAD", "POST", "PUT", "DELETE"}) {
                all.add(arguments(code, method));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{1} answered {0}")
    @MethodSource("redirectTypes")
    void methodBodyAndBodyHeadersOnTheSecondHop(int code, String method) throws Exception {
        server.enqueue(ScriptedResponse.status(code).header("Location", "/second").body("moved"));
        server.enqueue(ScriptedResponse.status(200).body("final"));
        Request request = Request.newBuilder(server.url("/first"))
                .method(method, hasBody(method) ? RequestBody.of(BODY) : null)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Language", "de")
                .header("X-Keep", "kept")
                .build();

        try (Response r = client().send(request)) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyString()).isEqualTo(method.equals("HEAD") ? "" : "final");
        }

        RecordedRequest first = server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(first.method()).isEqualTo(method);
        assertThat(first.body()).isEqualTo(hasBody(method) ? BODY : new byte[0]);

        boolean keepsMethodAndBody = code == 307 || code == 308;
        String expectedMethod = keepsMethodAndBody || method.equals("GET") || method.equals("HEAD") ? method : "GET";
        assertThat(second.method()).isEqualTo(expectedMethod);
        assertThat(second.target()).isEqualTo("/second");
        assertThat(second.header("X-Keep")).isEqualTo("kept");
        if (keepsMethodAndBody) {
            assertThat(second.body()).as("body replayed byte for byte").isEqualTo(hasBody(method) ? BODY : new byte[0]);
            assertThat(second.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(second.header("Content-Language")).isEqualTo("de");
            assertThat(second.header("Content-Length")).isEqualTo(hasBody(method) ? "1024" : null);
        } else {
            assertThat(second.body()).isEmpty();
            assertThat(second.header("Content-Type")).as("Content-* dropped with the body").isNull();
            assertThat(second.header("Content-Language")).as("Content-* dropped with the body").isNull();
            assertThat(second.header("Content-Length")).isNull();
            assertThat(second.header("Transfer-Encoding")).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {307, 308})
    void oneShotBodyIsNotReplayedAndTheRedirectIsReturned(int code) throws Exception {
        server.enqueue(ScriptedResponse.status(code).header("Location", "/second").body("cannot resend"));
        Request request = Request.newBuilder(server.url("/upload"))
                .POST(RequestBody.ofStream(new ByteArrayInputStream(BODY), BODY.length)).build();

        try (Response r = client().send(request)) {
            assertThat(r.status()).isEqualTo(code);
            assertThat(r.headers().first("Location")).isEqualTo("/second");
            assertThat(r.bodyString()).isEqualTo("cannot resend");
        }
        RecordedRequest first = server.takeRequest();
        assertThat(first.body()).isEqualTo(BODY);
        assertThat(server.takeRequest(Duration.ofMillis(100))).as("no second request").isNull();
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void oneShotBodyIsNoObstacleToA303() throws Exception {
        server.enqueue(ScriptedResponse.status(303).header("Location", "/result"));
        server.enqueue(ScriptedResponse.status(200).body("result"));
        Request request = Request.newBuilder(server.url("/form"))
                .POST(RequestBody.ofStream(new ByteArrayInputStream(BODY))).build();

        try (Response r = client().send(request)) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyString()).isEqualTo("result");
        }
        assertThat(server.takeRequest().body()).isEqualTo(BODY);
        RecordedRequest second = server.takeRequest();
        assertThat(second.method()).isEqualTo("GET");
        assertThat(second.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void redirectWithoutLocationIsTheFinalResponse(int code) throws Exception {
        server.enqueue(ScriptedResponse.status(code).body("no location"));
        try (Response r = client().send(Request.get(server.url("/nowhere")))) {
            assertThat(r.status()).isEqualTo(code);
            assertThat(r.bodyString()).isEqualTo("no location");
        }
        server.takeRequest();
        assertThat(server.takeRequest(Duration.ofMillis(100))).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {300, 304, 305, 306})
    void otherThreeHundredsAreNotFollowed(int code) throws Exception {
        ScriptedResponse resp = ScriptedResponse.status(code).header("Location", "/elsewhere");
        server.enqueue(code == 304 ? resp : resp.body("choose"));
        try (Response r = client().send(Request.get(server.url("/x")))) {
            assertThat(r.status()).isEqualTo(code);
            assertThat(r.headers().first("Location")).isEqualTo("/elsewhere");
            assertThat(r.bodyString()).isEqualTo(code == 304 ? "" : "choose");
        }
        server.takeRequest();
        assertThat(server.takeRequest(Duration.ofMillis(100))).isNull();
    }

    /** Answers /hop/N with codes[N] and a Location of /hop/N+1, and the last hop with 200. */
    private void chain(int... codes) {
        server.setDispatcher(r -> {
            int n = Integer.parseInt(r.target().substring("/hop/".length()));
            return n < codes.length
                    ? ScriptedResponse.status(codes[n]).header("Location", "/hop/" + (n + 1)).body("hop " + n)
                    : ScriptedResponse.status(200).body("end");
        });
    }

    private List<String> drainLog(int count) throws InterruptedException {
        List<String> log = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordedRequest r = server.takeRequest();
            log.add(r.method() + " " + r.target() + " " + r.bodyUtf8());
        }
        assertThat(server.takeRequest(Duration.ofMillis(50))).isNull();
        return log;
    }

    @Test
    void postRedirectChainAsGoTestPostRedirects() throws Exception {
        chain(307, 308, 302, 307, 303, 308, 301);
        Request request = Request.newBuilder(server.url("/hop/0")).POST(RequestBody.of("payload"))
                .header("Content-Type", "text/plain").build();
        try (Response r = client().send(request)) {
            assertThat(r.bodyString()).isEqualTo("end");
        }
        assertThat(drainLog(8)).containsExactly(
                "POST /hop/0 payload",
                "POST /hop/1 payload",
                "POST /hop/2 payload",
                "GET /hop/3 ",
                "GET /hop/4 ",
                "GET /hop/5 ",
                "GET /hop/6 ",
                "GET /hop/7 ");
    }

    @Test
    void deleteRedirectChainAsGoTestDeleteRedirects() throws Exception {
        chain(307, 308, 301, 307, 302, 303);
        Request request = Request.newBuilder(server.url("/hop/0")).DELETE().build();
        try (Response r = client().send(request)) {
            assertThat(r.bodyString()).isEqualTo("end");
        }
        assertThat(drainLog(7)).containsExactly(
                "DELETE /hop/0 ",
                "DELETE /hop/1 ",
                "DELETE /hop/2 ",
                "GET /hop/3 ",
                "GET /hop/4 ",
                "GET /hop/5 ",
                "GET /hop/6 ");
    }

    @Test
    void bodyHeadersStayDroppedOnceTheMethodBecameGet() throws Exception {
        chain(302, 307, 308);
        Request request = Request.newBuilder(server.url("/hop/0")).POST(RequestBody.of("payload"))
                .header("Content-Type", "text/plain").header("Content-Language", "en").build();
        try (Response r = client().send(request)) {
            assertThat(r.bodyString()).isEqualTo("end");
        }
        assertThat(server.takeRequest().header("Content-Type")).isEqualTo("text/plain");
        for (int i = 1; i <= 3; i++) {
            RecordedRequest r = server.takeRequest();
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.body()).isEmpty();
            assertThat(r.header("Content-Type")).as("Content-Type on bodyless GET %s", r.target()).isNull();
            assertThat(r.header("Content-Language")).as("Content-Language on GET %s", r.target()).isNull();
        }
    }

    @Test
    void replayableSupplierBodyIsReopenedForEachHop() throws Exception {
        chain(307, 308);
        int[] opens = {0};
        RequestBody body = RequestBody.ofSupplier(() -> {
            opens[0]++;
            return new ByteArrayInputStream(BODY);
        }, BODY.length);
        try (Response r = client().send(Request.newBuilder(server.url("/hop/0")).PUT(body).build())) {
            assertThat(r.bodyString()).isEqualTo("end");
        }
        for (int i = 0; i < 3; i++) {
            RecordedRequest r = server.takeRequest();
            assertThat(r.method()).isEqualTo("PUT");
            assertThat(r.body()).isEqualTo(BODY);
        }
        assertThat(opens[0]).isEqualTo(3);
    }

    @Test
    void relativeAndAbsoluteLocationsResolveAgainstTheCurrentUrl() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "b/c?x=1"));
        server.enqueue(ScriptedResponse.status(302).header("Location", "../d"));
        server.enqueue(ScriptedResponse.status(302).header("Location", "//127.0.0.1:" + server.port() + "/e"));
        server.enqueue(ScriptedResponse.status(302).header("Location", " /f "));
        server.enqueue(ScriptedResponse.status(200).body("done"));
        try (Response r = client().send(Request.get(server.url("/dir/a")))) {
            assertThat(r.bodyString()).isEqualTo("done");
        }
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            targets.add(server.takeRequest().target());
        }
        assertThat(targets).containsExactly("/dir/a", "/dir/b/c?x=1", "/dir/d", "/e", "/f");
    }

    @Test
    void queryOnlyLocationKeepsThePath() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "?page=2"));
        server.enqueue(ScriptedResponse.status(200).body("page 2"));
        try (Response r = client().send(Request.get(server.url("/list/items?page=1")))) {
            assertThat(r.bodyString()).isEqualTo("page 2");
        }
        server.takeRequest();
        assertThat(server.takeRequest().target()).isEqualTo("/list/items?page=2");
    }

    @Test
    void explicitHostIsKeptOnlyForRelativeRedirects() throws Exception {
        String absolute = server.url("/c").toString();
        server.enqueue(ScriptedResponse.status(302).header("Location", "/b"));
        server.enqueue(ScriptedResponse.status(302).header("Location", absolute));
        server.enqueue(ScriptedResponse.status(200).body("ok"));
        Request request = Request.newBuilder(server.url("/a")).header("Host", "virtual.test").build();
        try (Response r = client().send(request)) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(server.takeRequest().header("Host")).isEqualTo("virtual.test");
        assertThat(server.takeRequest().header("Host")).as("relative Location (Go #22233)").isEqualTo("virtual.test");
        assertThat(server.takeRequest().header("Host")).as("absolute Location")
                .isEqualTo("127.0.0.1:" + server.port());
    }

    @Test
    void unparsableLocationFailsNamingItAndClosesTheRedirect() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "http://[bad").body("x"));
        RedirectException e = catchThrowableOfType(() -> client().send(Request.get(server.url("/bad"))),
                RedirectException.class);
        assertThat(e).hasMessageStartingWith("GET " + server.url("/bad") + ": ")
                .hasMessageContaining("failed to parse Location header")
                .hasMessageContaining("http://[bad");
        assertThat(e.getCause()).isInstanceOf(RedirectException.class);
    }

    @Test
    void redirectToAnotherSchemeIsRefused() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "ftp://127.0.0.1/file").body("x"));
        RedirectException e = catchThrowableOfType(() -> client().send(Request.get(server.url("/ftp"))),
                RedirectException.class);
        assertThat(e).hasMessageStartingWith("GET " + server.url("/ftp") + ": ")
                .hasMessageContaining("unsupported redirect to")
                .hasMessageContaining("ftp://127.0.0.1/file");
        assertThat(server.requestCount()).isEqualTo(1);
    }
}
