package dev.roundtrip.testserver.h2;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * FrameLog is the record of every frame clients sent to one {@link H2TestServer}, in arrival order
 * (per connection): appended by the connections' threads, copied and waited on by tests (see
 * {@link H2TestServer#frames()} and {@link H2TestServer#awaitFrame}). Thread-safe.
 */
final class FrameLog {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition recorded = lock.newCondition();
  private final List<H2Frame> frames = new ArrayList<>(); // guarded by lock

  /** Appends {@code f} and wakes the waiters. */
  void record(H2Frame f) {
    lock.lock();
    try {
      frames.add(f);
      recorded.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Returns every frame recorded so far, a new list. */
  List<H2Frame> frames() {
    lock.lock();
    try {
      return new ArrayList<>(frames);
    } finally {
      lock.unlock();
    }
  }

  /** Returns the first frame matching {@code p}, recorded before or during the wait, or null on timeout. */
  H2Frame await(Predicate<H2Frame> p, Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      int seen = 0;
      while (true) {
        for (; seen < frames.size(); seen++) {
          if (p.test(frames.get(seen))) {
            return frames.get(seen);
          }
        }
        if (left <= 0) {
          return null;
        }
        left = recorded.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }
}
