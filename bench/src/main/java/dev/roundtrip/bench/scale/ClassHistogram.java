package dev.roundtrip.bench.scale;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * ClassHistogram is the live objects of this JVM by class, as {@code jcmd PID GC.class_histogram}
 * prints them (taken from inside through the DiagnosticCommand MBean; it runs a full GC first).
 * The difference of two, divided by a count of connections, names what one connection holds.
 */
final class ClassHistogram {
    /** How many classes {@link #describe} lists with {@code --histogram}: 40. */
    static final int DEFAULT_ROWS = 40;
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    /** Instances and bytes by class name. */
    private final Map<String, long[]> byClass;

    private ClassHistogram(Map<String, long[]> byClass) {
        this.byClass = byClass;
    }

    /** Takes the histogram of the live objects now. */
    static ClassHistogram take() throws Exception {
        return parse(text());
    }

    private static String text() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }

    /**
     * Takes the histogram now and keeps it in a temporary file, so that it is not part of the
     * heap a later histogram sees; {@link #since} reads it back.
     */
    static Path takeToFile() throws Exception {
        Path f = Files.createTempFile("roundtrip-histogram", ".txt");
        Files.writeString(f, text(), StandardCharsets.UTF_8);
        return f;
    }

    /** Reads a histogram that {@link #takeToFile} wrote. */
    static ClassHistogram read(Path file) throws java.io.IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Reads the text {@code GC.class_histogram} prints. */
    static ClassHistogram parse(String text) {
        Map<String, long[]> m = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher x = ROW.matcher(line);
            if (x.find()) {
                long[] v = m.computeIfAbsent(x.group(3), k -> new long[2]);
                v[0] += Long.parseLong(x.group(1));
                v[1] += Long.parseLong(x.group(2));
            }
        }
        return new ClassHistogram(m);
    }

    /** Returns this histogram less {@code base}, class by class. */
    ClassHistogram minus(ClassHistogram base) {
        Map<String, long[]> m = new HashMap<>();
        byClass.forEach((k, v) -> m.put(k, v.clone()));
        base.byClass.forEach((k, v) -> {
            long[] d = m.computeIfAbsent(k, x -> new long[2]);
            d[0] -= v[0];
            d[1] -= v[1];
        });
        return new ClassHistogram(m);
    }

    /** Returns the bytes of every class together. */
    long totalBytes() {
        return byClass.values().stream().mapToLong(v -> v[1]).sum();
    }

    /**
     * Returns the {@code rows} classes that grew most, per {@code divisor} (e.g. per connection),
     * as one line: {@code bytes B / instances x class; ...}, then the total.
     */
    String describe(long divisor, int rows) {
        List<Map.Entry<String, long[]>> list = new ArrayList<>(byClass.entrySet());
        list.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(rows, list.size()); i++) {
            long[] v = list.get(i).getValue();
            if (v[1] <= 0) {
                break;
            }
            sb.append(String.format(Locale.ROOT, "%.0f B / %.2f x %s; ", v[1] / (double) divisor, v[0] / (double) divisor,
                    list.get(i).getKey()));
        }
        return sb.append(String.format(Locale.ROOT, "total %.0f B", totalBytes() / (double) divisor)).toString();
    }
}
