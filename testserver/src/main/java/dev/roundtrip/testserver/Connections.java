package dev.roundtrip.testserver;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * Connections is a server's book of accepted connections: accept order and client ports,
 * which are open (for {@link TestServer#openConnections()}), and which threads still run (for
 * {@link TestServer#close()}). It also runs the accept loop and the shutdown that the servers
 * share.
 *
 * @param <C> the type of the served connections
 */
final class Connections<C extends Connections.Member> {
  /** Member is one served connection: it runs on its own thread and can be closed by others. */
  abstract static class Member implements Runnable {
    /** Set before start, read by {@link #shutDown} to interrupt and join. */
    Thread thread;

    /** Closes the socket now; called by other threads. Idempotent. */
    abstract void close();
  }

  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when {@link #open} changes; guarded by {@link #lock}. */
  private final Condition openChanged = lock.newCondition();
  /** Remote ports in accept order; guarded by {@link #lock}. */
  private final List<Integer> clientPorts = new ArrayList<>();
  /** Connections whose socket is open; guarded by {@link #lock}. */
  private final Set<C> open = new LinkedHashSet<>();
  /** Connections whose thread has not finished; guarded by {@link #lock}. */
  private final Set<C> running = new LinkedHashSet<>();
  /** Set by {@link #closeAll()}; guarded by {@link #lock}. */
  private boolean closed;

  /**
   * Accepts connections on {@code ss} until it is closed or {@code stopped} says so: each socket
   * gets {@code TCP_NODELAY} and is started with {@link #start}. Runs on the acceptor thread.
   */
  void acceptLoop(ServerSocket ss, BooleanSupplier stopped,
      BiFunction<Socket, Integer, C> make, ThreadFactory threads) {
    while (!stopped.getAsBoolean()) {
      Socket s;
      try {
        s = ss.accept();
      } catch (IOException e) {
        if (stopped.getAsBoolean() || ss.isClosed()) {
          return;
        }
        continue; // e.g. a connection reset before accept returned
      }
      try {
        s.setTcpNoDelay(true);
      } catch (IOException e) {
        closeQuietly(s); // reset already
        continue;
      }
      Socket socket = s;
      if (!start(s, index -> make.apply(socket, index), threads)) {
        closeQuietly(s);
        return;
      }
    }
  }

  /**
   * Registers the connection that {@code make} builds for {@code s} (given its accept index) and
   * starts its thread; false when the server is closed (the caller closes {@code s}).
   */
  boolean start(Socket s, java.util.function.IntFunction<C> make, ThreadFactory threads) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      C c = make.apply(clientPorts.size());
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

  /**
   * Stops a server: closes {@code ss}, closes every connection whose thread still runs,
   * interrupts those threads and waits for them and for {@code acceptor}, at most {@code millis}
   * in all.
   */
  void shutDown(ServerSocket ss, Thread acceptor, long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    try {
      ss.close();
    } catch (IOException e) {
      // closing anyway
    }
    List<C> all = closeAll();
    for (C c : all) {
      c.close();
    }
    for (C c : all) {
      c.thread.interrupt();
    }
    try {
      join(acceptor, deadline);
      for (C c : all) {
        join(c.thread, deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Marks the server closed and returns every connection whose thread still runs. */
  List<C> closeAll() {
    lock.lock();
    try {
      closed = true;
      return new ArrayList<>(running);
    } finally {
      lock.unlock();
    }
  }

  void closed(C c) {
    lock.lock();
    try {
      open.remove(c);
      openChanged.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void threadDone(C c) {
    lock.lock();
    try {
      running.remove(c);
    } finally {
      lock.unlock();
    }
  }

  List<C> open() {
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

  int runningCount() {
    lock.lock();
    try {
      return running.size();
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

  private static void join(Thread t, long deadline) throws InterruptedException {
    long left = deadline - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.timedJoin(t, left);
    }
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
