package dev.roundtrip.logging;

import dev.roundtrip.BodyListener;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import java.io.IOException;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * LoggingRoundTripper is a {@link RoundTripper} that logs each exchange it passes to the
 * RoundTripper it wraps: request and response lines at {@link Level#BASIC}, plus headers at
 * {@link Level#HEADERS}, plus bodies at {@link Level#BODY}. It is built on the public API of
 * {@code dev.roundtrip} only, as an example of middleware, and never changes the exchange: the
 * wrapped RoundTripper gets the caller's request object, the caller gets every response byte
 * unchanged, and an exception from below is rethrown as the same object.
 *
 * <p>One exchange, in order:
 * <ol>
 *   <li>the request message: {@code --> GET http://host/path}, then (by level) its header lines
 *       and its body when that can be read without consuming it (see {@link Level#BODY});</li>
 *   <li>the wrapped RoundTripper runs; if it throws, {@code <-- HTTP FAILED: <exception> (url, ms)}
 *       is logged and the same exception rethrown;</li>
 *   <li>the response head message, as soon as the head arrives (the body is streamed, so its
 *       time is the time to the head): {@code <-- 200 OK http://host/path (12.3 ms, 1234-byte
 *       body)}, then (by level) the response header lines;</li>
 *   <li>the response is returned with a {@link BodyListener} on its body
 *       ({@link Response#withBodyListener}), which counts (and at BODY, keeps the first
 *       {@link Builder#maxBodyBytes(int) maxBodyBytes} of) the bytes as the caller reads them;</li>
 *   <li>the end message, once, when the caller reads the body to its end or closes it (at once
 *       for a response without a body: HEAD, 204, 304, {@code Content-Length: 0}):
 *       (by level) the body text and any trailer lines, then {@code <-- END 200 http://host/path
 *       (1234-byte body, 15.2 ms total; connection 0.4 ms (new), write 0.1 ms, ttfb 11.8 ms,
 *       transfer 2.9 ms)} with the phases from {@link Response#timings()} when the response came
 *       from the network. A body that fails while being read logs {@code <-- HTTP FAILED} instead.
 *       A response that is never closed nor read to its end logs no end message.</li>
 * </ol>
 * Each message is handed to the sink in one call, its lines joined by {@code \n}, so the lines
 * of concurrent exchanges never interleave within a message; the URL on every {@code <--} line
 * tells which exchange a message belongs to.
 *
 * <p>Redaction (a {@link Redactor}): the values of credential fields
 * ({@link dev.roundtrip.Headers#isSensitive(String)}: {@code Authorization},
 * {@code Proxy-Authorization}, {@code Cookie}, {@code Set-Cookie}, {@code X-Api-Key},
 * {@code X-Auth-Token} and the like) and of any name added with {@link Builder#redactHeader} are
 * printed as {@value #REDACTED}, in requests, responses and trailers; names compare ignoring case.
 * A URL's whole user information is printed as {@value #REDACTED} (a token is often the user
 * name: {@code https://***@host/}), and so are the values of the query parameters added with
 * {@link Builder#redactQueryParam} ({@code ?access_token=***}). Bodies are not redacted: BODY is
 * for development, not for production logs.
 *
 * <p>Messages go to the {@link System.Logger} named {@value #DEFAULT_LOGGER_NAME} at
 * {@code INFO} unless another logger or a {@code Consumer<String>} is given; when the logger
 * does not log at that level, or the level is {@link Level#NONE}, requests pass straight through
 * with nothing wrapped. A sink that throws loses that message; the exchange is not affected.
 *
 * <p>Immutable and safe for concurrent use, as every RoundTripper must be.
 */
public final class LoggingRoundTripper implements RoundTripper {
    /** DEFAULT_LEVEL is the level of a builder that was not given one: {@link Level#BASIC}. */
    public static final Level DEFAULT_LEVEL = Level.BASIC;

    /** DEFAULT_MAX_BODY_BYTES is how many bytes of each body {@link Level#BODY} shows: 4 KiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 4096;

    /** DEFAULT_LOGGER_NAME is the name of the default {@link System.Logger}: {@value}. */
    public static final String DEFAULT_LOGGER_NAME = "dev.roundtrip.logging";

    /** DEFAULT_LOGGER_LEVEL is the level messages are logged at on a {@link System.Logger}: INFO. */
    public static final System.Logger.Level DEFAULT_LOGGER_LEVEL = System.Logger.Level.INFO;

    /**
     * DEFAULT_REDACTED_HEADERS are the header names whose values are always redacted:
     * {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}, {@code Set-Cookie}, and
     * with them every name {@link dev.roundtrip.Headers#isSensitive(String)} matches
     * ({@code X-Api-Key}, {@code X-Auth-Token}, ...).
     */
    public static final Set<String> DEFAULT_REDACTED_HEADERS =
            Set.of("Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie");

    /** REDACTED is what is printed instead of a redacted value: {@value}, as core prints passwords. */
    public static final String REDACTED = "***";

    /** Level is how much of each exchange is logged. */
    public enum Level {
        /** NONE logs nothing and wraps nothing: requests pass straight through. */
        NONE,
        /**
         * BASIC logs the request line, the response line when the head arrives, and the end line
         * when the body is finished or closed:
         * <pre>
         * --&gt; POST http://host/greeting (3-byte body)
         * &lt;-- 200 OK http://host/greeting (22.0 ms, 6-byte body)
         * &lt;-- END 200 http://host/greeting (6-byte body, 22.4 ms total; connection 0.5 ms (new), ...)
         * </pre>
         */
        BASIC,
        /** HEADERS logs what BASIC logs plus the request and response header lines (and trailers). */
        HEADERS,
        /**
         * BODY logs what HEADERS logs plus the bodies, up to {@link Builder#maxBodyBytes(int)}
         * bytes each. A body is shown as text when its {@code Content-Type} is textual
         * ({@code text/*}, JSON, XML, form data, JavaScript, YAML), decoded with its
         * {@code charset} (UTF-8 when none); otherwise {@code [N-byte binary body omitted]} (or
         * {@code omitted: no Content-Type}, or {@code encoded body omitted} under a
         * {@code Content-Encoding}). The request body is read for logging only when it is
         * replayable ({@link dev.roundtrip.RequestBody#isReplayable()}): it is opened once more,
         * at most {@code maxBodyBytes + 1} bytes are read, and it is closed; a one-shot body is
         * never touched. The response body is captured as the caller reads it, never buffered
         * ahead, and shown in the end message.
         */
        BODY
    }

    private final RoundTripper next;
    private final Level level;
    private final Sink sink;
    private final Set<String> redacted;
    private final Redactor redactor;
    private final int maxBodyBytes;
    private final LogFormat format;

    private LoggingRoundTripper(Builder b) {
        this.next = b.next;
        this.level = b.level;
        this.sink = b.sink != null ? b.sink
                : Sink.of(System.getLogger(DEFAULT_LOGGER_NAME), DEFAULT_LOGGER_LEVEL);
        this.redactor = b.redactor.build();
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(DEFAULT_REDACTED_HEADERS);
        names.addAll(redactor.addedHeaders());
        this.redacted = Collections.unmodifiableSet(names);
        this.maxBodyBytes = b.maxBodyBytes;
        this.format = new LogFormat(redactor, maxBodyBytes);
    }

    /** Returns a builder of a LoggingRoundTripper that wraps {@code next}. */
    public static Builder builder(RoundTripper next) {
        return new Builder(next);
    }

    /** Returns a LoggingRoundTripper wrapping {@code next} that logs at {@code level} to the default logger. */
    public static LoggingRoundTripper wrap(RoundTripper next, Level level) {
        return builder(next).level(level).build();
    }

    /** Returns a builder holding this one's settings (the same wrapped RoundTripper and sink). */
    public Builder toBuilder() {
        Builder b = new Builder(next);
        b.level = level;
        b.sink = sink;
        b.redactor = redactor.toBuilder();
        b.maxBodyBytes = maxBodyBytes;
        return b;
    }

    /** Returns the level. */
    public Level level() {
        return level;
    }

    /**
     * Returns the header names whose values are redacted ({@link #DEFAULT_REDACTED_HEADERS} and
     * the added ones), ordered ignoring case; every name {@link dev.roundtrip.Headers#isSensitive}
     * matches is redacted as well.
     */
    public Set<String> redactedHeaders() {
        return redacted;
    }

    /** Returns the query parameter names whose values are redacted, ordered ignoring case. */
    public Set<String> redactedQueryParams() {
        return redactor.queryParams();
    }

    /** Returns the redactor: what this logger hides. */
    public Redactor redactor() {
        return redactor;
    }

    /** Returns how many bytes of each body {@link Level#BODY} shows. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * Sends {@code request} through the wrapped RoundTripper, logging the request, the response
     * head and (when the body is finished or closed) the end of the exchange; see the class
     * comment for the order. Exceptions are logged and rethrown unchanged.
     */
    @Override
    public Response roundTrip(Request request) throws IOException {
        Level lvl = level;
        if (lvl == Level.NONE || !sink.enabled()) {
            return next.roundTrip(request);
        }
        String url = format.url(request.uri());
        sink.emit(format.request(request, url, lvl));
        long start = System.nanoTime();
        Response response;
        try {
            response = next.roundTrip(request);
        } catch (IOException | RuntimeException e) {
            sink.emit(format.failed(e, request, url, System.nanoTime() - start));
            throw e;
        }
        Objects.requireNonNull(response, () -> "the wrapped RoundTripper " + next + " returned null for "
                + request.method() + " " + url);
        long headNanos = System.nanoTime() - start;
        try {
            sink.emit(format.responseHead(request, response, url, headNanos, lvl));
            return response.withBodyListener(new BodyEnd(response, url, lvl, start,
                    new BodyCapture(lvl == Level.BODY ? maxBodyBytes : 0)));
        } catch (RuntimeException | Error e) {
            response.close();
            throw e;
        }
    }

    /** Returns a description: level, sink and the wrapped RoundTripper. */
    @Override
    public String toString() {
        return "LoggingRoundTripper[" + level + ", " + sink + "] -> " + next;
    }

    /**
     * BodyEnd captures the body as the caller reads it and logs the end message of one exchange,
     * once; a leaked body (never closed nor read to its end) logs nothing.
     */
    private final class BodyEnd implements BodyListener {
        private final Response response;
        private final String url;
        private final Level lvl;
        private final long start;
        private final BodyCapture capture;

        BodyEnd(Response response, String url, Level lvl, long start, BodyCapture capture) {
            this.response = response;
            this.url = url;
            this.lvl = lvl;
            this.start = start;
            this.capture = capture;
        }

        @Override
        public void bytesRead(byte[] buffer, int offset, int count) {
            capture.add(buffer, offset, count);
        }

        @Override
        public void ended(Outcome outcome, long bytesRead, Throwable failure) {
            if (outcome == Outcome.LEAKED) {
                return;
            }
            long total = System.nanoTime() - start;
            sink.emit(outcome == Outcome.FAILED
                    ? format.bodyFailed(response, url, lvl, capture, failure, total)
                    : format.responseEnd(response, url, lvl, outcome == Outcome.COMPLETE, capture, total));
        }
    }

    /** Builder makes a {@link LoggingRoundTripper}; not thread-safe. */
    public static final class Builder {
        private final RoundTripper next;
        private Level level = DEFAULT_LEVEL;
        private Sink sink;
        private Redactor.Builder redactor = Redactor.builder();
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

        private Builder(RoundTripper next) {
            this.next = Objects.requireNonNull(next, "next");
        }

        /** Sets the level; default {@link LoggingRoundTripper#DEFAULT_LEVEL} (BASIC). {@link Level#NONE} turns logging off. */
        public Builder level(Level l) {
            level = Objects.requireNonNull(l, "level");
            return this;
        }

        /**
         * Sends each message to {@code logger} at {@code at}; default the logger named
         * {@value LoggingRoundTripper#DEFAULT_LOGGER_NAME} at INFO. Nothing is logged (or wrapped) while the logger
         * does not log at {@code at}.
         */
        public Builder logger(System.Logger logger, System.Logger.Level at) {
            sink = Sink.of(Objects.requireNonNull(logger, "logger"), Objects.requireNonNull(at, "at"));
            return this;
        }

        /**
         * Sends each message to {@code sink} instead of a logger (for tests and command-line
         * tools). It is called from whichever thread sends the request or reads or closes the
         * body, possibly concurrently, once per message (lines joined by {@code \n}).
         */
        public Builder sink(Consumer<String> sink) {
            this.sink = Sink.of(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /**
         * Adds {@code name} (compared ignoring case) to the headers whose values are printed as
         * {@value LoggingRoundTripper#REDACTED}; {@link LoggingRoundTripper#DEFAULT_REDACTED_HEADERS} are always redacted.
         *
         * @throws IllegalArgumentException if {@code name} is empty
         */
        public Builder redactHeader(String name) {
            redactor.header(name);
            return this;
        }

        /**
         * Adds {@code name} (compared ignoring case, after percent-decoding) to the query
         * parameters whose values are printed as {@value LoggingRoundTripper#REDACTED} in every
         * URL logged, as OkHttp's {@code redactQueryParams}: {@code ?access_token=***&page=2}.
         * None by default.
         *
         * @throws IllegalArgumentException if {@code name} is empty
         */
        public Builder redactQueryParam(String name) {
            redactor.queryParam(name);
            return this;
        }

        /**
         * Sets how many bytes of each request and response body {@link Level#BODY} shows; default
         * {@link LoggingRoundTripper#DEFAULT_MAX_BODY_BYTES} (4 KiB). Zero shows no body content, only sizes. The
         * memory held per exchange is at most this much.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxBodyBytes(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxBodyBytes must be 0 or more, not " + max);
            }
            maxBodyBytes = max;
            return this;
        }

        /** Returns the LoggingRoundTripper. */
        public LoggingRoundTripper build() {
            return new LoggingRoundTripper(this);
        }
    }
}
