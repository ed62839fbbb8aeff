package dev.roundtrip.cache;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * DiskStore is a {@link CacheStore} in one directory, bounded by bytes, evicting the least
 * recently used entries first, and crash-safe: an entry's body and metadata are each written to a
 * temporary file, forced to disk and renamed into place, body first, so a crash at any moment
 * leaves either the old entry or the new one, never a mix; metadata carries checksums and the
 * body length, so a truncated or damaged entry is never served. A new store on the same directory
 * (after a restart or a crash) finds the committed entries and deletes everything else (see
 * {@link DiskFiles} for the layout).
 *
 * <p>Lifecycle: {@link #open} locks the directory (one open store per directory, across
 * processes), recovers it and builds the index; entries are then opened, written and removed by
 * any number of threads; {@link #close()} releases the lock. The index lock is held for
 * bookkeeping only, never across file I/O: files are versioned, so no two writers ever touch the
 * same file, and an old version is deleted only after the index stopped pointing at it.
 *
 * <p>On start-up every entry's metadata file is read and checked (one small read per entry).
 * Least-recently-used order survives a restart only approximately (it restarts from the files'
 * modification times).
 */
public final class DiskStore implements CacheStore {
    /**
     * MAX_METADATA_BYTES is the longest entry metadata (bookkeeping and response head) stored or
     * read: 1 MiB, four times core's default response head limit, with room for the URL. Longer
     * metadata is refused when committing (a store failure, the response is still served), and a
     * metadata file longer than this (not written by a store) is discarded unread, so a crafted
     * directory cannot make a lookup allocate without bound.
     */
    public static final int MAX_METADATA_BYTES = 1 << 20;
    /** How much of a body is buffered before it is written to its file. */
    private static final int WRITE_BUFFER_BYTES = 16 * 1024;
    /** How often a lookup follows a version replaced under it before it reports a miss. */
    private static final int MAX_OPEN_ATTEMPTS = 3;

    private final Path dir;
    private final DiskPermissions permissions;
    private final long maxSize;
    private final DiskIndex index;
    private final AtomicLong versions;
    private final AtomicLong tmpSeq = new AtomicLong();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DiskStore(Path dir, DiskPermissions permissions, long maxSize, DiskFiles.Found found,
                      FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.permissions = permissions;
        this.maxSize = maxSize;
        this.index = new DiskIndex(maxSize);
        this.versions = new AtomicLong(found.maxVersion() + 1);
        this.lockChannel = lockChannel;
        this.lock = lock;
        for (DiskIndex.Rec r : found.entries()) {
            delete(index.put(r)); // oldest first, so a smaller limit keeps the newest
        }
    }

    /**
     * Opens (creating it if needed) the store in {@code dir}, holding at most {@code maxBytes}.
     *
     * <p>Where the file system has POSIX permissions, the directory is private to the user running
     * the store: a new one is created with mode 700, an existing one must belong to that user and
     * is set to 700 if it allowed more, and every file is created with mode 600 (existing entries
     * with wider permissions are set to 600); files of other users are ignored.
     *
     * @throws IOException              if the directory cannot be created or read, belongs to
     *                                  another user, or another open store (in this or another
     *                                  process) holds it
     * @throws IllegalArgumentException if {@code maxBytes} is not positive
     */
    public static DiskStore open(Path dir, long maxBytes) throws IOException {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        DiskPermissions permissions = DiskPermissions.prepare(dir);
        Path dirReal = dir.toRealPath();
        Path lockFile = dirReal.resolve("lock");
        FileChannel ch = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), permissions.fileAttributes());
        try {
            permissions.claim(lockFile); // an older version created it under the umask
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            ch.close();
            throw new IOException("cache directory " + dirReal + " is already open in this process: close the other"
                    + " DiskStore first, or share it");
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("cache directory " + dirReal + " is in use by another process");
        }
        try {
            return new DiskStore(dirReal, permissions, maxBytes, DiskFiles.recover(dirReal, permissions), ch, lock);
        } catch (IOException | RuntimeException e) {
            lock.release();
            ch.close();
            throw e;
        }
    }

    /** Returns the directory. */
    public Path directory() {
        return dir;
    }

    @Override
    public Entry open(String key) throws IOException {
        checkOpen();
        String hash = DiskFiles.hash(key);
        DiskIndex.Rec rec = index.get(hash);
        for (int attempt = 0; rec != null && attempt < MAX_OPEN_ATTEMPTS; attempt++) {
            byte[] file;
            FileChannel body;
            try {
                file = DiskFiles.readMetaFile(DiskFiles.meta(dir, hash, rec.version()));
                body = file == null ? null : DiskFiles.openBody(DiskFiles.body(dir, hash, rec.version()));
            } catch (NoSuchFileException e) {
                // replaced or evicted since the index lookup: look again, a newer version may be there
                DiskIndex.Rec now = index.get(hash);
                rec = now != null && now.version() != rec.version() ? now : null;
                continue;
            }
            if (body == null) {
                discard(hash, rec.version()); // a link, pipe, device or oversized file: not the store's
                return null;
            }
            DiskFiles.Meta meta;
            try {
                meta = DiskFiles.parseMeta(file);
                if (meta == null || body.size() != meta.bodyLength()) {
                    body.close();
                    discard(hash, rec.version());
                    return null;
                }
            } catch (IOException | RuntimeException e) {
                body.close(); // a failing size() must not leak the channel
                throw e;
            }
            return new DiskEntry(hash, rec.version(), meta, body);
        }
        return null;
    }

    @Override
    public Editor edit(String key) throws IOException {
        checkOpen();
        String hash = DiskFiles.hash(key);
        long version = versions.getAndIncrement();
        Path tmp = dir.resolve(hash + "." + version + DiskFiles.BODY + DiskFiles.TMP);
        FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                permissions.fileAttributes());
        return new DiskEditor(hash, version, tmp, ch);
    }

    @Override
    public boolean remove(String key) throws IOException {
        checkOpen();
        DiskIndex.Rec r = index.remove(DiskFiles.hash(key));
        if (r != null) {
            DiskFiles.deleteVersion(dir, r.hash(), r.version());
        }
        return r != null;
    }

    @Override public long size() { return index.size(); }

    @Override public long maxSize() { return maxSize; }

    @Override public long entryCount() { return index.count(); }

    @Override public long evictionCount() { return index.evictions(); }

    /** Releases the directory; committed entries stay for the next open. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            try {
                lock.release();
            } finally {
                lockChannel.close();
            }
        }
    }

    @Override
    public String toString() {
        return "DiskStore{" + dir + ", entries=" + entryCount() + ", size=" + size() + ", maxSize=" + maxSize + "}";
    }

    private void checkOpen() throws IOException {
        if (closed.get()) {
            throw new IOException("the cache store in " + dir + " is closed");
        }
    }

    private static void checkMetadataSize(byte[] metadata) throws IOException {
        if (metadata.length > MAX_METADATA_BYTES) {
            throw new IOException("cache entry metadata of " + metadata.length + " bytes exceeds DiskStore's "
                    + MAX_METADATA_BYTES);
        }
    }

    private void discard(String hash, long version) {
        if (index.removeIfCurrent(hash, version)) {
            DiskFiles.deleteVersion(dir, hash, version);
        }
    }

    private void delete(List<DiskIndex.Rec> dead) {
        for (DiskIndex.Rec r : dead) {
            DiskFiles.deleteVersion(dir, r.hash(), r.version());
        }
    }

    private Path metaTmp(String hash, long version) {
        return dir.resolve(hash + "." + version + DiskFiles.META + "." + tmpSeq.getAndIncrement() + DiskFiles.TMP);
    }

    /** A snapshot: the metadata read at open, and the body file kept open. */
    private final class DiskEntry implements Entry {
        private final String hash;
        private final long version;
        private final DiskFiles.Meta meta;
        private final FileChannel body;

        DiskEntry(String hash, long version, DiskFiles.Meta meta, FileChannel body) {
            this.hash = hash;
            this.version = version;
            this.meta = meta;
            this.body = body;
        }

        @Override public byte[] metadata() { return meta.metadata().clone(); }

        @Override public long bodySize() { return meta.bodyLength(); }

        @Override
        public InputStream body() {
            return new CheckedBody(Channels.newInputStream(body), meta.bodyLength(), meta.bodyCrc(),
                    () -> discard(hash, version));
        }

        @Override
        public boolean updateMetadata(byte[] metadata) throws IOException {
            checkOpen();
            DiskIndex.Rec current = index.get(hash);
            if (current == null || current.version() != version) {
                return false;
            }
            checkMetadataSize(metadata);
            byte[] file = DiskFiles.metaFile(metadata, meta.bodyLength(), meta.bodyCrc());
            Path target = DiskFiles.meta(dir, hash, version);
            DiskFiles.writeAtomically(metaTmp(hash, version), target, file, permissions);
            DiskFiles.forceDirectory(dir);
            List<DiskIndex.Rec> evicted = index.resizeIfCurrent(hash, version, file.length + meta.bodyLength());
            if (evicted == null) {
                DiskFiles.deleteQuietly(target); // replaced or evicted meanwhile: its files are dead
                return false;
            }
            delete(evicted); // a larger head may push others out
            return true;
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException e) {
                // read-only file: nothing to lose
            }
        }
    }

    /** Writes the body to a temporary file; commit forces it, renames it, then writes the metadata. */
    private final class DiskEditor implements Editor {
        private final String hash;
        private final long version;
        private final Path tmp;
        private final FileChannel ch;
        private final CRC32 crc = new CRC32();
        private final OutputStream out;
        private long count;
        private boolean done;

        DiskEditor(String hash, long version, Path tmp, FileChannel ch) {
            this.hash = hash;
            this.version = version;
            this.tmp = tmp;
            this.ch = ch;
            OutputStream file = new BufferedOutputStream(Channels.newOutputStream(ch), WRITE_BUFFER_BYTES);
            this.out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (done) {
                        throw new IOException("cache entry editor is closed");
                    }
                    if (count + len > maxSize) {
                        throw new IOException("cache entry exceeds the store's " + maxSize + " bytes");
                    }
                    file.write(b, off, len);
                    crc.update(b, off, len);
                    count += len;
                }

                @Override
                public void flush() throws IOException {
                    file.flush();
                }
            };
        }

        @Override public OutputStream body() { return out; }

        @Override
        public boolean commit(byte[] metadata) throws IOException {
            if (done) {
                throw new IOException("cache entry editor is closed");
            }
            try {
                checkOpen();
                checkMetadataSize(metadata);
                out.flush();
                ch.force(true);
                ch.close();
                byte[] file = DiskFiles.metaFile(metadata, count, (int) crc.getValue());
                if (count + file.length > maxSize) {
                    return false;
                }
                DiskFiles.moveAtomically(tmp, DiskFiles.body(dir, hash, version));
                DiskFiles.writeAtomically(metaTmp(hash, version), DiskFiles.meta(dir, hash, version), file, permissions);
                DiskFiles.forceDirectory(dir);
                delete(index.put(new DiskIndex.Rec(hash, version, count + file.length)));
                return true;
            } catch (IOException | RuntimeException e) {
                DiskFiles.deleteVersion(dir, hash, version);
                throw e;
            } finally {
                done = true;
                close();
            }
        }

        @Override
        public void close() {
            done = true;
            try {
                ch.close();
            } catch (IOException e) {
                // deleting it anyway
            }
            DiskFiles.deleteQuietly(tmp); // a no-op after a commit, which renamed it
        }
    }
}
