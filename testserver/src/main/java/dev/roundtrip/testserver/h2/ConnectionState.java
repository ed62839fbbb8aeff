package dev.roundtrip.testserver.h2;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * ConnectionState is the bookkeeping of one {@link H2Connection}, under one lock: its streams and
 * requests, how many are open, the client's SETTINGS that matter to the sending side (initial
 * window, max frame size) and the send windows. No I/O happens under the lock.
 */
final class ConnectionState {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // guarded by lock
  private final Map<Integer, ServerStream> streams = new HashMap<>();
  private final List<H2Request> requests = new ArrayList<>();
  private long connectionWindow = 65535;
  private long clientInitialWindow = 65535;
  private int clientMaxFrameSize = 16384;
  private int openStreams;
  private int startedStreams;
  private boolean closed;
  private boolean readingPaused;
  private final boolean keepHistory;

  /** Creates the state; without {@code keepHistory}, requests are not kept and done streams are forgotten. */
  ConnectionState(boolean keepHistory) {
    this.keepHistory = keepHistory;
  }

  List<H2Request> requests() {
    lock.lock();
    try {
      return new ArrayList<>(requests);
    } finally {
      lock.unlock();
    }
  }

  /** Waits until {@code n} streams were opened; false on timeout or close. */
  boolean awaitStarted(int n, Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (startedStreams < n) {
        if (left <= 0 || closed) {
          return false;
        }
        left = changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Pauses or resumes the frame loop's reading. */
  void pauseReading(boolean paused) {
    lock.lock();
    try {
      readingPaused = paused;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits while reading is paused; returns at once once the connection closed. */
  void awaitReading() throws InterruptedException {
    lock.lock();
    try {
      while (readingPaused && !closed) {
        changed.await();
      }
    } finally {
      lock.unlock();
    }
  }

  boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** Applies the client's SETTINGS payload to the sending side. */
  void clientSettings(byte[] p) {
    lock.lock();
    try {
      for (int i = 0; i + 6 <= p.length; i += 6) {
        int id = ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        long v = Bytes.int32(p, i + 2) & 0xffffffffL;
        if (id == 4) {
          for (ServerStream st : streams.values()) {
            st.sendWindow += v - clientInitialWindow;
          }
          clientInitialWindow = v;
        } else if (id == 5) {
          clientMaxFrameSize = (int) v;
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void windowUpdate(int streamId, int increment) {
    lock.lock();
    try {
      if (streamId == 0) {
        connectionWindow += increment;
      } else if (streams.containsKey(streamId)) {
        streams.get(streamId).sendWindow += increment;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  int clientMaxFrameSize() {
    lock.lock();
    try {
      return clientMaxFrameSize;
    } finally {
      lock.unlock();
    }
  }

  /** Returns whether {@code limit} streams are open already. */
  boolean atLimit(long limit) {
    lock.lock();
    try {
      return openStreams >= limit;
    } finally {
      lock.unlock();
    }
  }

  /** Opens a stream for a request whose HEADERS arrived. */
  ServerStream open(int streamId, List<String[]> headers) {
    lock.lock();
    try {
      ServerStream s = new ServerStream(streamId, headers, clientInitialWindow);
      streams.put(streamId, s);
      openStreams++;
      startedStreams++;
      changed.signalAll();
      return s;
    } finally {
      lock.unlock();
    }
  }

  /** Waits up to {@code timeout} for stream {@code streamId} to be opened; null if it was not. */
  ServerStream awaitStream(int streamId, Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lock();
    try {
      while (!streams.containsKey(streamId) && !closed && left > 0) {
        left = changed.awaitNanos(left);
      }
      return streams.get(streamId);
    } finally {
      lock.unlock();
    }
  }

  ServerStream stream(int streamId) {
    lock.lock();
    try {
      return streams.get(streamId);
    } finally {
      lock.unlock();
    }
  }

  /** Marks stream {@code streamId} reset (by either side) and done. */
  void reset(int streamId) {
    lock.lock();
    try {
      ServerStream s = streams.get(streamId);
      if (s != null) {
        s.reset = true;
        finishLocked(s);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Marks {@code s} done: its END_STREAM is about to leave (the client may reuse the slot at once). */
  void finish(ServerStream s) {
    lock.lock();
    try {
      finishLocked(s);
    } finally {
      lock.unlock();
    }
  }

  /** Records the complete request of {@code s} and returns it. */
  H2Request complete(ServerStream s, int connection, int clientPort) {
    lock.lock();
    try {
      H2Request r = new H2Request(connection, clientPort, s.id, List.copyOf(s.headers), s.body.toByteArray(),
          List.copyOf(s.trailers));
      if (keepHistory) {
        requests.add(r);
      }
      changed.signalAll();
      return r;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes credit for the next DATA frame of {@code s}: up to {@code want} octets and {@code
   * frameSize}, waiting while a window is closed (unless {@code ignore}: then the windows are
   * neither checked nor charged).
   *
   * @throws IOException once the stream was reset or the connection closed
   */
  int takeCredit(ServerStream s, int want, int frameSize, boolean ignore)
      throws IOException, InterruptedException {
    lock.lock();
    try {
      while (!ignore && want > 0 && Math.min(connectionWindow, s.sendWindow) <= 0) {
        if (closed || s.reset) {
          throw new IOException("stream " + s.id + " was reset or its connection closed");
        }
        changed.await(100, TimeUnit.MILLISECONDS);
      }
      if (ignore) {
        return Math.min(want, frameSize);
      }
      int n = (int) Math.min(Math.min(want, Math.min(frameSize, clientMaxFrameSize)),
          Math.min(connectionWindow, s.sendWindow));
      connectionWindow -= n;
      s.sendWindow -= n;
      return n;
    } finally {
      lock.unlock();
    }
  }

  private void finishLocked(ServerStream s) {
    if (!s.done) {
      s.done = true;
      openStreams--;
    }
    if (!keepHistory) {
      streams.remove(s.id);
    }
    changed.signalAll();
  }
}
