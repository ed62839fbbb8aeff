package dev.roundtrip.cli;

import dev.roundtrip.Client;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.logging.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.zip.ZipException;

/**
 * Fetch is one {@code get}: it sends the request through the Client (redirects as the policy
 * says), retries as {@code --retry} says, and copies the body of the final response to the output,
 * decoded with {@code --compressed}.
 *
 * <p>Steps of an attempt: send; a transient status ({@link RetryOptions}) with retries left is
 * closed unread and retried after the wait; with {@code --fail} a status of 400 or more ends the
 * fetch (exit 22) without the body; with {@code -I} there is no body; otherwise the body is
 * copied, counted as received (for {@code size_download}) and decoded. A failure retried by
 * {@code --retry} throws away what the attempt wrote to an output file; what went to standard
 * output cannot be taken back, so such a failure is not retried.
 */
final class Fetch {
    /** What the fetch got: the final response (closed) and its body bytes as received. */
    record Result(Response response, long bodyBytes) {
    }

    private final Client client;
    private final Output out;
    private final RetryOptions retry;
    private final boolean fail;
    private final boolean compressed;
    private final PrintStream warnings; // null: -s
    private final Redactor redactor;
    private final TransferRecord record;
    private final PrintStream progress; // null: no progress line

    /**
     * Creates a fetch through {@code client} into {@code out}; {@code warnings} (null with -s)
     * gets the retry warnings, with URLs as {@code redactor} shows them and control characters
     * escaped; {@code progress} (or null) the progress line of a large download.
     */
    Fetch(Client client, Output out, RetryOptions retry, boolean fail, boolean compressed, PrintStream warnings,
          Redactor redactor, TransferRecord record, PrintStream progress) {
        this.client = client;
        this.out = out;
        this.retry = retry;
        this.fail = fail;
        this.compressed = compressed;
        this.warnings = warnings;
        this.redactor = redactor;
        this.record = record;
        this.progress = progress;
    }

    /** Runs the fetch of {@code request}; the output is finished (flushed, a file closed) on success. */
    Result run(Request request) throws IOException {
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            record.clear(); // -w and --trace describe the last attempt
            long before = out.written();
            Duration wait;
            try (Response r = client.send(request)) {
                if (retry.retryStatus(r.status())
                        && (wait = retry.waitBefore(attempt, r, Duration.ofNanos(System.nanoTime() - start))) != null) {
                    warn("HTTP error " + r.status(), wait, attempt);
                    sleep(wait);
                    continue;
                }
                if (fail && r.status() >= 400) {
                    throw new CliException(ExitCodes.HTTP_ERROR, "the requested URL returned error: " + r.status()
                            + (r.reason().isEmpty() ? "" : " " + r.reason()));
                }
                long bytes = copyBody(r);
                out.finish();
                return new Result(r, bytes);
            } catch (IOException e) {
                boolean rewound = out.written() == before || out.rewind();
                if (!rewound || !retry.retryError(e)
                        || (wait = retry.waitBefore(attempt, null, Duration.ofNanos(System.nanoTime() - start))) == null) {
                    throw e;
                }
                warn(ExitCodes.message(e), wait, attempt);
                sleep(wait);
            }
        }
    }

    private long copyBody(Response r) throws IOException {
        if (r.request().method().equals("HEAD")) {
            return 0;
        }
        ContentDecoding.Counting raw = new ContentDecoding.Counting(r.body());
        DownloadProgress bar = progress != null && DownloadProgress.wanted(r.contentLength(), true)
                ? new DownloadProgress(progress, r.contentLength()) : null;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = compressed ? ContentDecoding.decode(raw, r.headers().first("Content-Encoding")) : raw) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (bar != null) {
                    bar.update(raw.count());
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            if (compressed && r.headers().first("Content-Encoding") != null) {
                throw new CliException(ExitCodes.BAD_CONTENT_ENCODING, "cannot decode the " + r.headers()
                        .first("Content-Encoding") + " body (--compressed): " + e.getMessage(), e);
            }
            throw e;
        }
        if (bar != null) {
            bar.finish(raw.count());
        }
        return raw.count();
    }

    private void warn(String problem, Duration wait, int attempt) {
        if (warnings != null) {
            warnings.println("roundtrip: warning: " + Terminal.escapeControls(Urls.scrub(problem, redactor))
                    + ": will retry in " + Durations.human(wait) + ", " + (retry.retries - attempt + 1) + " retr"
                    + (retry.retries - attempt + 1 == 1 ? "y" : "ies") + " left");
            warnings.flush();
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
