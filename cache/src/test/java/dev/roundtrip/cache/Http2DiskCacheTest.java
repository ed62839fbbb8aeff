package dev.roundtrip.cache;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link Http2CacheTest} on a {@link DiskStore}: HTTP/2 responses stored in files and read back. */
class Http2DiskCacheTest extends Http2CacheTest {
    @TempDir
    Path dir;

    @Override
    protected CacheStore newStore() throws IOException {
        return DiskStore.open(dir, 1 << 20);
    }
}
