package dev.roundtrip.internal.http2;

/** Records the octets handed to the socket and where each write call began, to find which call carried a frame. */
final class WriteLog {
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    private final java.util.List<Integer> callStarts = new java.util.ArrayList<>();
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

    java.io.OutputStream wrap(java.io.OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws java.io.IOException {
                lock.lock(); // bookkeeping only; the socket write is outside
                try {
                    callStarts.add(bytes.size());
                    bytes.write(b, off, len);
                } finally {
                    lock.unlock();
                }
                out.write(b, off, len);
            }
        };
    }

    /** Returns the indexes of the write calls in which a HEADERS frame of one of {@code streams} began. */
    java.util.Set<Integer> callsCarryingHeadersOf(java.util.Set<Integer> streams) {
        byte[] all;
        java.util.List<Integer> starts;
        lock.lock();
        try {
            all = bytes.toByteArray();
            starts = new java.util.ArrayList<>(callStarts);
        } finally {
            lock.unlock();
        }
        int pos = 24; // the connection preface
        java.util.Set<Integer> calls = new java.util.TreeSet<>();
        while (pos + 9 <= all.length) {
            int length = ((all[pos] & 0xff) << 16) | ((all[pos + 1] & 0xff) << 8) | (all[pos + 2] & 0xff);
            int type = all[pos + 3] & 0xff;
            int stream = ((all[pos + 5] & 0x7f) << 24) | ((all[pos + 6] & 0xff) << 16) | ((all[pos + 7] & 0xff) << 8)
                    | (all[pos + 8] & 0xff);
            if (type == FrameType.HEADERS && streams.contains(stream)) {
                int call = java.util.Collections.binarySearch(starts, pos);
                calls.add(call >= 0 ? call : -call - 2);
            }
            pos += 9 + length;
        }
        return calls;
    }
}
