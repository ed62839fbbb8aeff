package dev.roundtrip.cli;

import dev.roundtrip.PoolStats;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * LeakDemo is section (c) of the demo: a response that is never closed. With
 * {@code TransportConfig.leakTracing(true)} the Transport records where each response was
 * created; when a response is garbage collected with its body still open, the next request or
 * {@code stats()} call reports it (a WARNING on the {@code dev.roundtrip.Transport} logger, with
 * the creation stack as its throwable), counts it in {@link PoolStats#leaks()} and closes the
 * connection. This captures that log record (java.util.logging, the JDK's default System.Logger
 * back end) and prints it.
 *
 * <p>Steps: send a request and drop the response without closing it; call {@code System.gc()} and
 * {@code stats()} until the leak is counted (at most {@link #MAX_WAIT}); print the record and the
 * pool's counters.
 */
final class LeakDemo {
    /** Longest wait for the collector to find the dropped response: 10 s. */
    static final Duration MAX_WAIT = Duration.ofSeconds(10);
    /** Stack frames of the creation site shown. */
    static final int FRAMES_SHOWN = 6;
    private static final String LEAK_CLOSE_REASON = "leaked: response never closed";

    private LeakDemo() {
    }

    /** Runs section (c) against {@code server}, printing to {@code out}. */
    static void run(EmbeddedServer server, PrintStream out, boolean colour) throws IOException, InterruptedException {
        out.println(Terminal.paint(colour, Terminal.BOLD, "(c) A response that is never closed"));
        Logger jul = Logger.getLogger(Transport.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override public void publish(LogRecord r) { records.add(r); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        boolean parents = jul.getUseParentHandlers();
        jul.addHandler(capture);
        jul.setUseParentHandlers(false); // printed below instead of by the console handler
        try (Transport transport = Transport.create(TransportConfig.builder().leakTracing(true)
                .resolver(new LoopbackResolver()).build())) {
            URI url = URI.create("http://localhost:" + server.port() + "/report.csv");
            server.enqueue(ScriptedResponse.status(200).header("Content-Type", "text/csv").body("id,total\n1,42\n"));
            out.println("    A Transport with leakTracing(true) sends GET " + url + ";");
            out.println("    the response is then dropped, neither closed nor read:");
            out.println("        Response r = transport.roundTrip(Request.get(url));  // no close(), body unread");
            sendAndForget(transport, url);
            PoolStats stats = awaitLeak(transport);
            out.println("    After System.gc(), the next stats() call found it. Logged at WARNING by "
                    + Transport.class.getName() + ":");
            LogRecord leak = null;
            for (LogRecord r : records) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue() && String.valueOf(r.getMessage()).contains("leaked")) {
                    leak = r;
                }
            }
            if (leak == null) {
                out.println("      (no leak report within " + Durations.human(MAX_WAIT)
                        + ": the garbage collector did not collect the response)");
            } else {
                print(leak, out, colour);
            }
            out.printf(java.util.Locale.ROOT, "    PoolStats: leaks=%d, connections closed as \"%s\"=%d, in use now=%d%n",
                    stats.leaks(), LEAK_CLOSE_REASON, stats.closes(LEAK_CLOSE_REASON),
                    stats.hosts().stream().mapToInt(PoolStats.HostStats::inUse).sum());
            out.println("    The connection was closed and its slot reclaimed; close every Response (try-with-resources).");
            out.println();
            out.flush();
        } finally {
            jul.removeHandler(capture);
            jul.setUseParentHandlers(parents);
        }
    }

    /** Sends a request and drops the response without closing it: the leak the demo shows. */
    private static void sendAndForget(Transport transport, URI url) throws IOException {
        Response r = transport.roundTrip(Request.get(url));
        if (r.status() != 200) {
            r.close();
            throw new IOException("the demo server answered " + r.status());
        }
        // r goes out of scope here, open
    }

    private static PoolStats awaitLeak(Transport transport) throws InterruptedException {
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        PoolStats stats = transport.stats();
        while (stats.leaks() == 0 && System.nanoTime() - deadline < 0) {
            System.gc();
            Thread.sleep(20); // the reference handler thread enqueues the collected response
            stats = transport.stats();
        }
        return stats;
    }

    private static void print(LogRecord r, PrintStream out, boolean colour) {
        String level = Terminal.paint(colour, Terminal.YELLOW, r.getLevel().getName());
        out.println("      " + level + ": " + wrap(r.getMessage(), 96, "        "));
        Throwable created = r.getThrown();
        if (created == null) {
            return;
        }
        out.println("        " + created);
        StackTraceElement[] frames = created.getStackTrace();
        int shown = Math.min(FRAMES_SHOWN, frames.length);
        boolean marked = false;
        for (int i = 0; i < shown; i++) {
            String f = "at " + frames[i];
            boolean here = !marked && !frames[i].getClassName().startsWith(Transport.class.getName());
            marked |= here;
            out.println("          " + (here ? Terminal.paint(colour, Terminal.BOLD, f) + "   <- where it was created" : f));
        }
        if (frames.length > shown) {
            out.println("          ... " + (frames.length - shown) + " more");
        }
    }

    /** Wraps {@code text} at {@code width} columns, continuing lines with {@code indent}. */
    static String wrap(String text, int width, String indent) {
        StringBuilder s = new StringBuilder();
        int col = 0;
        for (String word : text.split(" ")) {
            if (col > 0 && col + 1 + word.length() > width) {
                s.append('\n').append(indent);
                col = 0;
            } else if (col > 0) {
                s.append(' ');
                col++;
            }
            s.append(word);
            col += word.length();
        }
        return s.toString();
    }
}
