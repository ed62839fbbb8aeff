package dev.roundtrip.cache;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * DiskPermissions keeps a {@link DiskStore} directory private to the user running the store, where
 * the file system has POSIX permissions (elsewhere it does nothing): the stored entries hold full
 * URLs and authenticated response bodies.
 * <ul>
 *   <li>a directory that does not exist is created with mode 700 (its missing parents too);</li>
 *   <li>an existing directory must belong to the user running the store (another user could read
 *       the entries, or plant ones that would be served); one with any group or other permission
 *       is set to 700;</li>
 *   <li>files are created with mode 600; an existing entry file with wider permissions (written by
 *       an older version) is set to 600 when the store opens; a file owned by another user is not
 *       the store's and is ignored.</li>
 * </ul>
 */
final class DiskPermissions {
    /** DIRECTORY is the mode of the store's directory: {@code rwx------}. */
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    /** FILE is the mode of the store's files: {@code rw-------}. */
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

    /** Null where the file system has no POSIX permissions. */
    private final UserPrincipal owner;
    private final FileAttribute<?>[] fileAttributes;

    private DiskPermissions(UserPrincipal owner) {
        this.owner = owner;
        this.fileAttributes = owner == null ? NONE
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)};
    }

    /**
     * Creates {@code dir} (mode 700) or checks and tightens the existing one, as the class comment
     * says, and returns the permissions to use in it.
     *
     * @throws IOException if the directory cannot be created, or belongs to another user
     */
    static DiskPermissions prepare(Path dir) throws IOException {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir);
            return new DiskPermissions(null);
        }
        if (!Files.exists(dir)) {
            try {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            } catch (FileSystemException e) {
                throw new IOException("cannot create the cache directory " + dir + ": " + e.getMessage(), e);
            }
        }
        Path real = dir.toRealPath();
        PosixFileAttributes a = Files.readAttributes(real, PosixFileAttributes.class);
        UserPrincipal me = currentUser(real);
        if (!a.owner().equals(me)) {
            throw new IOException("cache directory " + real + " belongs to " + a.owner().getName() + ", not to "
                    + me.getName() + " who runs this store: another user could read its entries or plant ones"
                    + " that would be served. Use a directory of your own (a new one is created with mode 700)");
        }
        if (!a.permissions().equals(DIRECTORY)) {
            Files.setPosixFilePermissions(real, DIRECTORY);
        }
        return new DiskPermissions(me);
    }

    /** Returns the user files created in {@code dir} belong to: the owner of a probe file created there. */
    private static UserPrincipal currentUser(Path dir) throws IOException {
        Path probe = Files.createTempFile(dir, "owner-probe-", ".tmp",
                PosixFilePermissions.asFileAttribute(FILE));
        try {
            return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** Returns the attributes to create a file with: mode 600 where POSIX permissions exist. */
    FileAttribute<?>[] fileAttributes() {
        return fileAttributes.clone();
    }

    /**
     * Returns false if {@code file} belongs to another user (it is not the store's); otherwise sets
     * it to mode 600 when its permissions are wider, and returns true. Links are not followed.
     */
    boolean claim(Path file) throws IOException {
        if (owner == null) {
            return true;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes a = view.readAttributes();
        if (!a.owner().equals(owner)) {
            return false;
        }
        if (a.isRegularFile() && !a.permissions().equals(FILE)) {
            view.setPermissions(FILE);
        }
        return true;
    }
}
