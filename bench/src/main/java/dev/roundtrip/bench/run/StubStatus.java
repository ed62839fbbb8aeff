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
 * per read). The {@code accepts} counter it returns includes the read's own connection, so the
 * connections a client opened between two reads are {@code after - before - 1}.
 */
final class StubStatus {
    private static final Pattern COUNTERS = Pattern.compile("server accepts handled requests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)");

    private final URI status;

    StubStatus(URI status) {
        this.status = status;
    }

    /** Returns nginx's accepted-connections counter. */
    long accepts() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(status.getHost(), status.getPort()), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + status.getRawPath() + " HTTP/1.0\r\nHost: " + status.getHost() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String page = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            Matcher m = COUNTERS.matcher(page);
            if (!m.find()) {
                throw new IOException("no stub_status counters at " + status + ": " + page);
            }
            return Long.parseLong(m.group(1));
        }
    }
}
