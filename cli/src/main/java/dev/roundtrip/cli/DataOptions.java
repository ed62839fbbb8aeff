package dev.roundtrip.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * DataOptions are {@code get}'s options about the request body, with curl's names and meaning:
 * {@code -d}, {@code --data-ascii}, {@code --data-binary}, {@code --data-raw}, {@code --json},
 * {@code --data-urlencode} (each repeatable, kept in command-line order in {@link #data}),
 * {@code -G} to put the data in the URL's query instead, and {@code -F}/{@code --form-string}
 * for a multipart form ({@link #form}).
 */
final class DataOptions {
    /** The data options given, in order. */
    final RequestData data = new RequestData();

    @Option(names = {"-d", "--data", "--data-ascii"}, paramLabel = "DATA",
            description = "HTTP POST data, as a browser sends a form (Content-Type application/x-www-form-urlencoded"
                    + " unless -H sets one). @FILE reads a file, @- standard input, with carriage returns and newlines"
                    + " stripped out. Repeated: joined with &.")
    void data(String value) {
        data.add(RequestData.Kind.DATA, value);
    }

    @Option(names = "--data-binary", paramLabel = "DATA",
            description = "HTTP POST binary data: as -d, but @FILE and @- are sent exactly as they are.")
    void dataBinary(String value) {
        data.add(RequestData.Kind.BINARY, value);
    }

    @Option(names = "--data-raw", paramLabel = "DATA", description = "HTTP POST data, '@' allowed: as -d, @ is not special.")
    void dataRaw(String value) {
        data.add(RequestData.Kind.RAW, value);
    }

    @Option(names = "--json", paramLabel = "DATA",
            description = "HTTP POST JSON: as --data-binary, with Content-Type: application/json and Accept:"
                    + " application/json (-H overrides them). Repeated: concatenated as they are.")
    void json(String value) {
        data.add(RequestData.Kind.JSON, value);
    }

    @Option(names = "--data-urlencode", paramLabel = "DATA",
            description = "HTTP POST data URL encoded: content, =content, name=content, @FILE or name@FILE; the content"
                    + " (or the file's bytes) is percent-encoded as a form value, the name sent as given.")
    void dataUrlencode(String value) {
        data.add(RequestData.Kind.URLENCODE, value);
    }

    /** The {@code -F} and {@code --form-string} options given, in order. */
    final List<FormParts.Spec> form = new ArrayList<>();

    @Option(names = {"-F", "--form"}, paramLabel = "NAME=CONTENT",
            description = "Specify multipart MIME data (POST multipart/form-data): NAME=text, NAME=@FILE uploads a"
                    + " file (;type=MIME and ;filename=NAME may follow), NAME=<FILE takes a text field's content from a"
                    + " file; @- and <- read standard input. Repeatable.")
    void form(String value) {
        form.add(new FormParts.Spec(value, false));
    }

    @Option(names = "--form-string", paramLabel = "NAME=STRING",
            description = "Specify multipart MIME data: as -F, but @, < and ;type= have no special meaning.")
    void formString(String value) {
        form.add(new FormParts.Spec(value, true));
    }

    @Option(names = {"-G", "--get"},
            description = "Put the post data in the URL and use GET (HEAD with -I): appended to the query with '?' or '&'.")
    boolean get;
}
