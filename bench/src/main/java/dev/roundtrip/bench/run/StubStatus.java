package dev.roundtrip.bench.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * StubStatus reads nginx's {@code stub_status} page over a plain socket (HTTP/1.0, one connection
 * per read). Every read counts itself: {@code accepts} includes its own connection (so the
 * connections a client opened between two reads are {@code after - before - 1}), and
 * {@code active} and {@code writing} include it too.
 */
public final class StubStatus {
    private static final Pattern ACTIVE = Pattern.compile("Active connections:\\s+(\\d+)");
    private static final Pattern COUNTERS = Pattern.compile("server accepts handled requests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)");
    private static final Pattern STATES = Pattern.compile("Reading:\\s+(\\d+)\\s+Writing:\\s+(\\d+)\\s+Waiting:\\s+(\\d+)");

    /**
     * Counters is one reading of the page.
     *
     * @param active   open client connections (this read's own included)
     * @param accepts  connections accepted since nginx started (this read's own included)
     * @param requests requests served or in progress since nginx started (this read's own included)
     * @param writing  requests being answered now, e.g. held by {@code echo_sleep} (this read's own included)
     * @param waiting  idle keep-alive connections
     */
    public record Counters(long active, long accepts, long requests, long writing, long waiting) {
    }

    private final URI status;

    /** Reads the page at {@code status} (a loopback URL). */
    public StubStatus(URI status) {
        this.status = status;
    }

    /** Returns nginx's accepted-connections counter. */
    public long accepts() throws IOException {
        return counters().accepts();
    }

    /** Returns every counter of one read. */
    public Counters counters() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(status.getHost(), status.getPort()), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + status.getRawPath() + " HTTP/1.0\r\nHost: " + status.getHost() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String page = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            Matcher a = ACTIVE.matcher(page);
            Matcher c = COUNTERS.matcher(page);
            Matcher w = STATES.matcher(page);
            if (!a.find() || !c.find() || !w.find()) {
                throw new IOException("no stub_status counters at " + status + ": " + page);
            }
            return new Counters(Long.parseLong(a.group(1)), Long.parseLong(c.group(1)), Long.parseLong(c.group(3)),
                    Long.parseLong(w.group(2)), Long.parseLong(w.group(3)));
        }
    }
}
