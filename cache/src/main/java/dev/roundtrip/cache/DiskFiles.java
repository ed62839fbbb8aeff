package dev.roundtrip.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * DiskFiles is the file layout of a {@link DiskStore} directory and the I/O that needs no index:
 * <ul>
 *   <li>{@code <hash>.<version>.body}: the body bytes;</li>
 *   <li>{@code <hash>.<version>.meta}: the metadata, then a 24-byte footer: body length (8), body
 *       CRC-32 (4), CRC-32 of everything before it in the file (4), magic {@code RTCMETA1} (8);</li>
 *   <li>{@code *.tmp}: files being written, renamed into place only once complete and forced to
 *       disk, so a crash leaves at worst a temporary file, which the next open deletes;</li>
 *   <li>{@code lock}: held (file lock) by the open store.</li>
 * </ul>
 * {@code hash} is the SHA-256 of the key in hex; a larger version replaces a smaller one.
 */
final class DiskFiles {
    static final String META = ".meta";
    static final String BODY = ".body";
    static final String TMP = ".tmp";
    static final int FOOTER_BYTES = 24;
    /** The longest metadata file read: {@link DiskStore#MAX_METADATA_BYTES} and the footer. */
    static final int MAX_META_FILE_BYTES = DiskStore.MAX_METADATA_BYTES + FOOTER_BYTES;
    private static final byte[] MAGIC = "RTCMETA1".getBytes(StandardCharsets.US_ASCII);

    private DiskFiles() {
    }

    /** Returns the hex SHA-256 of {@code key}. */
    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    static Path meta(Path dir, String hash, long version) {
        return dir.resolve(hash + "." + version + META);
    }

    static Path body(Path dir, String hash, long version) {
        return dir.resolve(hash + "." + version + BODY);
    }

