package dev.roundtrip.cli;

import dev.roundtrip.Headers;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Timings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * WriteOut is curl's {@code -w}/{@code --write-out}: a format with {@code %{variable}},
 * {@code %header{name}}, {@code %%} and the escapes {@code \n}, {@code \r}, {@code \t}, filled in
 * from what the transfer did.
 *
 * <p>Times follow curl's semantics: seconds from the start, with six decimals. For a transfer that
 * followed redirects, {@code time_namelookup}, {@code time_connect}, {@code time_appconnect},
 * {@code time_pretransfer} and {@code time_starttransfer} add up, hop by hop, the time from the
 * hop's start to that event, as libcurl does ("the time from each request is added together");
 * {@code time_redirect} is the time before the last hop started, {@code time_total} the whole
 * operation. They come from each response's {@link Timings}, in the waterfall's order:
 * {@code time_namelookup} = DNS, {@code time_connect} = + TCP connect (and a proxy's handshake),
 * {@code time_appconnect} = + TLS (0 without TLS), {@code time_pretransfer} = + waiting for the
 * connection, {@code time_starttransfer} = + request write + time to first byte.
 * {@code size_download} counts body bytes as received (before {@code --compressed} decoding),
 * {@code size_header} and {@code size_request} the bytes of the heads received and sent.
 */
final class WriteOut {
    /** The variables {@code -w} knows, in the order {@code %{json}} lists them. */
    static final List<String> VARIABLES = List.of("content_type", "errormsg", "exitcode", "filename_effective",
            "http_code", "http_version", "local_ip", "local_port", "method", "num_connects", "num_headers",
            "num_redirects", "redirect_url", "referer", "remote_ip", "remote_port", "response_code", "scheme",
            "size_download", "size_header", "size_request", "size_upload", "speed_download", "speed_upload",
            "time_appconnect", "time_connect", "time_namelookup", "time_pretransfer", "time_redirect",
            "time_starttransfer", "time_total", "url", "url_effective", "urlnum");

    /**
     * Transfer is what one {@code get} did.
     *
     * @param hops          the requests sent, oldest first (redirect hops included)
     * @param url           the URL as given
     * @param startNanos    when the operation started ({@link System#nanoTime()})
     * @param endNanos      when it ended
     * @param sizeDownload  body bytes of the last response, as received
     * @param exitCode      the command's exit code
     * @param errorMessage  the error's one-line message, or empty
     * @param filename      the output file, or empty
     */
    record Transfer(List<TransferRecord.Hop> hops, String url, long startNanos, long endNanos, long sizeDownload,
                    int exitCode, String errorMessage, String filename) {
    }

    /** The variables {@code %{json}} shows as numbers (and every {@code time_...}). */
    private static final Set<String> NUMBERS = Set.of("exitcode", "http_code", "local_port", "num_connects",
            "num_headers", "num_redirects", "remote_port", "response_code", "size_download", "size_header",
            "size_request", "size_upload", "speed_download", "speed_upload", "urlnum");

    /** Chunk is a piece of output, for standard output or (after {@code %{stderr}}) standard error. */
    record Chunk(boolean stderr, String text) {
    }

    private WriteOut() {
    }

    /**
     * Returns the output of {@code format} for {@code t}; {@code warn} is told about each unknown
     * variable.
     */
    static List<Chunk> render(String format, Transfer t, Consumer<String> warn) {
        Map<String, String> vars = variables(t);
        Headers headers = lastResponse(t) == null ? Headers.empty() : lastResponse(t).headers();
        List<Chunk> out = new ArrayList<>();
        StringBuilder s = new StringBuilder();
        boolean stderr = false;
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c == '\\' && i + 1 < format.length()) {
                char n = format.charAt(i + 1);
                s.append(n == 'n' ? "\n" : n == 'r' ? "\r" : n == 't' ? "\t" : "\\" + n);
                i += 2;
            } else if (c == '%' && format.startsWith("%%", i)) {
                s.append('%');
                i += 2;
            } else if (c == '%' && (format.startsWith("%{", i) || format.startsWith("%header{", i))) {
                boolean header = format.startsWith("%header{", i);
                int open = format.indexOf('{', i);
                int close = format.indexOf('}', open);
                if (close < 0) {
                    s.append(format, i, format.length());
                    break;
                }
                String name = format.substring(open + 1, close);
                i = close + 1;
                if (header) {
                    List<String> values = headers.all(name);
                    s.append(String.join(", ", values.stream().map(String::strip).toList()));
                } else if (name.equals("stdout") || name.equals("stderr")) {
                    out.add(new Chunk(stderr, s.toString()));
                    s.setLength(0);
                    stderr = name.equals("stderr");
                } else if (name.equals("onerror")) {
                    if (t.exitCode() == 0) {
                        break;
                    }
                } else if (name.equals("json")) {
                    s.append(json(vars));
                } else if (name.equals("header_json")) {
                    s.append(headerJson(headers));
                } else if (vars.containsKey(name)) {
                    s.append(vars.get(name));
                } else {
                    warn.accept("unknown --write-out variable: '" + name + "'");
                }
            } else {
                s.append(c);
                i++;
            }
        }
        out.add(new Chunk(stderr, s.toString()));
        return out;
    }

    private static Response lastResponse(Transfer t) {
        for (int i = t.hops().size() - 1; i >= 0; i--) {
            if (t.hops().get(i).response != null) {
                return t.hops().get(i).response;
            }
        }
        return null;
    }

    /** Returns every variable's value for {@code t}, formatted as curl prints it. */
    static Map<String, String> variables(Transfer t) {
        List<TransferRecord.Hop> hops = t.hops();
        TransferRecord.Hop last = hops.isEmpty() ? null : hops.get(hops.size() - 1);
        Response r = lastResponse(t);
        Request req = last == null ? null : last.request;
        double ns = 0;
        double connect = 0;
        double app = 0;
        double pre = 0;
        double start = 0;
        int connects = 0;
        long headerBytes = 0;
        long requestBytes = 0;
        InetSocketAddress local = null;
        InetSocketAddress remote = null;
        for (TransferRecord.Hop h : hops) {
            headerBytes += h.responseHeadBytes;
            requestBytes += h.requestHeadBytes;
            if (h.connection != null) {
                local = h.connection.localAddress();
                remote = h.connection.remoteAddress();
                connects += h.connection.reused() ? 0 : 1;
            }
            if (h.response == null) {
                continue;
            }
            Timings tm = h.response.timings();
            ns += sec(tm.dns());
            connect += sec(tm.dns().plus(tm.connect()));
            boolean https = "https".equalsIgnoreCase(h.request.uri().getScheme());
            app += https ? sec(tm.dns().plus(tm.connect()).plus(tm.tls())) : 0;
            pre += sec(tm.connection());
            start += sec(tm.connection().plus(tm.requestWrite()).plus(tm.timeToFirstByte()));
        }
        double total = Math.max(0, t.endNanos() - t.startNanos()) / 1e9;
        double redirect = hops.size() > 1 ? Math.max(0, last.startNanos - t.startNanos()) / 1e9 : 0;
        long upload = req != null && req.body() != null && req.body().contentLength() > 0 ? req.body().contentLength() : 0;
        Map<String, String> v = new LinkedHashMap<>();
        v.put("content_type", r == null || r.headers().first("Content-Type") == null ? ""
                : r.headers().first("Content-Type"));
        v.put("errormsg", t.errorMessage());
        v.put("exitcode", Integer.toString(t.exitCode()));
        v.put("filename_effective", t.filename());
        v.put("http_code", r == null ? "000" : String.format(Locale.ROOT, "%03d", r.status()));
        v.put("http_version", r == null ? "0" : ProtocolOptions.curlName(r.protocol()).replaceFirst("^HTTP/", ""));
        v.put("local_ip", local == null || local.getAddress() == null ? "" : local.getAddress().getHostAddress());
        v.put("local_port", local == null ? "0" : Integer.toString(local.getPort()));
        v.put("method", req == null ? "" : req.method());
        v.put("num_connects", Integer.toString(connects));
        v.put("num_headers", r == null ? "0" : Integer.toString(r.headers().size()));
        v.put("num_redirects", Integer.toString(Math.max(0, hops.size() - 1)));
        v.put("redirect_url", redirectUrl(r));
        v.put("referer", req == null || req.headers().first("Referer") == null ? "" : req.headers().first("Referer"));
        v.put("remote_ip", remote == null || remote.getAddress() == null ? "" : remote.getAddress().getHostAddress());
        v.put("remote_port", remote == null ? "0" : Integer.toString(remote.getPort()));
        v.put("response_code", v.get("http_code"));
        v.put("scheme", req == null ? "" : req.uri().getScheme().toUpperCase(Locale.ROOT));
        v.put("size_download", Long.toString(t.sizeDownload()));
        v.put("size_header", Long.toString(headerBytes));
        v.put("size_request", Long.toString(requestBytes));
        v.put("size_upload", Long.toString(upload));
        v.put("speed_download", Long.toString(total <= 0 ? 0 : Math.round(t.sizeDownload() / total)));
        v.put("speed_upload", Long.toString(total <= 0 ? 0 : Math.round(upload / total)));
        v.put("time_appconnect", seconds(app));
        v.put("time_connect", seconds(connect));
        v.put("time_namelookup", seconds(ns));
        v.put("time_pretransfer", seconds(pre));
        v.put("time_redirect", seconds(redirect));
        v.put("time_starttransfer", seconds(start));
        v.put("time_total", seconds(total));
        v.put("url", Urls.redact(t.url()));
        v.put("url_effective", req == null ? Urls.redact(t.url()) : Urls.redact(req.uri()));
        v.put("urlnum", "0");
        return v;
    }

    /** Returns where a redirect response points (its Location, resolved), or empty. */
    private static String redirectUrl(Response r) {
        if (r == null || r.status() / 100 != 3 || r.headers().first("Location") == null) {
            return "";
        }
        try {
            return Urls.redact(r.request().uri().resolve(r.headers().first("Location").trim()));
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static double sec(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }

    private static String json(Map<String, String> vars) {
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, String> e : vars.entrySet()) {
            s.append(s.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":");
            boolean number = NUMBERS.contains(e.getKey()) || e.getKey().startsWith("time_");
            s.append(number ? e.getValue().replaceFirst("^0+(?=\\d)", "") : quote(e.getValue()));
        }
        return s.append('}').toString();
    }

    private static String headerJson(Headers h) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (int i = 0; i < h.size(); i++) {
            grouped.computeIfAbsent(h.name(i).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.value(i).strip());
        }
        StringBuilder s = new StringBuilder("{");
        for (Map.Entry<String, List<String>> e : grouped.entrySet()) {
            s.append(s.length() > 1 ? "," : "").append(quote(e.getKey())).append(":[");
            for (int i = 0; i < e.getValue().size(); i++) {
                s.append(i > 0 ? "," : "").append(quote(e.getValue().get(i)));
            }
            s.append(']');
        }
        return s.append('}').toString();
    }

    private static String quote(String v) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"': s.append("\\\""); break;
                case '\\': s.append("\\\\"); break;
                case '\n': s.append("\\n"); break;
                case '\r': s.append("\\r"); break;
                case '\t': s.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
            }
        }
        return s.append('"').toString();
    }
}
