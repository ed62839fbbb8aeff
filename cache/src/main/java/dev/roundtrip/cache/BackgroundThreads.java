package dev.roundtrip.cache;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * BackgroundThreads makes the default executor for background revalidation: at most
 * {@link CachingRoundTripper#DEFAULT_BACKGROUND_THREADS} threads, a queue of
 * {@link CachingRoundTripper#DEFAULT_BACKGROUND_QUEUE} (beyond which work is rejected, and the
 * cache skips it), threads created only when needed and gone after 10 s idle. The threads are
 * virtual when the JDK has them (found by reflection: the code is compiled for Java 17), else
 * daemon platform threads; both are named {@code roundtrip-cache-revalidate-N}.
 */
final class BackgroundThreads {
    static final String PREFIX = "roundtrip-cache-revalidate-";
    private static final long KEEP_ALIVE_SECONDS = 10;

    private BackgroundThreads() {
    }

    static ExecutorService executor() {
        int n = CachingRoundTripper.DEFAULT_BACKGROUND_THREADS;
        ThreadPoolExecutor e = new ThreadPoolExecutor(n, n, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(CachingRoundTripper.DEFAULT_BACKGROUND_QUEUE), factory(),
                new ThreadPoolExecutor.AbortPolicy());
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    private static ThreadFactory factory() {
        ThreadFactory virtual = virtualFactory();
        if (virtual != null) {
            return virtual;
        }
        AtomicInteger next = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, PREFIX + next.getAndIncrement());
            t.setDaemon(true);
            return t;
        };
    }

    /** Returns {@code Thread.ofVirtual().name(PREFIX, 0).factory()}, or null without virtual threads. */
    private static ThreadFactory virtualFactory() {
        if (Runtime.version().feature() < 21) {
            return null;
        }
        try {
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, PREFIX, 0L);
            return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
