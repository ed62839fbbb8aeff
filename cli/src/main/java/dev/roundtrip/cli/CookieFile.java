package dev.roundtrip.cli;

import dev.roundtrip.Cookie;
import dev.roundtrip.CookieJar;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CookieFile reads and writes cookies in curl's files: the Netscape cookie-file format (one cookie
 * per line, seven tab-separated fields: domain, include subdomains {@code TRUE|FALSE}, path,
 * secure {@code TRUE|FALSE}, expiry in Unix seconds or 0 for a session cookie, name, value; a
 * {@code #HttpOnly_} prefix on the domain for HttpOnly cookies; {@code #} lines are comments), and,
 * for reading, {@code Set-Cookie:} lines, which need a {@code Domain} attribute.
 *
 * <p>{@link Jar} is the cookie engine's jar: an RFC 6265 {@link CookieJar#inMemory()} jar that
 * remembers where each cookie was set, so that {@link #write} can list every cookie it still holds
 * with the jar's own effective domain, path and expiry.
 */
final class CookieFile {
    /** The first line of a cookie file, as curl writes it. */
    static final String HEADER = "# Netscape HTTP Cookie File";
    private static final String HTTP_ONLY_PREFIX = "#HttpOnly_";

    private CookieFile() {
    }

    /** Jar is the cookie engine's jar: RFC 6265 storage, and a record of where cookies were set. */
    static final class Jar implements CookieJar {
        private final CookieJar store = CookieJar.inMemory();
        /** Where stored cookies may be found: https://host/path query points, in the order they were set. */
        private final Set<URI> places = Collections.synchronizedSet(new LinkedHashSet<>());

        @Override
        public void setCookies(URI uri, List<Cookie> cookies) {
            store.setCookies(uri, cookies);
            for (Cookie c : cookies) {
                String host = c.domain() != null ? c.domain() : uri.getHost();
                String path = c.path() != null ? c.path() : defaultPath(uri.getRawPath());
                try {
                    places.add(new URI("https", hostForUri(host), path, null));
                } catch (java.net.URISyntaxException | RuntimeException ignored) {
                    // a host or path the jar would not take either
                }
            }
        }

        @Override
        public List<Cookie> cookies(URI uri) {
            return store.cookies(uri);
        }

        /** Returns every stored cookie once, as (host the jar answered for, cookie with effective attributes). */
        Map<String, Entry> all() {
            Map<String, Entry> out = new LinkedHashMap<>();
            List<URI> snapshot;
            synchronized (places) {
                snapshot = new ArrayList<>(places);
            }
            for (URI place : snapshot) {
                for (Cookie c : store.cookies(place)) {
                    String domain = c.domain() != null ? c.domain() : place.getHost();
                    out.put(c.name() + "\u0000" + domain + "\u0000" + c.path(), new Entry(domain, c.domain() != null, c));
                }
            }
            return out;
        }
    }

    /** One line of a cookie file. */
    record Entry(String domain, boolean subdomains, Cookie cookie) {
    }

    /**
     * Loads the cookies of {@code name} (a file, or {@code -} for {@code stdin}) into {@code jar};
     * a file that does not exist holds no cookies.
     *
     * @throws CliException exit {@link ExitCodes#READ_ERROR} when the file cannot be read
     */
    static void read(String name, InputStream stdin, Jar jar) {
        if (!name.equals("-") && Files.notExists(Path.of(name))) {
            return; // curl starts with an empty jar: -b jar -c jar works the first time
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(name.equals("-") ? stdin
                : Files.newInputStream(Path.of(name)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException | RuntimeException e) {
            throw new CliException(ExitCodes.READ_ERROR, "cannot read the cookie file " + name + " (-b): " + e, e);
        }
        for (String line : lines) {
            load(line, jar);
        }
    }

    private static void load(String line, Jar jar) {
        String l = line.strip();
        if (l.regionMatches(true, 0, "Set-Cookie:", 0, 11)) {
            Cookie c = Cookie.parse(l.substring(11).trim());
            if (c != null && c.domain() != null) {
                jar.setCookies(URI.create((c.secure() ? "https://" : "http://") + hostForUri(c.domain()) + "/"),
                        List.of(c));
            }
            return;
        }
        boolean httpOnly = l.startsWith(HTTP_ONLY_PREFIX);
        if (httpOnly) {
            l = l.substring(HTTP_ONLY_PREFIX.length());
        } else if (l.isEmpty() || l.startsWith("#")) {
            return;
        }
        String[] f = l.split("\t", -1);
        if (f.length != 7) {
            return; // not a cookie line: ignored, as curl does
        }
        try {
            boolean subdomains = f[1].equalsIgnoreCase("TRUE");
            String host = f[0].startsWith(".") ? f[0].substring(1) : f[0];
            boolean secure = f[3].equalsIgnoreCase("TRUE");
            long expiry = Long.parseLong(f[4]);
            Cookie c = Cookie.of(f[5], f[6]).withPath(f[2]).withSecure(secure).withHttpOnly(httpOnly);
            if (subdomains) {
                c = c.withDomain(host);
            }
            if (expiry > 0) {
                c = c.withExpires(Instant.ofEpochSecond(expiry));
            }
            jar.setCookies(URI.create((secure ? "https://" : "http://") + hostForUri(host) + f[2]), List.of(c));
        } catch (IllegalArgumentException ignored) {
            // a malformed line is skipped, as curl does
        }
    }

    /**
     * Writes every cookie of {@code jar} to {@code name} (a file, or {@code -} for {@code stdout});
     * nothing at all when there is none, as curl does.
     *
     * @throws CliException exit {@link ExitCodes#WRITE_ERROR} when the file cannot be written
     */
    static void write(String name, Jar jar, OutputStream stdout) {
        Map<String, Entry> all = jar.all();
        if (all.isEmpty()) {
            return;
        }
        StringBuilder s = new StringBuilder(HEADER).append("\n# Written by roundtrip get -c (the format curl reads and"
                + " writes).\n\n");
        for (Entry e : all.values()) {
            Cookie c = e.cookie();
            s.append(c.httpOnly() ? HTTP_ONLY_PREFIX : "").append(e.subdomains() ? "." : "").append(e.domain())
                    .append('\t').append(e.subdomains() ? "TRUE" : "FALSE").append('\t').append(c.path())
                    .append('\t').append(c.secure() ? "TRUE" : "FALSE")
                    .append('\t').append(c.expires() == null ? 0 : c.expires().getEpochSecond())
                    .append('\t').append(c.name()).append('\t').append(c.value()).append('\n');
        }
        byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
        try {
            if (name.equals("-")) {
                stdout.write(bytes);
                stdout.flush();
            } else {
                Files.write(Path.of(name), bytes);
            }
        } catch (IOException | RuntimeException e) {
            throw new CliException(ExitCodes.WRITE_ERROR, "cannot write the cookie jar " + name + " (-c): " + e, e);
        }
    }

    /** RFC 6265 §5.1.4: the request path up to, not including, its last '/', or "/". */
    private static String defaultPath(String path) {
        if (path == null || !path.startsWith("/")) {
            return "/";
        }
        int last = path.lastIndexOf('/');
        return last <= 0 ? "/" : path.substring(0, last);
    }

    private static String hostForUri(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.indexOf(':') >= 0 && !h.startsWith("[") ? "[" + h + "]" : h;
    }
}
