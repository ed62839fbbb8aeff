package dev.roundtrip.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.roundtrip.Client;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache directory someone else could write to (a restored CI cache, a shared volume): whatever
 * its files are, a lookup reads a bounded number of bytes, follows no link, opens no pipe or
 * device, and a bad entry is discarded, so the request goes to the network. Never an
 * {@link OutOfMemoryError}, a hang, or another file's content served as a body.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CraftedDirectoryTest extends CacheTestSupport {
    @TempDir
    Path dir;
    private final List<IOException> failures = new CopyOnWriteArrayList<>();

    @Override
    protected CacheStore newStore() throws IOException {
        return DiskStore.open(dir, 1 << 20);
    }

    private Client client() {
        return Client.builder().transport(cache).build();
    }

    private String fetch(String path) throws IOException {
        try (Response r = client().send(Request.get(server.url(path)))) {
            return r.bodyString();
        }
    }

    /** Stores a response for {@code path} and returns its entry's file with {@code suffix}. */
    private Path stored(String path, String suffix) throws IOException {
        server.enqueue(ok("original", "Cache-Control", "max-age=600"));
        assertThat(fetch(path)).isEqualTo("original");
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().endsWith(suffix)).collect(Collectors.toList());
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    private void reopen() throws IOException {
        cache.close();
        store = DiskStore.open(dir, 1 << 20);
        cache = CachingRoundTripper.builder(transport, store).clock(clock).build();
    }

    private static void replaceWithLink(Path file, Path target) throws IOException {
        Files.delete(file);
        Files.createSymbolicLink(file, target);
    }

    @Test
    void aMetadataFileLinkedToDevZeroIsDiscardedWhenTheStoreOpens() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        Path meta = stored("/z", ".meta");
        replaceWithLink(meta, Path.of("/dev/zero"));
        reopen(); // read every metadata file: this was Files.readAllBytes(/dev/zero), an OutOfMemoryError
        assertThat(store.entryCount()).isZero();
        assertThat(Files.exists(meta, LinkOption.NOFOLLOW_LINKS)).as("the link is deleted").isFalse();
        server.enqueue(ok("from the network"));
        assertThat(fetch("/z")).isEqualTo("from the network");
    }

    @Test
    void aMetadataFileLinkedToDevZeroWhileTheStoreIsOpenIsDiscardedOnLookup() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        Path meta = stored("/zz", ".meta");
        replaceWithLink(meta, Path.of("/dev/zero"));
        server.enqueue(ok("from the network"));
        assertThat(fetch("/zz")).isEqualTo("from the network");
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(Files.exists(meta, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aBodyLinkedToAnotherFileOfTheRightLengthIsNeverServed() throws Exception {
        Path body = stored("/l", ".body");
        Path other = Files.writeString(dir.getParent().resolve("someone-elses-secret.txt"), "SECRET!!");
        assertThat(Files.size(other)).isEqualTo(Files.size(body));
        replaceWithLink(body, other);
        server.enqueue(ok("from the network"));
        assertThat(fetch("/l")).isEqualTo("from the network");
        assertThat(Files.readString(other)).as("the link's target is untouched").isEqualTo("SECRET!!");
    }

    @Test
    void aBodyThatIsANamedPipeDoesNotHang() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo")));
        Path body = stored("/fifo", ".body");
        Files.delete(body);
        Process p = new ProcessBuilder("/usr/bin/mkfifo", body.toString()).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        server.enqueue(ok("from the network"));
        assertThat(fetch("/fifo")).isEqualTo("from the network"); // opening a pipe would block forever
        reopen();
        assertThat(store.entryCount()).isZero();
    }

    @Test
    void anOversizedMetadataFileIsDiscardedUnread() throws Exception {
        Path meta = stored("/big", ".meta");
        byte[] huge = new byte[DiskStore.MAX_METADATA_BYTES + DiskFiles.FOOTER_BYTES + 1];
        System.arraycopy(Files.readAllBytes(meta), 0, huge, 0, (int) Files.size(meta));
        Files.write(meta, huge);
        reopen();
        assertThat(store.entryCount()).isZero();
        server.enqueue(ok("from the network"));
        assertThat(fetch("/big")).isEqualTo("from the network");
    }

    @Test
    void aResponseHeadTooLargeToStoreIsServedButNotStored() throws Exception {
        Transport roomy = Transport.create(TransportConfig.builder().maxResponseHeaderBytes(4 << 20).build());
        try (CachingRoundTripper big = CachingRoundTripper.builder(roomy, store).clock(clock)
                .listener(new CacheListener() {
                    @Override
                    public void onResponse(Request request, CacheStatus status) {
                    }

                    @Override
                    public void onStoreFailed(Request request, IOException e) {
                        failures.add(e);
                    }
                }).build()) {
            ScriptedResponse r = ok("fine", "Cache-Control", "max-age=600");
            String value = "v".repeat(8000);
            for (int i = 0; i < 200; i++) { // about 1.6 MB of fields: over MAX_METADATA_BYTES
                r = r.header("X-Filler-" + i, value);
            }
            server.enqueue(r);
            try (Response resp = Client.builder().transport(big).build().send(Request.get(server.url("/head")))) {
                assertThat(resp.bodyString()).isEqualTo("fine");
            }
            assertThat(failures).singleElement().extracting(Throwable::getMessage).asString()
                    .contains("exceeds DiskStore's " + DiskStore.MAX_METADATA_BYTES);
            assertThat(store.entryCount()).isZero();
        } finally {
            CacheTestSupport.assertNoConnectionInUse(roomy);
            roomy.close();
        }
    }
}
