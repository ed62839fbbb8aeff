package dev.roundtrip.logging;

import dev.roundtrip.Headers;
import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import dev.roundtrip.Response;
import dev.roundtrip.Timings;
import dev.roundtrip.logging.LoggingRoundTripper.Level;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * LogFormat turns the events of one exchange into log messages (lines joined by {@code \n}),
 * redacting secret header values and URL passwords. Stateless apart from its settings.
 */
final class LogFormat {
    /** The most a request body is read for the log, whatever maxBodyBytes says (readNBytes takes an int). */
    private static final int MAX_REQUEST_PEEK = Integer.MAX_VALUE - 16;
    private static final byte[] NOTHING = new byte[0];

    private final Redactor redactor;
    private final int maxBodyBytes;

    LogFormat(Redactor redactor, int maxBodyBytes) {
        this.redactor = redactor;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Returns {@code uri} as text, its user info and redacted query parameters as {@code ***}. */
    String url(URI uri) {
        return redactor.url(uri);
    }

    /** Returns the request message: {@code --> METHOD url (N-byte body)}, headers, body by level. */
    String request(Request r, String url, Level level) {
        List<String> lines = new ArrayList<>();
        RequestBody body = r.body();
        lines.add("--> " + r.method() + " " + url + (body == null ? ""
                : body.contentLength() >= 0 ? " (" + body.contentLength() + "-byte body)" : " (unknown-length body)"));
        if (level.compareTo(Level.HEADERS) >= 0) {
            addHeaders(lines, r.headers());
        }
        if (level == Level.BODY && body != null) {
            addRequestBody(lines, r.headers(), body);
        }
        return String.join("\n", lines);
    }

    /**
     * Adds a request body: only a replayable one is opened (once more, reading at most
     * maxBodyBytes + 1 bytes), and only when its Content-Type makes it worth showing.
     */
    private void addRequestBody(List<String> lines, Headers headers, RequestBody body) {
        long length = body.contentLength();
        if (length == 0) {
            return;
        }
        if (!body.isReplayable()) {
            lines.add("[one-shot body not logged: it can be read only once]");
            return;
        }
        if (!BodyText.showsText(headers)) {
            BodyText.append(lines, headers, NOTHING, 0, length);
            return;
        }
        int max = Math.min(maxBodyBytes, MAX_REQUEST_PEEK);
        byte[] peek;
        try (InputStream in = body.open()) {
            peek = in.readNBytes(max + 1);
        } catch (IOException | RuntimeException e) {
            lines.add("[body not logged: reading it failed: " + e + "]");
            return;
        }
        int size = Math.min(peek.length, max);
        long total = length >= 0 ? length : peek.length > max ? -1 : peek.length;
        BodyText.append(lines, headers, peek, size, total);
    }

    /** Returns the response head message: {@code <-- 200 OK url (12.3 ms, N-byte body)}, headers by level. */
    String responseHead(Request request, Response r, String url, long nanos, Level level) {
        List<String> lines = new ArrayList<>();
        String size = hasNoBody(request, r) ? "no body"
                : r.contentLength() >= 0 ? r.contentLength() + "-byte body" : "unknown-length body";
        lines.add("<-- " + statusLine(r) + " " + url + " (" + ms(nanos) + ", " + size + ")");
        if (level.compareTo(Level.HEADERS) >= 0) {
            addHeaders(lines, r.headers());
        }
        return String.join("\n", lines);
    }

    /**
     * Returns the end message: the body (BODY), the trailers (HEADERS and up), then
     * {@code <-- END 200 url (N-byte body, 15.2 ms total; phases)}.
     */
    String responseEnd(Response r, String url, Level level, boolean eof, BodyCapture body, long totalNanos) {
        List<String> lines = new ArrayList<>();
        if (level == Level.BODY) {
            BodyText.append(lines, r.headers(), body.kept(), body.size(), body.total());
        }
        if (level.compareTo(Level.HEADERS) >= 0) {
            addHeaders(lines, r.trailers());
        }
        String read = eof ? body.total() + "-byte body"
                : "closed after " + body.total() + (r.contentLength() >= 0 ? " of " + r.contentLength() : "")
                + " bytes";
        lines.add("<-- END " + r.status() + " " + url + " (" + read + ", " + ms(totalNanos) + " total"
                + phases(r.timings()) + ")");
        return String.join("\n", lines);
    }

    /** Returns the message for a body read that failed: the body so far (BODY), then {@code <-- HTTP FAILED}. */
    String bodyFailed(Response r, String url, Level level, BodyCapture body, Throwable failure, long totalNanos) {
        List<String> lines = new ArrayList<>();
        if (level == Level.BODY) {
            BodyText.append(lines, r.headers(), body.kept(), body.size(), body.total());
        }
        lines.add("<-- HTTP FAILED: " + failure + " (" + r.status() + " " + url + ", after " + body.total()
                + " body bytes, " + ms(totalNanos) + " total)");
        return String.join("\n", lines);
    }

    /**
     * Returns the message for a round trip that threw: {@code <-- HTTP FAILED: <exception> (url,
     * 1.2 ms)}; the request's URL in the exception's text (as written, or as core's messages show
     * it) is replaced by the redacted {@code url}.
     */
    String failed(Exception e, Request request, String url, long nanos) {
        String text = String.valueOf(e);
        String raw = request.uri().toString();
        String coreForm = request.toString().substring(request.method().length() + 1);
        text = text.replace(raw, url).replace(coreForm, url);
        return "<-- HTTP FAILED: " + text + " (" + url + ", " + ms(nanos) + ")";
    }

    private void addHeaders(List<String> lines, Headers h) {
        for (int i = 0; i < h.size(); i++) {
            String name = h.name(i);
            lines.add(name + ": " + redactor.headerValue(name, h.value(i)));
        }
    }

    /** A HEAD response, 1xx, 204 and 304 have no body whatever their Content-Length (RFC 9112 §6.3). */
    private static boolean hasNoBody(Request request, Response r) {
        int s = r.status();
        return request.method().equals("HEAD") || s / 100 == 1 || s == 204 || s == 304;
    }

    private static String statusLine(Response r) {
        return r.reason().isEmpty() ? Integer.toString(r.status()) : r.status() + " " + r.reason();
    }

    /** Returns "; connection 0.4 ms (new), write 0.1 ms, ttfb 1.0 ms, transfer 0.2 ms", or "" off the network. */
    private static String phases(Timings t) {
        if (!t.fromNetwork()) {
            return "";
        }
        return "; connection " + ms(t.connection()) + " (" + (t.reused() ? "reused" : "new")
                + (t.retried() ? ", retried" : "") + "), write " + ms(t.requestWrite()) + ", ttfb "
                + ms(t.timeToFirstByte()) + ", transfer " + ms(t.bodyTransfer());
    }

    private static String ms(Duration d) {
        return ms(d.toNanos());
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
