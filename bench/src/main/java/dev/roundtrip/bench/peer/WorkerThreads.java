package dev.roundtrip.bench.peer;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/**
 * WorkerThreads makes the load workers: platform threads, or virtual threads on JDK 21+ (found by
 * reflection: this module is compiled for Java 17).
 */
public final class WorkerThreads {
    private WorkerThreads() {
    }

    /** Returns true when this JVM has virtual threads. */
    public static boolean virtualAvailable() {
        try {
            Thread.class.getMethod("ofVirtual");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Returns a factory of platform or virtual threads named {@code prefix-N}. */
    public static ThreadFactory factory(boolean virtual, String prefix) {
        if (!virtual) {
            int[] n = {0};
            return r -> {
                Thread t = new Thread(r, prefix + "-" + n[0]++);
                t.setDaemon(true);
                return t;
            };
        }
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix + "-", 0L);
            Method factory = builderType.getMethod("factory");
            return (ThreadFactory) factory.invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need JDK 21 or later; this is "
                    + System.getProperty("java.version"), e);
        }
    }
}
