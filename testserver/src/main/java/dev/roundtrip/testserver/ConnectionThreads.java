package dev.roundtrip.testserver;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ConnectionThreads makes the threads that serve connections: virtual threads when the running
 * JDK has them (found by reflection, since the code is compiled for Java 17), else platform
 * daemon threads. Both are named {@code testserver-conn-N}.
 */
final class ConnectionThreads {
  static final String PREFIX = "testserver-conn-";

  private ConnectionThreads() {}

  /** Returns a factory; {@code wantVirtual} null means "virtual when available". */
  static ThreadFactory create(Boolean wantVirtual) {
    if (wantVirtual == null || wantVirtual) {
      ThreadFactory virtual = virtualFactory();
      if (virtual != null) {
        return virtual;
      }
    }
    AtomicInteger next = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, PREFIX + next.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }

  /** Tells whether {@code t} is a virtual thread (false on JDKs without them). */
  static boolean isVirtual(Thread t) {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  /** Returns {@code Thread.ofVirtual().name(PREFIX, 0).factory()}, or null without it. */
  private static ThreadFactory virtualFactory() {
    if (Runtime.version().feature() < 21) {
      return null; // absent (17), or preview only (19, 20)
    }
    try {
      Class<?> builderType = Class.forName("java.lang.Thread$Builder");
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      builder = builderType.getMethod("name", String.class, long.class)
          .invoke(builder, PREFIX, 0L);
      return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
