package dev.roundtrip.cache;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * CacheStore holds the entries of a {@link CachingRoundTripper}: for each string key, a small
 * metadata block and a body, both opaque to the store. {@link MemoryStore} and {@link DiskStore}
 * are the two implementations here; implement this interface for another backend.
 *
 * <p>The contract a store keeps:
 * <ul>
 *   <li><b>All or nothing.</b> An entry becomes visible only through {@link Editor#commit}, which
 *       atomically replaces any previous entry of that key. A reader never sees a half-written
 *       entry, and an editor that is closed without commit leaves nothing behind.</li>
 *   <li><b>Snapshots.</b> An {@link Entry} returned by {@link #open} stays readable, with the
 *       content it had when opened, even if the key is replaced or removed meanwhile.</li>
 *   <li><b>Bounded.</b> The store keeps {@link #size()} at or below {@link #maxSize()} by evicting
 *       entries (least recently used first, for both stores here), counted by
 *       {@link #evictionCount()}; an entry larger than the whole store is not committed.</li>
 *   <li><b>Thread-safe.</b> Any number of threads may open, edit and remove concurrently.</li>
 * </ul>
 */
public interface CacheStore extends Closeable {

    /**
     * Opens the entry stored under {@code key}, or returns null when there is none (or it was found
     * damaged, in which case it is removed). The caller must close the entry.
     */
    Entry open(String key) throws IOException;

    /** Starts writing a new entry for {@code key}; nothing is visible until {@link Editor#commit}. */
    Editor edit(String key) throws IOException;

    /** Removes the entry of {@code key}; returns true if there was one. Open snapshots stay readable. */
    boolean remove(String key) throws IOException;

    /** Returns the bytes held by committed entries (metadata plus bodies). */
    long size();

    /** Returns the most bytes the store holds before it evicts. */
    long maxSize();

    /** Returns the number of committed entries. */
    long entryCount();

    /** Returns how many entries were evicted to stay within {@link #maxSize()}. */
    long evictionCount();

    /** Closes the store; entries of a persistent store stay for the next open. */
    @Override
    void close() throws IOException;

    /** Entry is a snapshot of one committed entry; close it when done. Not thread-safe. */
    interface Entry extends Closeable {
        /** Returns the metadata given to {@link Editor#commit} (or a later {@link #updateMetadata}). */
        byte[] metadata();

        /** Returns the body length in bytes. */
        long bodySize();

        /**
         * Returns the body stream; call it once. It may throw an {@link IOException} at the end if
         * the store finds the body damaged. Closing the entry closes it.
         */
        InputStream body() throws IOException;

        /**
         * Replaces the metadata of this entry, keeping its body, if it is still the key's current
         * entry (not replaced, not removed); returns whether it was. The replacement is atomic.
         */
        boolean updateMetadata(byte[] metadata) throws IOException;

        /** Releases the snapshot. */
        @Override
        void close();
    }

    /** Editor writes one new entry: the body through {@link #body()}, then {@link #commit}. Not thread-safe. */
    interface Editor extends Closeable {
        /** Returns the stream the body is written to. */
        OutputStream body();

        /**
         * Makes the entry visible with {@code metadata}, replacing the key's previous entry, and
         * returns true; returns false when the store declined it (larger than the store).
         *
         * @throws IOException if the entry could not be written; nothing is then visible
         */
        boolean commit(byte[] metadata) throws IOException;

        /** Discards the entry unless it was committed. */
        @Override
        void close();
    }
}
