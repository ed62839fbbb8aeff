package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * GoParityDocTest keeps {@code docs/go-parity.md} true: every test it names as {@code
 * Class#method} (or {@code #method}, for the class named last in the same table row) exists in
 * some module's test sources, as a method declaration of that class or of a class it extends.
 */
class GoParityDocTest {
    private static final Pattern REF = Pattern.compile("`([A-Z][A-Za-z0-9_]*)?#([a-zA-Z_][A-Za-z0-9_]*)`");

    @Test
    void everyTestTheParityTableNamesExists() throws IOException {
        Path root = repositoryRoot();
        Map<String, String> sources = testSources(root);
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (String line : Files.readAllLines(root.resolve("docs/go-parity.md"))) {
            String lastClass = null;
            Matcher m = REF.matcher(line);
            while (m.find()) {
                String cls = m.group(1) != null ? m.group(1) : lastClass;
                lastClass = cls;
                if (cls == null || cls.equals("Class")) {
                    continue;
                }
                checked++;
                if (!declares(sources, cls, m.group(2))) {
                    missing.add(cls + "#" + m.group(2));
                }
            }
        }
        assertThat(checked).as("references found in docs/go-parity.md").isGreaterThan(100);
        assertThat(missing).as("tests named in docs/go-parity.md that do not exist").isEmpty();
    }

    /** Whether {@code cls} (or a class it extends, followed through the sources) declares {@code method}. */
    private static boolean declares(Map<String, String> sources, String cls, String method) {
        Pattern decl = Pattern.compile("\\b(void|[A-Z][A-Za-z0-9_<>]*)\\s+" + Pattern.quote(method) + "\\s*\\(");
        for (String c = cls; c != null; ) {
            String src = sources.get(c);
            if (src == null) {
                return false;
            }
            if (decl.matcher(src).find()) {
                return true;
            }
            Matcher ext = Pattern.compile("class\\s+" + Pattern.quote(c) + "\\b[^{]*?\\bextends\\s+([A-Z][A-Za-z0-9_]*)")
                    .matcher(src);
            c = ext.find() ? ext.group(1) : null;
        }
        return false;
    }

    private static Map<String, String> testSources(Path root) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String s = p.toString();
                if (s.endsWith(".java") && s.contains("/src/test/java/") && !s.contains("/target/")) {
                    String name = p.getFileName().toString();
                    out.merge(name.substring(0, name.length() - 5), Files.readString(p), String::concat);
                }
            }
        }
        return out;
    }

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("docs/go-parity.md"))) {
            p = p.getParent();
        }
        assertThat(p).as("a parent directory holding docs/go-parity.md").isNotNull();
        return p;
    }
}
