package dev.roundtrip.internal.wire;

import static dev.roundtrip.internal.wire.RequestHeadWriter.CHUNKED;
import static dev.roundtrip.internal.wire.RequestHeadWriter.NO_BODY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RequestHeadWriterTest checks the exact bytes of request heads against Go's order (reference §7.1). */
class RequestHeadWriterTest {
    private static final String[] NONE = new String[0];

    /** RecordingTrace records the header events the writer reports, in order. */
    static final class RecordingTrace implements HeadListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void wroteField(String name, List<String> values) {
            events.add(name + "=" + values);
        }

        @Override
        public void wroteHead() {
            events.add("wroteHeaders");
        }
    }

    private static String write(String method, String target, String userAgent, String[] headers, boolean close,
                                long bodyLength, String[] extra, HeadListener trace) {
        HeadBuffer out = new HeadBuffer(1);
        RequestHeadWriter.write(out, method, target, "example.com", userAgent, headers, headers.length / 2, close,
                bodyLength, extra, trace);
        return new String(out.array(), 0, out.size(), StandardCharsets.ISO_8859_1);
    }

    private static String write(String method, String[] headers, boolean close, long bodyLength) {
        return write(method, "/", "Go-http-client/1.1", headers, close, bodyLength, null, null);
    }

    private static long count(String s, String part) {
        return s.lines().filter(l -> l.regionMatches(true, 0, part, 0, part.length())).count();
    }

    @Test
    void minimalGet() {
        assertThat(write("GET", NONE, false, NO_BODY))
                .isEqualTo("GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Go-http-client/1.1\r\n\r\n");
    }

    @Test
    void everySectionInGoOrder() {
        String[] headers = {
            "X-B", "2",
            "accept", "*/*",
            "Host", "evil.example",
            "X-A", "1",
            "User-Agent", "ignored/1",
            "Content-Length", "99",
            "Transfer-Encoding", "gzip",
            "Trailer", "X-T",
            "X-B", "1",
            "content-type", "text/plain",
        };
        String[] extra = {"X-Extra-B", "b", "A-Extra", "a"};
        assertThat(write("POST", "/upload?x=1", "roundtrip/1", headers, true, 5, extra, null)).isEqualTo(
                "POST /upload?x=1 HTTP/1.1\r\n"
                        + "Host: example.com\r\n"
                        + "User-Agent: roundtrip/1\r\n"
                        + "Connection: close\r\n"
                        + "Content-Length: 5\r\n"
                        + "accept: */*\r\n"
                        + "content-type: text/plain\r\n"
                        + "X-A: 1\r\n"
                        + "X-B: 2\r\n"
                        + "X-B: 1\r\n"
                        + "A-Extra: a\r\n"
                        + "X-Extra-B: b\r\n"
                        + "\r\n");
    }

    @Test
    void chunkedGoesWhereContentLengthWouldBe() {
        assertThat(write("PUT", new String[] {"A", "1"}, true, CHUNKED)).isEqualTo(
                "PUT / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Go-http-client/1.1\r\nConnection: close\r\n"
                        + "Transfer-Encoding: chunked\r\nA: 1\r\n\r\n");
    }

    @Test
    void valuesOfOneNameKeepInsertionOrderWhateverTheCase() {
        String[] headers = {"x-b", "1", "X-A", "a", "X-B", "2", "x-b", "3", "X-a", "b"};
        assertThat(write("GET", headers, false, NO_BODY)).endsWith(
                "User-Agent: Go-http-client/1.1\r\nX-A: a\r\nX-a: b\r\nx-b: 1\r\nX-B: 2\r\nx-b: 3\r\n\r\n");
    }

    @Test
    void managedCallerHeadersAreSkippedInAnyCase() {
        String[] headers = {"host", "h", "USER-AGENT", "u", "content-length", "1", "transfer-encoding", "chunked",
            "TRAILER", "t", "Hosts", "kept", "X-Host", "kept"};
        assertThat(write("GET", headers, false, NO_BODY)).isEqualTo(
                "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Go-http-client/1.1\r\n"
                        + "Hosts: kept\r\nX-Host: kept\r\n\r\n");
    }

    @Test
    void extraHeadersAreSortedAfterCallerHeadersAndNotFiltered() {
        String[] extra = {"Z-Extra", "z", "Authorization", "Basic x", "Z-Extra", "y"};
        assertThat(write("GET", "/", "ua", new String[] {"Y-Caller", "y"}, false, NO_BODY, extra, null))
                .isEqualTo("GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: ua\r\nY-Caller: y\r\n"
                        + "Authorization: Basic x\r\nZ-Extra: z\r\nZ-Extra: y\r\n\r\n");
    }

    @Test
    void requestTargetIsWrittenAsGiven() {
        assertThat(write("CONNECT", "example.com:443", "ua", NONE, false, NO_BODY, null, null))
                .startsWith("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n");
        assertThat(write("GET", "http://example.com/a?b=c", "ua", NONE, false, NO_BODY, null, null))
                .startsWith("GET http://example.com/a?b=c HTTP/1.1\r\n");
    }

    // ---- Connection: close ----

    @Test
    void connectionCloseWrittenOnceWhenOnlyTheFlagIsSet() {
        String head = write("GET", NONE, true, NO_BODY);
        assertThat(count(head, "Connection:")).isEqualTo(1);
        assertThat(head).contains("User-Agent: Go-http-client/1.1\r\nConnection: close\r\n\r\n");
    }

    @Test
    void connectionCloseWrittenOnceWhenTheCallerAlsoSetsIt() {
        String head = write("GET", new String[] {"B", "b", "Connection", "close", "A", "a"}, true, NO_BODY);
        assertThat(count(head, "Connection:")).isEqualTo(1);
        assertThat(head).isEqualTo("GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Go-http-client/1.1\r\n"
                + "A: a\r\nB: b\r\nConnection: close\r\n\r\n");
    }

    @Test
    void connectionCloseTokenInTheCallersListCounts() {
        String head = write("GET", new String[] {"connection", "Keep-Alive, CLOSE"}, true, NO_BODY);
        assertThat(count(head, "Connection:")).isEqualTo(1);
        assertThat(head).contains("connection: Keep-Alive, CLOSE\r\n");
    }

    @Test
    void callersConnectionCloseWithoutTheFlagIsWrittenOnce() {
        String head = write("GET", new String[] {"Connection", "close"}, false, NO_BODY);
        assertThat(count(head, "Connection:")).isEqualTo(1);
    }

    @Test
    void callersOtherConnectionTokensDoNotReplaceClose() {
        String head = write("GET", new String[] {"Connection", "keep-alive"}, true, NO_BODY);
        assertThat(head).isEqualTo("GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Go-http-client/1.1\r\n"
                + "Connection: close\r\nConnection: keep-alive\r\n\r\n");
    }

    // ---- Content-Length ----

    @Test
    void zeroLengthOnMethodsThatUsuallyLackABodySendsNoContentLength() {
        for (String method : new String[] {"GET", "HEAD", "DELETE", "OPTIONS"}) {
            assertThat(write(method, NONE, false, 0)).as(method).doesNotContain("Content-Length")
                    .doesNotContain("Transfer-Encoding");
        }
    }

    @Test
    void zeroLengthOnPostPutPatchSendsContentLengthZero() {
        for (String method : new String[] {"POST", "PUT", "PATCH"}) {
            assertThat(write(method, NONE, false, 0)).as(method).isEqualTo(method
                    + " / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Go-http-client/1.1\r\nContent-Length: 0\r\n\r\n");
        }
    }

    @Test
    void noBodySendsNeitherLengthNorChunked() {
        for (String method : new String[] {"GET", "POST"}) {
            assertThat(write(method, NONE, false, NO_BODY)).as(method).isEqualTo(method
                    + " / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Go-http-client/1.1\r\n\r\n");
        }
    }

    @Test
    void positiveLengthIsSentForAnyMethod() {
        assertThat(write("GET", NONE, false, 12345678901L)).contains("\r\nContent-Length: 12345678901\r\n");
        assertThat(write("DELETE", NONE, false, 1)).contains("\r\nContent-Length: 1\r\n");
    }

    @Test
    void chunkedSendsTransferEncodingOnly() {
        String head = write("POST", NONE, false, CHUNKED);
        assertThat(head).isEqualTo("POST / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Go-http-client/1.1\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
    }

    @Test
    void sendsContentLengthRules() {
        assertThat(RequestHeadWriter.sendsContentLength("GET", 1)).isTrue();
        assertThat(RequestHeadWriter.sendsContentLength("GET", 0)).isFalse();
        assertThat(RequestHeadWriter.sendsContentLength("POST", 0)).isTrue();
        assertThat(RequestHeadWriter.sendsContentLength("post", 0)).isFalse();
        assertThat(RequestHeadWriter.sendsContentLength("POST", NO_BODY)).isFalse();
        assertThat(RequestHeadWriter.sendsContentLength("POST", CHUNKED)).isFalse();
    }

    @Test
    void usuallyBodylessMethods() {
        for (String m : new String[] {"GET", "HEAD", "DELETE", "OPTIONS", "PROPFIND", "SEARCH"}) {
            assertThat(RequestHeadWriter.usuallyBodyless(m)).as(m).isTrue();
        }
        for (String m : new String[] {"POST", "PUT", "PATCH", "CONNECT", "get"}) {
            assertThat(RequestHeadWriter.usuallyBodyless(m)).as(m).isFalse();
        }
    }

    // ---- User-Agent ----

    @Test
    void emptyOrNullUserAgentIsOmitted() {
        assertThat(write("GET", "/", "", NONE, false, NO_BODY, null, null))
                .isEqualTo("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertThat(write("GET", "/", null, NONE, false, NO_BODY, null, null))
                .isEqualTo("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");
    }

    // ---- trace ----

    @Test
    void traceSeesFieldsInWriteOrderGroupedPerNameThenWroteHeaders() {
        RecordingTrace trace = new RecordingTrace();
        String[] headers = {"X-B", "2", "Accept", "*/*", "Host", "skipped", "X-B", "1"};
        String[] extra = {"X-Extra", "e1", "X-Extra", "e2"};
        write("POST", "/", "roundtrip/1", headers, true, 7, extra, trace);
        assertThat(trace.events).containsExactly(
                "Host=[example.com]",
                "User-Agent=[roundtrip/1]",
                "Connection=[close]",
                "Content-Length=[7]",
                "Accept=[*/*]",
                "X-B=[2, 1]",
                "X-Extra=[e1, e2]",
                "wroteHeaders");
    }

    @Test
    void traceForChunkedWithoutUserAgentAndWithCallerClose() {
        RecordingTrace trace = new RecordingTrace();
        write("PUT", "/", "", new String[] {"Connection", "close"}, true, CHUNKED, null, trace);
        assertThat(trace.events).containsExactly(
                "Host=[example.com]",
                "Transfer-Encoding=[chunked]",
                "Connection=[close]",
                "wroteHeaders");
    }

    @Test
    void appendsToWhatIsAlreadyInTheBuffer() {
        HeadBuffer out = new HeadBuffer(8);
        out.latin1("prefix|");
        RequestHeadWriter.write(out, "GET", "/", "h", null, NONE, 0, false, NO_BODY, null, null);
        assertThat(new String(out.array(), 0, out.size(), StandardCharsets.ISO_8859_1))
                .isEqualTo("prefix|GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    }

    @Test
    void headerCountLimitsWhichPairsAreUsed() {
        HeadBuffer out = new HeadBuffer(64);
        String[] headers = {"A", "1", "B", "2", null, null};
        RequestHeadWriter.write(out, "GET", "/", "h", null, headers, 2, false, NO_BODY, null, null);
        assertThat(new String(out.array(), 0, out.size(), StandardCharsets.ISO_8859_1))
                .isEqualTo("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n");
    }

    /** Fields with the length of a managed name are kept: Date (Host), Referer (Trailer), Connection and
     *  X-Agent-Id (User-Agent), Accept-Charset (Content-Length), If-Modified-Since (Transfer-Encoding). */
    @Test
    void callerFieldsWithTheLengthOfAManagedNameAreKept() {
        String[] headers = {"Date", "d", "Referer", "r", "X-Agent-Id", "a", "Accept-Charset", "c",
            "If-Modified-Since", "i"};
        assertThat(write("GET", headers, false, NO_BODY)).isEqualTo(
                "GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: Go-http-client/1.1\r\n"
                        + "Accept-Charset: c\r\nDate: d\r\nIf-Modified-Since: i\r\nReferer: r\r\nX-Agent-Id: a\r\n\r\n");
    }
}
