package dev.roundtrip.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Client;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.logging.LoggingRoundTripper.Level;
import dev.roundtrip.testserver.RecordedRequest;
import dev.roundtrip.testserver.ScriptedResponse;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Secret values never reach the log, whatever the case of their names; everything else does. */
class RedactionTest extends LoggingTestSupport {

    @Test
    void secretHeaderValuesAreRedactedInRequestsResponsesAndTrailers() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/plain")
                .header("set-cookie", "sid=SECRET-set-cookie-1; HttpOnly")
                .header("SET-COOKIE", "two=SECRET-set-cookie-2")
                .header("x-api-key", "SECRET-api-key-response")
                .header("X-Visible", "visible-response")
                .body("body").chunked(2).trailer("X-API-KEY", "SECRET-api-key-trailer"));
        Request r = Request.newBuilder(server.url("/s"))
                .header("authorization", "Bearer SECRET-authorization")
                .header("COOKIE", "sid=SECRET-cookie")
                .header("Proxy-Authorization", "Basic SECRET-proxy")
                .header("X-Api-Key", "SECRET-api-key")
                .header("X-Visible", "visible-request")
                .build();
        LoggingRoundTripper rt = LoggingRoundTripper.builder(transport).level(Level.BODY).sink(messages::add)
                .redactHeader("x-API-key").build();

        assertThat(send(rt, r)).asString().isEqualTo("body");

        assertThat(rawOutput()).doesNotContain("SECRET");
        assertThat(lines()).contains(
                "authorization: ***", "COOKIE: ***", "Proxy-Authorization: ***", "X-Api-Key: ***",
                "X-Visible: visible-request",
                "set-cookie: ***", "SET-COOKIE: ***", "x-api-key: ***", "X-Visible: visible-response",
                "X-API-KEY: ***");
        RecordedRequest sent = server.takeRequest();
        assertThat(sent.header("Authorization")).as("the request itself is untouched")
                .isEqualTo("Bearer SECRET-authorization");
        assertThat(sent.header("X-Api-Key")).isEqualTo("SECRET-api-key");
    }

    @Test
    void aUrlsWholeUserInfoIsRedacted() throws Exception {
        URI withPassword = URI.create("http://alice:SECRET-pw@127.0.0.1:" + server.port() + "/p?x=1");
        send(logging(Level.BASIC), Request.get(withPassword));
        URI tokenOnly = URI.create("http://ghp_SECRETtoken@127.0.0.1:" + server.port() + "/q");
        send(logging(Level.BASIC), Request.get(tokenOnly));
        URI tokenAsUser = URI.create("http://SECRET-token:x-oauth-basic@127.0.0.1:" + server.port() + "/r");
        send(logging(Level.BASIC), Request.get(tokenAsUser));

        assertThat(rawOutput()).doesNotContain("SECRET").doesNotContain("alice");
        assertThat(lines()).contains("--> GET http://***@127.0.0.1:" + server.port() + "/p?x=1",
                "--> GET http://***@127.0.0.1:" + server.port() + "/q",
                "--> GET http://***@127.0.0.1:" + server.port() + "/r");
    }

    @Test
    void wellKnownApiKeyAndTokenHeadersAreRedactedWithoutAsking() throws Exception {
        server.enqueue(ScriptedResponse.status(200).header("X-Auth-Token", "SECRET-new-token").body("ok"));
        Request r = Request.newBuilder(server.url("/k")).header("X-Api-Key", "SECRET-key")
                .header("X-Amz-Security-Token", "SECRET-session").header("Private-Token", "SECRET-gitlab")
                .header("X-Trace", "visible").build();
        send(logging(Level.HEADERS), r);
        assertThat(rawOutput()).doesNotContain("SECRET");
        assertThat(lines()).contains("X-Api-Key: ***", "X-Amz-Security-Token: ***", "Private-Token: ***",
                "X-Auth-Token: ***", "X-Trace: visible");
    }

    @Test
    void namedQueryParametersAreRedactedEverywhereTheUrlIsShown() throws Exception {
        LoggingRoundTripper rt = LoggingRoundTripper.builder(transport).level(Level.BASIC).sink(messages::add)
                .redactQueryParam("access_token").redactQueryParam("X-Amz-Signature").build();
        send(rt, Request.get(server.url("/q?page=2&ACCESS_TOKEN=SECRET1&access%5Ftoken=SECRET2&x-amz-signature=SECRET3"
                + "&flag&access_tokenX=shown")));
        assertThat(rawOutput()).doesNotContain("SECRET");
        assertThat(lines()).contains("--> GET http://HOST/q?page=2&ACCESS_TOKEN=***&access%5Ftoken=***"
                + "&x-amz-signature=***&flag&access_tokenX=shown");
        assertThat(server.takeRequest().target()).as("the request itself is untouched")
                .contains("ACCESS_TOKEN=SECRET1");
        assertThat(rt.redactedQueryParams()).containsExactlyInAnyOrder("access_token", "X-Amz-Signature");
    }

    @Test
    void aFailureNeverShowsARedactedQueryParameterOrUserInfo() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        LoggingRoundTripper rt = LoggingRoundTripper.builder(transport).level(Level.BASIC).sink(messages::add)
                .redactQueryParam("key").build();
        URI uri = URI.create("http://tok:SECRET-pw@127.0.0.1:" + closed + "/x?key=SECRET-key");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> send(rt, Request.get(uri)))
                .isInstanceOf(java.io.IOException.class);
        assertThat(rawOutput()).contains("HTTP FAILED").doesNotContain("SECRET");
    }

    @Test
    void underAClientTheBasicAuthItAddsFromUserInfoIsRedacted() throws Exception {
        // The README's example, with this test's Transport and sink.
        RoundTripper logged = LoggingRoundTripper.builder(transport)
                .level(LoggingRoundTripper.Level.HEADERS).sink(messages::add).build();
        Client client = Client.builder().transport(logged).build();

        URI uri = URI.create("http://alice:SECRET-pw@127.0.0.1:" + server.port() + "/c");
        try (Response r = client.send(Request.get(uri))) {
            assertThat(r.bodyString()).isEqualTo("ok");
        }
        assertThat(server.takeRequest().header("Authorization")).as("the Client did add it").startsWith("Basic ");
        assertThat(lines()).contains("Authorization: ***");
        assertThat(rawOutput()).doesNotContain("SECRET").doesNotContain("Basic ");
    }

    @Test
    void onlyTheDefaultsAndTheAddedNamesAreRedacted() {
        LoggingRoundTripper rt = LoggingRoundTripper.builder(transport).redactHeader("X-Token").build();
        assertThat(rt.redactedHeaders()).containsExactlyInAnyOrder("Authorization", "Proxy-Authorization", "Cookie",
                "Set-Cookie", "X-Token");
        assertThat(rt.redactedHeaders().contains("x-token")).as("compared ignoring case").isTrue();
        assertThat(rt.redactedHeaders().contains("X-Visible")).isFalse();
    }
}
