package dev.roundtrip.cli;

import dev.roundtrip.Request;
import dev.roundtrip.RequestBody;
import java.io.Console;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * GetRequest is the request {@code get}'s options describe, built as curl builds it.
 *
 * <ul>
 *   <li>URL: as given ({@link Urls#parse}); with {@code -G} the data goes into the query, after
 *       {@code ?} or {@code &};</li>
 *   <li>body: the data options' bytes, or the multipart form of {@code -F} ({@link FormParts});</li>
 *   <li>method: {@code -X}, else HEAD with {@code -I}, else POST with a body, else GET;</li>
 *   <li>fields: the {@code -H} ones, then those the options imply unless {@code -H} gave or removed
 *       them: {@code Content-Type} (form, JSON with {@code --json}, multipart with its boundary for {@code -F}), {@code Accept:
 *       application/json} ({@code --json}), {@code Authorization: Basic} ({@code -u}),
 *       {@code Cookie} ({@code -b NAME=VALUE}), {@code Accept-Encoding} ({@code --compressed}).</li>
 * </ul>
 *
 * @param request the request
 * @param headers what the {@code -H} options named
 */
record GetRequest(Request request, HeaderOptions.Given headers) {
    /** Builds the request of {@code cmd}'s options; {@code stdin} is read for {@code @-} data. */
    static GetRequest build(GetCommand cmd, InputStream stdin) {
        URI uri = Urls.parse(cmd.url);
        RequestData data = cmd.data.data;
        byte[] body = data.isEmpty() ? null : data.read(stdin);
        if (body != null && cmd.data.get) {
            uri = withQuery(uri, new String(body, StandardCharsets.UTF_8));
            body = null;
        }
        RequestBody payload = body != null ? RequestBody.of(body)
                : cmd.data.form.isEmpty() ? null : FormParts.build(cmd.data.form, stdin);
        String m = cmd.method != null ? cmd.method : cmd.head ? "HEAD" : payload != null ? "POST" : "GET";
        Request.Builder b;
        try {
            b = Request.newBuilder(uri).method(m, payload);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "bad -X: " + e.getMessage(), e);
        }
        HeaderOptions.Given given = HeaderOptions.addAll(b, cmd.headers);
        if (body != null && !given.mentions("Content-Type")) {
            b.header("Content-Type", data.json() ? "application/json" : "application/x-www-form-urlencoded");
        }
        if (data.json() && !given.mentions("Accept")) {
            b.header("Accept", "application/json");
        }
        if (cmd.user != null && !given.mentions("Authorization")) {
            b.header("Authorization", basic(cmd.user));
        }
        if (!cmd.cookies.literal().isEmpty() && !given.mentions("Cookie")) {
            b.header("Cookie", String.join("; ", cmd.cookies.literal()));
        }
        if (cmd.compressed && !given.mentions("Accept-Encoding")) {
            b.header("Accept-Encoding", ContentDecoding.ACCEPT_ENCODING);
        }
        try {
            return new GetRequest(b.build(), given);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.BAD_URL, "bad URL '" + Urls.redact(cmd.url) + "': " + e.getMessage(), e);
        }
    }

    /** Returns {@code uri} with {@code query} appended to its query ({@code ?} or {@code &}), before any fragment. */
    static URI withQuery(URI uri, String query) {
        String s = uri.toString();
        int hash = s.indexOf('#');
        String fragment = hash < 0 ? "" : s.substring(hash);
        String base = hash < 0 ? s : s.substring(0, hash);
        String joined = base + (uri.getRawQuery() == null ? "?" : base.endsWith("&") || base.endsWith("?") ? "" : "&")
                + query + fragment;
        return Urls.parse(joined);
    }

    /**
     * Returns the {@code Authorization} value of {@code -u USER[:PASSWORD]}: the password is what
     * follows the first colon, or asked for on the terminal.
     */
    static String basic(String user) {
        int colon = user.indexOf(':');
        String name = colon < 0 ? user : user.substring(0, colon);
        String password;
        if (colon >= 0) {
            password = user.substring(colon + 1);
        } else {
            Console console = System.console();
            char[] typed = console == null ? null : console.readPassword("Enter host password for user '%s':", name);
            if (typed == null) {
                throw new CliException(ExitCodes.USAGE, "-u " + name + " has no password and there is no terminal to"
                        + " ask for one: use -u " + name + ":PASSWORD");
            }
            password = new String(typed);
        }
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
