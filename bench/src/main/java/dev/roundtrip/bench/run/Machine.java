package dev.roundtrip.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Machine describes the host from /proc: CPU model, cores, memory, kernel, OS, load. */
final class Machine {
    private Machine() {
    }

    static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nproc", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("cpu_model", firstValue("/proc/cpuinfo", "model name"));
        String mem = firstValue("/proc/meminfo", "MemTotal");
        if (!mem.isEmpty()) {
            try {
                long kb = Long.parseLong(mem.replaceAll("[^0-9]", ""));
                mem = String.format(java.util.Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
            } catch (NumberFormatException ignored) {
                // keep the raw text
            }
        }
        m.put("memory", mem);
        m.put("kernel", read("/proc/sys/kernel/osrelease").trim());
        String os = firstValue("/etc/os-release", "PRETTY_NAME");
        m.put("os", os.replace("\"", ""));
        return m;
    }

    /**
     * Returns the 1, 5 and 15 minute load averages, and the share of the last minute in which some
     * task waited for a CPU ({@code /proc/pressure/cpu}, when the kernel has it).
     */
    static String loadAverage() {
        String s = read("/proc/loadavg").trim();
        String[] f = s.split("\\s+");
        String load = f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : s;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("some avg10=\\S+ avg60=(\\S+)")
                .matcher(read("/proc/pressure/cpu"));
        return m.find() ? load + " (CPU pressure " + m.group(1) + "%)" : load;
    }

    /**
     * Returns the limits a run with thousands of connections meets: the open-file limit
     * {@code fds} the benchmark's processes got, the listen backlog cap
     * ({@code net.core.somaxconn}), reuse of TIME_WAIT ports ({@code tcp_tw_reuse}; 2 = on
     * loopback only) and the ephemeral port range.
     */
    static String socketLimits(String fds) {
        return "ulimit -n " + fds + ", somaxconn " + read("/proc/sys/net/core/somaxconn").trim()
                + ", tcp_tw_reuse " + read("/proc/sys/net/ipv4/tcp_tw_reuse").trim() + ", ephemeral ports "
                + read("/proc/sys/net/ipv4/ip_local_port_range").trim().replaceAll("\\s+", "-");
    }

    private static String firstValue(String file, String key) {
        for (String line : lines(file)) {
            int i = line.indexOf(':') >= 0 && !file.endsWith("os-release") ? line.indexOf(':') : line.indexOf('=');
            if (i > 0 && line.substring(0, i).trim().equals(key)) {
                return line.substring(i + 1).trim();
            }
        }
        return "";
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String read(String file) {
        return String.join("\n", lines(file));
    }
}
