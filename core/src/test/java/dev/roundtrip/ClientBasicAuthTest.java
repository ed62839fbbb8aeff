package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.roundtrip.error.TooManyRedirectsException;
import dev.roundtrip.testserver.ScriptedResponse;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * Basic authentication from URL user info (Go's TestBasicAuth, TestBasicAuthHeadersPreserved,
 * TestEmptyPasswordAuth, TestStripPasswordFromError).
 */
class ClientBasicAuthTest extends TransportTestSupport {

    private Client client() {
        return Client.builder().transport(transport).build();
    }

    private URI withUserInfo(String userInfo, String path) {
        return URI.create("http://" + userInfo + "@127.0.0.1:" + server.port() + path);
    }

    private String authorizationSentFor(Request request) throws Exception {
        try (Response r = client().send(request)) {
            r.bodyString();
        }
        return String.join("|", server.takeRequest().headers("Authorization"));
    }

    @Test
    void userInfoBecomesBasicAuthWithThePasswordDecoded() throws Exception {
        assertThat(authorizationSentFor(Request.get(withUserInfo("user:pa%20ss", "/"))))
                .isEqualTo("Basic dXNlcjpwYSBzcw=="); // user:pa ss
        assertThat(authorizationSentFor(Request.get(withUserInfo("user:p%40ss%3Aw", "/"))))
                .isEqualTo("Basic dXNlcjpwQHNzOnc="); // user:p@ss:w
    }

    @Test
    void emptyOrMissingPasswordSendsUserColon() throws Exception {
        assertThat(authorizationSentFor(Request.get(withUserInfo("user:", "/")))).isEqualTo("Basic dXNlcjo=");
        assertThat(authorizationSentFor(Request.get(withUserInfo("user", "/")))).isEqualTo("Basic dXNlcjo=");
    }

    @Test
    void explicitAuthorizationHeaderWins() throws Exception {
        Request request = Request.newBuilder(withUserInfo("user:secret", "/")).header("Authorization", "Bearer tok")
                .build();
        assertThat(authorizationSentFor(request)).isEqualTo("Bearer tok");
    }

    @Test
    void relativeRedirectKeepsTheUserInfo() throws Exception {
        server.enqueue(ScriptedResponse.status(302).header("Location", "/next"));
        server.enqueue(ScriptedResponse.status(200));
        try (Response r = client().send(Request.get(withUserInfo("user:pw", "/first")))) {
            r.bodyString();
        }
        assertThat(server.takeRequest().header("Authorization")).isEqualTo("Basic dXNlcjpwdw==");
        assertThat(server.takeRequest().header("Authorization")).isEqualTo("Basic dXNlcjpwdw==");
    }

    @Test
    void requestToStringHidesTheWholeUserInfo() {
        Request r = Request.get(withUserInfo("user:s3cr%20et", "/path?q=1"));
        assertThat(r.toString()).isEqualTo("GET http://***@127.0.0.1:" + server.port() + "/path?q=1");
        Request token = Request.get(withUserInfo("ghp_T0KEN", "/repo"));
        assertThat(token.toString()).isEqualTo("GET http://***@127.0.0.1:" + server.port() + "/repo");
    }

    @Test
    void userInfoNeverAppearsInAConnectionError() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        for (String userInfo : new String[] {"user:s3cret", "ghp_s3cret"}) { // a password, a token alone
            URI uri = URI.create("http://" + userInfo + "@127.0.0.1:" + closedPort + "/private");
            ConnectException e = catchThrowableOfType(() -> client().send(Request.get(uri)), ConnectException.class);
            assertThat(e).hasMessageStartingWith("GET http://***@127.0.0.1:" + closedPort + "/private: ");
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cret");
                assertThat(t.toString()).doesNotContain("s3cret");
            }
        }
    }

    @Test
    void passwordNeverAppearsInARedirectError() throws Exception {
        server.setDispatcher(r -> ScriptedResponse.status(302).header("Location", r.target() + "x"));
        Client client = Client.builder().transport(transport).redirectPolicy(RedirectPolicy.limit(2)).build();
        TooManyRedirectsException e = catchThrowableOfType(
                () -> client.send(Request.get(withUserInfo("user:s3cret", "/r"))), TooManyRedirectsException.class);
        assertThat(e).hasMessage("GET " + withUserInfo("***", "/rxx") + ": stopped after 2 redirects");
    }
}
