package dev.roundtrip.testserver;

import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * Connections is the server's book of accepted connections: accept order and client ports,
 * which are open (for {@link TestServer#openConnections()}), and which threads still run (for
 * {@link TestServer#close()}).
 */
final class Connections {
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when {@link #open} changes; guarded by {@link #lock}. */
  private final Condition openChanged = lock.newCondition();
  /** Remote ports in accept order; guarded by {@link #lock}. */
  private final List<Integer> clientPorts = new ArrayList<>();
  /** Connections whose socket is open; guarded by {@link #lock}. */
  private final Set<Connection> open = new LinkedHashSet<>();
  /** Connections whose thread has not finished; guarded by {@link #lock}. */
  private final Set<Connection> running = new LinkedHashSet<>();
  /** Set by {@link #closeAll()}; guarded by {@link #lock}. */
  private boolean closed;

  /**
   * Registers the connection that {@code make} builds for {@code s} (given its accept index) and
   * starts its thread; false when the server is closed (the caller closes {@code s}).
   */
  boolean start(Socket s, IntFunction<Connection> make, ThreadFactory threads) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      Connection c = make.apply(clientPorts.size());
      clientPorts.add(s.getPort());
      open.add(c);
      running.add(c);
      openChanged.signalAll();
      c.thread = threads.newThread(c);
      c.thread.start(); // not I/O: starting under the lock keeps close() from missing it
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Marks the server closed and returns every connection whose thread still runs. */
  List<Connection> closeAll() {
    lock.lock();
    try {
      closed = true;
      return new ArrayList<>(running);
    } finally {
      lock.unlock();
    }
  }

  void closed(Connection c) {
    lock.lock();
    try {
      open.remove(c);
      openChanged.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void threadDone(Connection c) {
    lock.lock();
    try {
      running.remove(c);
    } finally {
      lock.unlock();
    }
  }

  List<Connection> open() {
    lock.lock();
    try {
      return new ArrayList<>(open);
    } finally {
      lock.unlock();
    }
  }

  int openCount() {
    lock.lock();
    try {
      return open.size();
    } finally {
      lock.unlock();
    }
  }

  List<Integer> clientPorts() {
    lock.lock();
    try {
      return new ArrayList<>(clientPorts);
    } finally {
      lock.unlock();
    }
  }

  int acceptedCount() {
    lock.lock();
    try {
      return clientPorts.size();
    } finally {
      lock.unlock();
    }
  }

  boolean awaitOpen(int n, long nanos) throws InterruptedException {
    lock.lock();
    try {
      while (open.size() != n) {
        if (nanos <= 0) {
          return false;
        }
        nanos = openChanged.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }
}
