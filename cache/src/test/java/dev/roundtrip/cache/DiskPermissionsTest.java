package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roundtrip.Client;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.testserver.ScriptedResponse;
import dev.roundtrip.testserver.TestServer;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk cache holds full URLs and authenticated bodies: its directory is 700 and its files 600
 * whatever the umask, an existing directory is tightened (or refused when another user owns it),
 * and entries written with wider permissions by an older version are tightened when it opens.
 */
class DiskPermissionsTest {
    @TempDir
    Path tmp;
    private TestServer server;
    private Transport transport;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        server = TestServer.start();
        transport = Transport.create();
    }

    @AfterEach
    void stop() {
        if (transport != null) {
            CacheTestSupport.assertNoConnectionInUse(transport);
            transport.close();
            server.close();
        }
    }

    /** Fetches {@code path} through a Client over a disk cache in {@code dir}, then closes the cache. */
    private void fetchThroughADiskCache(Path dir, String path) throws IOException {
        server.enqueue(ScriptedResponse.status(200).header("Cache-Control", "max-age=600").body("stored"));
        try (CachingRoundTripper cache = new CachingRoundTripper(transport, DiskStore.open(dir, 1 << 20))) {
            Client client = Client.builder().transport(cache).build();
            try (Response r = client.send(Request.get(server.url(path)))) {
                assertThat(r.bodyString()).isEqualTo("stored");
            }
            assertThat(cache.stats().stores()).isOne();
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.collect(Collectors.toList());
        }
    }

    @Test
    void aNewDirectoryIs700AndItsFiles600() throws Exception {
        Path dir = tmp.resolve("a/b/cache");
        fetchThroughADiskCache(dir, "/new");
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(tmp.resolve("a"))).as("missing parents too").isEqualTo("rwx------");
        List<Path> files = files(dir);
        assertThat(files).hasSize(3); // lock, .meta, .body
        for (Path f : files) {
            assertThat(mode(f)).as(f.getFileName().toString()).isEqualTo("rw-------");
        }
    }

    @Test
    void anExistingOpenDirectoryIsTightenedTo700() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        fetchThroughADiskCache(dir, "/x");
        assertThat(mode(dir)).isEqualTo("rwx------");
    }

    @Test
    void entriesAnOlderVersionWroteWorldReadableAreTightenedOnOpen() throws Exception {
        Path dir = tmp.resolve("old");
        fetchThroughADiskCache(dir, "/old");
        for (Path f : files(dir)) { // as the previous version left them under umask 022
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (DiskStore store = DiskStore.open(dir, 1 << 20)) {
            assertThat(store.entryCount()).isOne();
        }
        assertThat(mode(dir)).isEqualTo("rwx------");
        for (Path f : files(dir)) {
            assertThat(mode(f)).as(f.getFileName().toString()).isEqualTo("rw-------");
        }
    }

    @Test
    void aDirectoryOwnedByAnotherUserIsRefused() throws Exception {
        UserPrincipal nobody;
        try {
            nobody = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        } catch (IOException e) {
            nobody = null;
        }
        assumeTrue(nobody != null, "a user named nobody");
        Path dir = Files.createDirectory(tmp.resolve("theirs"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            Files.setOwner(dir, nobody);
        } catch (IOException e) {
            assumeTrue(false, "only root can give a directory away: " + e);
        }
        assertThatThrownBy(() -> DiskStore.open(dir, 1 << 20)).isInstanceOf(IOException.class)
                .hasMessageContaining("belongs to nobody").hasMessageContaining("plant");
        assertThat(files(dir)).as("nothing written into it").isEmpty();
    }

    @Test
    void anEntryFileOwnedByAnotherUserIsIgnored() throws Exception {
        Path dir = tmp.resolve("planted");
        fetchThroughADiskCache(dir, "/p");
        UserPrincipal nobody;
        try {
            nobody = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            for (Path f : files(dir)) {
                if (!f.getFileName().toString().equals("lock")) {
                    Files.setOwner(f, nobody);
                }
            }
        } catch (IOException e) {
            assumeTrue(false, "only root can give a file away: " + e);
            return;
        }
        try (DiskStore store = DiskStore.open(dir, 1 << 20)) {
            assertThat(store.entryCount()).isZero();
        }
        assertThat(files(dir)).as("left alone").hasSize(3);
    }
}