    /** Returns the metadata file content: {@code metadata} and its footer. */
    static byte[] metaFile(byte[] metadata, long bodyLength, int bodyCrc) {
        ByteBuffer b = ByteBuffer.allocate(metadata.length + FOOTER_BYTES);
        b.put(metadata).putLong(bodyLength).putInt(bodyCrc);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue()).put(MAGIC);
        return b.array();
    }

    /** The checked content of a metadata file. */
    record Meta(byte[] metadata, long bodyLength, int bodyCrc) {
    }

    /** Parses a metadata file; returns null if it is truncated or damaged. */
    static Meta parseMeta(byte[] file) {
        if (file.length < FOOTER_BYTES
                || !Arrays.equals(file, file.length - 8, file.length, MAGIC, 0, 8)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(file);
        int end = file.length - FOOTER_BYTES;
        long bodyLength = b.getLong(end);
        int bodyCrc = b.getInt(end + 8);
        CRC32 crc = new CRC32();
        crc.update(file, 0, end + 12);
        if ((int) crc.getValue() != b.getInt(end + 12) || bodyLength < 0) {
            return null;
        }
        return new Meta(Arrays.copyOf(file, end), bodyLength, bodyCrc);
    }

    /**
     * Returns the content of the metadata file {@code p}, or null if it is not a regular file (a
     * link, a device, a pipe, a directory: never the store's) or is longer than
     * {@link #MAX_META_FILE_BYTES}. Links are not followed; at most that many bytes are read.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     */
    static byte[] readMetaFile(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile() || a.size() > MAX_META_FILE_BYTES) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(p, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            ByteBuffer b = ByteBuffer.allocate((int) a.size() + 1); // one more: a file that grew is refused
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // until full or at its end
            }
            return b.position() > a.size() ? null : Arrays.copyOf(b.array(), b.position());
        }
    }

    /**
     * Opens the body file {@code p} for reading, or returns null if it is not a regular file. Links
     * are not followed (a pipe or device would block or never end).
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     */
    static FileChannel openBody(Path p) throws IOException {
        if (regularSize(p) < 0) {
            return null;
        }
        return FileChannel.open(p, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    }

    /** Returns the size of {@code p} if it is a regular file (links not followed), else -1. */
    private static long regularSize(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return a.isRegularFile() ? a.size() : -1;
    }

    /** Writes {@code content} to {@code tmp}, forces it to disk, and renames it to {@code target} atomically. */
    static void writeAtomically(Path tmp, Path target, byte[] content, DiskPermissions permissions)
            throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                permissions.fileAttributes())) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        moveAtomically(tmp, target);
    }

    /** Renames {@code from} to {@code to}, replacing it, atomically. */
    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(from);
            throw e;
        }
    }

    /** Forces the directory entry changes (renames) to disk where the platform allows it. */
    static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on every platform (Windows); the renames are still atomic
        }
    }

    /** Deletes the files of one version, ignoring failures (a later open retries). */
    static void deleteVersion(Path dir, String hash, long version) {
        deleteQuietly(meta(dir, hash, version));
        deleteQuietly(body(dir, hash, version));
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // left for the next open to clean
        }
    }

    /** What {@link #recover} found in a directory. */
    record Found(List<DiskIndex.Rec> entries, long maxVersion) {
    }

    /**
     * Recovers a directory after a clean close or a crash: deletes temporary files, versions
     * without both files, damaged ones (bad metadata checksum, body of the wrong length) and
     * versions superseded by a newer valid one; returns the valid entries, least recently
     * modified first. Files that are not the store's (other names, other users' files) are left
     * alone; the store's files get mode 600 ({@link DiskPermissions#claim}).
     */
    static Found recover(Path dir, DiskPermissions permissions) throws IOException {
        Map<String, TreeMap<Long, Path[]>> byHash = new HashMap<>();
        long maxVersion = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                if (isOurs(name) && !claimed(permissions, p)) {
                    continue; // another user's file (or gone): not the store's to read or delete
                }
                if (name.endsWith(TMP) && isOurs(name)) {
                    deleteQuietly(p);
                    continue;
                }
                boolean meta = name.endsWith(META);
                if (!meta && !name.endsWith(BODY)) {
                    continue;
                }
                String[] parts = name.split("\\.");
                if (parts.length != 3 || parts[0].length() != 64 || !isDecimal(parts[1])) {
                    continue;
                }
                long v = Long.parseLong(parts[1]);
                maxVersion = Math.max(maxVersion, v);
                Path[] pair = byHash.computeIfAbsent(parts[0], h -> new TreeMap<>(Comparator.reverseOrder()))
                        .computeIfAbsent(v, x -> new Path[2]);
                pair[meta ? 0 : 1] = p;
            }
        }
        List<Object[]> kept = new ArrayList<>();
        for (Map.Entry<String, TreeMap<Long, Path[]>> e : byHash.entrySet()) {
            boolean have = false;
            for (Map.Entry<Long, Path[]> v : e.getValue().entrySet()) {
                Path[] pair = v.getValue();
                long size = have ? -1 : validSize(pair);
                if (size < 0) {
                    for (Path p : pair) {
                        if (p != null) {
                            deleteQuietly(p);
                        }
                    }
                    continue;
                }
                have = true;
                kept.add(new Object[] {new DiskIndex.Rec(e.getKey(), v.getKey(), size),
                        Files.getLastModifiedTime(pair[0], LinkOption.NOFOLLOW_LINKS).toMillis()});
            }
        }
        kept.sort(Comparator.comparingLong(o -> (Long) o[1]));
        List<DiskIndex.Rec> entries = new ArrayList<>(kept.size());
        for (Object[] o : kept) {
            entries.add((DiskIndex.Rec) o[0]);
        }
        return new Found(entries, maxVersion);
    }

    /** Returns the total size of a valid (meta, body) pair of regular files, or -1. */
    private static long validSize(Path[] pair) {
        if (pair[0] == null || pair[1] == null) {
            return -1;
        }
        try {
            byte[] file = readMetaFile(pair[0]);
            Meta m = file == null ? null : parseMeta(file);
            long bodySize = regularSize(pair[1]);
            if (m == null || bodySize < 0 || m.bodyLength() != bodySize) {
                return -1;
            }
            return file.length + bodySize;
        } catch (IOException e) {
            return -1;
        }
    }

    private static boolean claimed(DiskPermissions permissions, Path p) {
        try {
            return permissions.claim(p);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isOurs(String name) {
        int dot = name.indexOf('.');
        return dot == 64;
    }

    private static boolean isDecimal(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
