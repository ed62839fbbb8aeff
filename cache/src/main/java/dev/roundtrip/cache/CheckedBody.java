package dev.roundtrip.cache;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;

/**
 * CheckedBody is the body stream of a {@link DiskStore} entry: it stops at the length the
 * metadata recorded and checks the CRC-32 when it reaches it; a short or damaged body throws an
 * {@link IOException} (after {@code onDamage} removed the entry) instead of ending normally.
 */
final class CheckedBody extends InputStream {
    private final InputStream in;
    private final long length;
    private final int expectedCrc;
    private final Runnable onDamage;
    private final CRC32 crc = new CRC32();
    private long read;
    private boolean verified;

    CheckedBody(InputStream in, long length, int expectedCrc, Runnable onDamage) {
        this.in = in;
        this.length = length;
        this.expectedCrc = expectedCrc;
        this.onDamage = onDamage;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (read == length) {
            verify();
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, length - read));
        if (n < 0) {
            onDamage.run();
            throw new IOException("cache entry body is shorter than its metadata says; the entry was removed");
        }
        crc.update(b, off, n);
        read += n;
        if (read == length) {
            verify();
        }
        return n;
    }

    private void verify() throws IOException {
        if (!verified) {
            verified = true;
            if ((int) crc.getValue() != expectedCrc) {
                onDamage.run();
                throw new IOException("cache entry body is damaged (checksum mismatch); the entry was removed");
            }
        }
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), length - read);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
