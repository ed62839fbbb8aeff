package dev.roundtrip.soak;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * FdCount counts this process's open file descriptors and its sockets, on Linux, and describes
 * sockets (ports and TCP state, from {@code /proc/net/tcp}) for a leak report.
 */
final class FdCount {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final String[] TCP_STATES = {"?", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
        "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};

    /** Snapshot is a count at one moment, with the socket inodes. */
    record Snapshot(int total, Set<String> sockets) {
        int socketCount() {
            return sockets.size();
        }

        @Override
        public String toString() {
            return total + " descriptors (" + sockets.size() + " sockets)";
        }
    }

    private FdCount() {}

    /** Returns the current counts, or null where {@code /proc/self/fd} does not exist. */
    static Snapshot now() {
        if (!Files.isDirectory(FDS)) {
            return null;
        }
        int total = 0;
        Set<String> sockets = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path fd : fds) {
                total++;
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        sockets.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile (e.g. the directory stream's own descriptor)
                }
            }
        } catch (IOException e) {
            return null;
        }
        return new Snapshot(total, sockets);
    }

    /** Describes the sockets of {@code after} that {@code before} did not have. */
    static List<String> newSockets(Snapshot before, Snapshot after) {
        Set<String> added = new HashSet<>(after.sockets());
        added.removeAll(before.sockets());
        List<String> out = new ArrayList<>();
        for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            try {
                for (String line : Files.readAllLines(Path.of(file))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && added.remove(f[9])) {
                        out.add("inode " + f[9] + ": local port " + port(f[1]) + ", remote port " + port(f[2]) + ", "
                                + TCP_STATES[Math.min(Integer.parseInt(f[3], 16), TCP_STATES.length - 1)]);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or the format changed: the inodes are listed below
            }
        }
        for (String inode : added) {
            out.add("inode " + inode + " (not a TCP socket)");
        }
        return out;
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
    }
}
