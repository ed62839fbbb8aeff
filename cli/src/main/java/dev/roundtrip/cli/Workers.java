package dev.roundtrip.cli;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Workers makes the load generator's threads: daemon platform threads, or virtual threads where
 * the JDK has them (21+). The command is compiled for Java 17, so {@code Thread.ofVirtual()} is
 * found once through method handles.
 */
final class Workers {
    /** {@code Thread.ofVirtual().name(prefix, 0).factory()}, or null before JDK 21. */
    private static final MethodHandle VIRTUAL_FACTORY = findVirtualFactory();

    private Workers() {
    }

    /** Returns true when this JDK has virtual threads. */
    static boolean virtualAvailable() {
        return VIRTUAL_FACTORY != null;
    }

    /**
     * Returns a factory of threads named {@code prefix-N}: virtual ones when {@code virtual}, else
     * daemon platform threads.
     *
     * @throws CliException exit {@link ExitCodes#USAGE} when virtual threads are asked for on a JDK without them
     */
    static ThreadFactory factory(boolean virtual, String prefix) {
        if (!virtual) {
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, prefix + "-" + n.getAndIncrement());
                t.setDaemon(true);
                return t;
            };
        }
        if (VIRTUAL_FACTORY == null) {
            throw new CliException(ExitCodes.USAGE, "--threads virtual needs JDK 21 or later; this is Java "
                    + System.getProperty("java.version") + " (use --threads platform, or run with a newer JDK,"
                    + " e.g. JAVA_HOME=/path/to/jdk-21 ./roundtrip ...)");
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
            // prefix -> Thread.ofVirtual().name(prefix, 0L).factory()
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
