package dev.roundtrip.internal.util;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Threads starts short background tasks: on a virtual thread where the JDK has them (21+), else
 * on a daemon platform thread. The library is compiled for Java 17, so virtual threads are found
 * reflectively once.
 */
public final class Threads {
    private static final MethodHandle START_VIRTUAL = findStartVirtual();
    private static final MethodHandle IS_VIRTUAL = findIsVirtual();

    private Threads() {
    }

    /** Returns true when this JDK has virtual threads. */
    public static boolean virtualThreadsAvailable() {
        return START_VIRTUAL != null;
    }

    /** Returns true if the current thread is a virtual thread (never on a JDK without them). */
    public static boolean currentIsVirtual() {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable e) {
            return false;
        }
    }

    /** Starts {@code task} on a new virtual thread if available, else a daemon platform thread. */
    public static Thread start(String name, Runnable task) {
        if (START_VIRTUAL != null) {
            try {
                return (Thread) START_VIRTUAL.invokeExact(task);
            } catch (Throwable e) {
                // fall through to a platform thread
            }
        }
        return startDaemon(name, task);
    }

    /** Starts {@code task} on a new daemon platform thread. */
    public static Thread startDaemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static MethodHandle findStartVirtual() {
        try {
            MethodHandle h = MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                    MethodType.methodType(Thread.class, Runnable.class));
            return h;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
