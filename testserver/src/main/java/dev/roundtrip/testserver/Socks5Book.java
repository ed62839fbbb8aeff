package dev.roundtrip.testserver;

import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Socks5Book is the {@link Socks5Server}'s book: what the tests read (requests, authentication
 * outcomes, accepted connections) and what {@link Socks5Server#close()} must end (open sockets,
 * running threads). No I/O happens under its lock.
 */
final class Socks5Book {
  private final AtomicInteger threadNumber = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  /** Requests in the order they were answered; guarded by {@link #lock}. */
  private final List<Socks5Server.Request> requests = new ArrayList<>();
  /** Outcomes of username/password sub-negotiations; guarded by {@link #lock}. */
  private final List<Boolean> authResults = new ArrayList<>();
  /** Accepted client connections; guarded by {@link #lock}. */
  private int accepted;
  /** Open sockets, client and target; guarded by {@link #lock}. */
  private final Set<Socket> sockets = new LinkedHashSet<>();
  /** Threads that may still run; guarded by {@link #lock}. */
  private final Set<Thread> threads = new LinkedHashSet<>();
  /** Set by {@link #closeAll()}; guarded by {@link #lock}. */
  private boolean closed;

  void recordRequest(Socks5Server.Request r) {
    lock.lock();
    try {
      requests.add(r);
    } finally {
      lock.unlock();
    }
  }

  void recordAuth(boolean ok) {
    lock.lock();
    try {
      authResults.add(ok);
    } finally {
      lock.unlock();
    }
  }

  void countAccepted() {
    lock.lock();
    try {
      accepted++;
    } finally {
      lock.unlock();
    }
  }

  List<Socks5Server.Request> requests() {
    lock.lock();
    try {
      return new ArrayList<>(requests);
    } finally {
      lock.unlock();
    }
  }

  List<Boolean> authResults() {
    lock.lock();
    try {
      return new ArrayList<>(authResults);
    } finally {
      lock.unlock();
    }
  }

  int accepted() {
    lock.lock();
    try {
      return accepted;
    } finally {
      lock.unlock();
    }
  }

  /** Registers {@code s} to be closed by {@link #closeAll()}; false (and closes it) when closed. */
  boolean track(Socket s) {
    lock.lock();
    try {
      if (!closed) {
        sockets.add(s);
        return true;
      }
    } finally {
      lock.unlock();
    }
    Socks5Server.closeQuietly(s);
    return false;
  }

  /** Closes {@code s} and forgets it. */
  void untrack(Socket s) {
    Socks5Server.closeQuietly(s);
    lock.lock();
    try {
      sockets.remove(s);
    } finally {
      lock.unlock();
    }
  }

  /** Starts a daemon thread {@code socks5-ROLE-N} running {@code r}; null when closed. */
  Thread startThread(String role, Runnable r) {
    lock.lock();
    try {
      if (closed) {
        return null;
      }
      Thread t = new Thread(() -> {
        try {
          r.run();
        } finally {
          threadDone(Thread.currentThread());
        }
      }, "socks5-" + role + "-" + threadNumber.getAndIncrement());
      t.setDaemon(true);
      threads.add(t);
      t.start(); // not I/O: starting under the lock keeps closeAll() from missing it
      return t;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks the book closed (no socket or thread is admitted from now on), closes every open
   * socket and returns the threads that may still run; null if it was closed already.
   */
  List<Thread> closeAll() {
    List<Socket> toClose;
    List<Thread> running;
    lock.lock();
    try {
      if (closed) {
        return null;
      }
      closed = true;
      toClose = new ArrayList<>(sockets);
      running = new ArrayList<>(threads);
    } finally {
      lock.unlock();
    }
    for (Socket s : toClose) {
      Socks5Server.closeQuietly(s);
    }
    return running;
  }

  private void threadDone(Thread t) {
    lock.lock();
    try {
      threads.remove(t);
    } finally {
      lock.unlock();
    }
  }
}
