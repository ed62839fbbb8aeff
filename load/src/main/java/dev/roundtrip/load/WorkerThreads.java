package dev.roundtrip.load;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WorkerThreads makes the load generator's threads: daemon platform threads, or virtual threads
 * where the JDK has them (21+). This module is compiled for Java 17, so
 * {@code Thread.ofVirtual()} is found once, through method handles.
 */
public final class WorkerThreads {
    /** {@code prefix -> Thread.ofVirtual().name(prefix, 0).factory()}, or null before JDK 21. */
    private static final MethodHandle VIRTUAL_FACTORY = findVirtualFactory();

    private WorkerThreads() {
    }

    /** Returns true when this JDK has virtual threads. */
    public static boolean virtualAvailable() {
        return VIRTUAL_FACTORY != null;
    }

    /**
     * Returns a factory of threads named {@code prefix-N}: virtual ones when {@code virtual}, else
     * daemon platform threads.
     *
     * @throws UnsupportedOperationException when virtual threads are asked for on a JDK without
     *     them (the message names the JDK's version)
     */
    public static ThreadFactory factory(boolean virtual, String prefix) {
        if (!virtual) {
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, prefix + "-" + n.getAndIncrement());
                t.setDaemon(true);
                return t;
            };
        }
        if (VIRTUAL_FACTORY == null) {
            throw new UnsupportedOperationException("virtual threads need JDK 21 or later; this is Java "
                    + System.getProperty("java.version"));
        }
        try {
            return (ThreadFactory) VIRTUAL_FACTORY.invoke(prefix + "-");
        } catch (Throwable e) {
            throw new IllegalStateException("cannot make virtual threads", e);
        }
    }

    private static MethodHandle findVirtualFactory() {
        try {
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandle create = l.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
            MethodHandle name = l.findVirtual(builder, "name", MethodType.methodType(builder, String.class, long.class));
            MethodHandle factory = l.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
            MethodHandle named = MethodHandles.insertArguments(name, 2, 0L); // (Builder, String) -> Builder
            MethodHandle withBuilder = MethodHandles.collectArguments(named, 0,
                    create.asType(MethodType.methodType(builder))); // (String) -> Builder
            MethodHandle chain = MethodHandles.filterReturnValue(withBuilder, factory);
            return chain.asType(MethodType.methodType(Object.class, String.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
