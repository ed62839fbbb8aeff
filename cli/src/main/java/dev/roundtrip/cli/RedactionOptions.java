package dev.roundtrip.cli;

import dev.roundtrip.logging.Redactor;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * RedactionOptions are {@code get}'s options about what its diagnostics hide, on top of what they
 * always hide (the credential fields {@code Headers.isSensitive} names and a URL's whole user
 * info): {@code --redact-header NAME} for more fields in {@code -v}, {@code --redact-query-param
 * NAME} for a query parameter wherever the command shows a URL on standard error ({@code -v},
 * the {@code --trace} summary, warnings and error lines). curl has neither: it shows everything.
 *
 * <p>{@code -w} is not a diagnostic: its URL variables are curl's ({@code %{url_effective}} keeps
 * its query), only the user info is {@code ***} there as everywhere.
 */
final class RedactionOptions {
    @Option(names = "--redact-header", paramLabel = "NAME",
            description = "Also show this header's values as *** in -v output (repeatable; Authorization, Cookie,"
                    + " X-Api-Key, X-Auth-Token and the other credential fields always are).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--redact-query-param", paramLabel = "NAME",
            description = "Show this query parameter's values as *** wherever the URL is shown on stderr (-v, --trace,"
                    + " warnings, errors), e.g. access_token (repeatable; none by default; not in -w).")
    List<String> queryParams = new ArrayList<>();

    /** Returns the redactor these options ask for; a blank name is a usage error. */
    Redactor redactor() {
        Redactor.Builder b = Redactor.builder();
        try {
            headers.forEach(b::header);
            queryParams.forEach(b::queryParam);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "bad --redact-header or --redact-query-param: " + e.getMessage(), e);
        }
        return b.build();
    }

    /** Returns the redactor for a failure's line: {@link #redactor()}, or the defaults when the options are bad. */
    Redactor redactorForErrors() {
        try {
            return redactor();
        } catch (CliException e) {
            return Redactor.DEFAULTS;
        }
    }
}
