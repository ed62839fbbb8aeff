package dev.roundtrip.spring;

import dev.roundtrip.RequestBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.http.StreamingHttpOutputMessage;

/**
 * BodyPipe turns Spring's push-style body ({@code Body.writeTo(OutputStream)}) into roundtrip's
 * pull-style {@link RequestBody} ({@code open()} returns a stream the Transport reads), without
 * holding the body in memory: each open starts a writer on another thread that fills a bounded
 * buffer of {@value #CAPACITY} bytes, and the Transport's reads drain it.
 *
 * <p>Lifecycle of one opening: the first read starts the writer; the writer blocks while the
 * buffer is full; the reader blocks while it is empty; the writer's end (or failure) is the
 * reader's end of stream (or an {@code IOException} with the failure as its cause); the reader's
 * close makes the writer's next write fail, so a writer never outlives an abandoned request by
 * more than one write. The buffer's lock is held for bookkeeping only, never while calling the
 * Spring writer.
 */
final class BodyPipe {
    /** Bytes buffered between the writer and the Transport: 64 KiB. */
    static final int CAPACITY = 64 * 1024;

    private static final ExecutorService WRITERS = writers();

    private final StreamingHttpOutputMessage.Body body;
    /** The first failure of a writer (an IOException, RuntimeException or Error), or null. */
    private volatile Throwable writerFailure;

    BodyPipe(StreamingHttpOutputMessage.Body body) {
        this.body = body;
    }

    /** Returns the body to send: replayable when Spring says the body is repeatable; {@code length} -1 when unknown. */
    RequestBody requestBody(long length) {
        long n = length < 0 ? -1 : length;
        return body.repeatable() ? RequestBody.ofSupplier(Pipe::new, n) : RequestBody.ofStream(new Pipe(), n);
    }

    /** Rethrows what the writer threw, if it failed: the caller sees the converter's own exception. */
    void rethrowWriterFailure() throws IOException {
        Throwable t = writerFailure;
        if (t instanceof IOException) {
            throw (IOException) t;
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
    }

    /** Virtual threads on JDK 21+ (found by reflection: this module is compiled for Java 17), else daemon threads. */
    private static ExecutorService writers() {
        try {
            Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) m.invoke(null);
        } catch (ReflectiveOperationException e) {
            return Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "roundtrip-spring-body-writer");
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** Pipe is one opening: the reading end handed to the Transport, and the writer feeding it. */
    private final class Pipe extends InputStream {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition notEmpty = lock.newCondition();
        private final Condition notFull = lock.newCondition();
        /** Guarded by lock: the ring buffer, its read position and fill count. */
        private final byte[] buf = new byte[CAPACITY];
        private int readPos;
        private int count;
        /** Guarded by lock: the writer finished (normally or not), the reader closed, the writer started. */
        private boolean writerDone;
        private Throwable failure;
        private boolean readerClosed;
        private boolean started;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            lock.lock();
            try {
                if (!started) {
                    started = true;
                    WRITERS.execute(this::write);
                }
                while (count == 0 && !writerDone && !readerClosed) {
                    notEmpty.await();
                }
                if (readerClosed) {
                    throw new IOException("the request body stream is closed");
                }
                if (count == 0) {
                    if (failure != null) {
                        throw new IOException("writing the request body failed: " + failure, failure);
                    }
                    return -1;
                }
                int n = Math.min(len, Math.min(count, CAPACITY - readPos));
                System.arraycopy(buf, readPos, b, off, n);
                readPos = (readPos + n) % CAPACITY;
                count -= n;
                notFull.signal();
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the request body to be written");
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                readerClosed = true;
                notFull.signalAll();
                notEmpty.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Runs on a writer thread: Spring writes the body into the buffer. */
        private void write() {
            Throwable failed = null;
            try (OutputStream out = new Sink()) {
                body.writeTo(out);
            } catch (IOException | RuntimeException | Error e) {
                failed = e;
            }
            lock.lock();
            try {
                writerDone = true;
                if (failed != null && !readerClosed) {
                    failure = failed;
                    if (writerFailure == null) {
                        writerFailure = failed;
                    }
                }
                notEmpty.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Sink is the writer's end: blocks while the buffer is full, fails once the reader closed. */
        private final class Sink extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                lock.lock();
                try {
                    while (len > 0) {
                        // The Transport always closes the stream it opened, and its write timeout
                        // bounds a stalled exchange: this wait ends.
                        while (count == CAPACITY && !readerClosed) {
                            notFull.await();
                        }
                        if (readerClosed) {
                            throw new IOException("the request body is no longer read: the exchange ended or failed");
                        }
                        int writePos = (readPos + count) % CAPACITY;
                        int n = Math.min(len, Math.min(CAPACITY - count, CAPACITY - writePos));
                        System.arraycopy(b, off, buf, writePos, n);
                        count += n;
                        off += n;
                        len -= n;
                        notEmpty.signal();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while writing the request body");
                } finally {
                    lock.unlock();
                }
            }
        }
    }
}
