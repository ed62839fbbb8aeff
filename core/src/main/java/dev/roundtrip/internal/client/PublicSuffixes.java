package dev.roundtrip.internal.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * PublicSuffixes answers, from Mozilla's Public Suffix List shipped in core
 * ({@code public_suffix_list.dat} next to this class, refreshed by {@code scripts/refresh-psl.sh};
 * data under MPL-2.0), which part of a host name is a public suffix ({@code co.uk},
 * {@code github.io}, {@code s3.amazonaws.com}) and which is the registrable domain, the "site"
 * ({@code example.co.uk}).
 *
 * <p>The algorithm is the list's own (publicsuffix.org/list): the longest matching rule wins, an
 * exception rule ({@code !www.ck}) beats a wildcard ({@code *.ck}), and a name no rule matches
 * has its last label as public suffix (the implicit {@code *} rule). Rules in Unicode are kept in
 * their ASCII (punycode) form too, so both spellings of a host match. The list is read once, on
 * first use, into sets of about 10,000 strings; lookups do one set probe per label.
 *
 * <p>Thread-safe (immutable after loading).
 */
public final class PublicSuffixes {
    /** RESOURCE is the list's file name, next to this class. */
    static final String RESOURCE = "public_suffix_list.dat";

    private static final class Holder {
        static final PublicSuffixes INSTANCE = load();
    }

    private final Set<String> rules;
    private final Set<String> wildcards; // "ck" for "*.ck"
    private final Set<String> exceptions; // "www.ck" for "!www.ck"

    private PublicSuffixes(Set<String> rules, Set<String> wildcards, Set<String> exceptions) {
        this.rules = rules;
        this.wildcards = wildcards;
        this.exceptions = exceptions;
    }

    /** Returns the list shipped in core. */
    public static PublicSuffixes get() {
        return Holder.INSTANCE;
    }

    private static PublicSuffixes load() {
        try (InputStream in = PublicSuffixes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from roundtrip-core: the cookie jar"
                        + " cannot tell public suffixes without it");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from roundtrip-core", e);
        }
    }

    /** Parses the list's text format: one rule a line; {@code //} comments and blank lines ignored. */
    static PublicSuffixes parse(BufferedReader r) throws IOException {
        Set<String> rules = new HashSet<>(16_384);
        Set<String> wildcards = new HashSet<>(256);
        Set<String> exceptions = new HashSet<>(64);
        String line;
        while ((line = r.readLine()) != null) {
            line = line.trim();
            if (line.isEmpty() || line.startsWith("//")) {
                continue;
            }
            for (String form : forms(line)) {
                if (form.startsWith("!")) {
                    exceptions.add(form.substring(1));
                } else if (form.startsWith("*.")) {
                    wildcards.add(form.substring(2));
                } else {
                    rules.add(form);
                }
            }
        }
        return new PublicSuffixes(rules, wildcards, exceptions);
    }

    /** Returns the rule in lower case and, when it is not ASCII, also in its punycode form. */
    private static Set<String> forms(String rule) {
        String lower = rule.toLowerCase(Locale.ROOT);
        if (lower.chars().allMatch(c -> c < 128)) {
            return Set.of(lower);
        }
        String prefix = lower.startsWith("!") ? "!" : lower.startsWith("*.") ? "*." : "";
        try {
            String ascii = prefix + IDN.toASCII(lower.substring(prefix.length()), IDN.ALLOW_UNASSIGNED)
                    .toLowerCase(Locale.ROOT);
            return ascii.equals(lower) ? Set.of(lower) : Set.of(lower, ascii);
        } catch (IllegalArgumentException e) {
            return Set.of(lower); // not convertible: matched in Unicode only
        }
    }

    /**
     * Returns the public suffix of {@code host} (lower case): the longest rule that matches, or its
     * last label when none does. A trailing dot ({@code example.co.uk.}) is kept on the answer.
     */
    public String publicSuffix(String host) {
        if (host.endsWith(".") && host.length() > 1) {
            return publicSuffix(host.substring(0, host.length() - 1)) + ".";
        }
        int from = 0;
        while (true) {
            String candidate = host.substring(from);
            int dot = host.indexOf('.', from);
            String parent = dot < 0 ? null : host.substring(dot + 1);
            if (exceptions.contains(candidate)) {
                return parent == null ? candidate : parent;
            }
            if (rules.contains(candidate) || parent != null && wildcards.contains(parent)) {
                return candidate;
            }
            if (dot < 0) {
                return candidate; // the implicit "*" rule: the last label
            }
            from = dot + 1;
        }
    }

    /** Returns true if {@code domain} (lower case) is itself a public suffix, such as {@code co.uk} or {@code com}. */
    public boolean isPublicSuffix(String domain) {
        return publicSuffix(domain).equals(domain);
    }

    /**
     * Returns the registrable domain of {@code host}: its public suffix and one label more
     * ({@code www.example.co.uk} gives {@code example.co.uk}), or null when {@code host} is a
     * public suffix itself.
     */
    public String registrableDomain(String host) {
        String suffix = publicSuffix(host);
        if (suffix.length() >= host.length()) {
            return null;
        }
        int dot = host.lastIndexOf('.', host.length() - suffix.length() - 2);
        return host.substring(dot + 1);
    }
}
