package dev.roundtrip.testserver;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * ConnOutput is a {@link HostileServer} connection's output: every write is flushed at once and
 * timed, so that unsolicited writes and the answers of their followers get their times in the
 * {@link UnsolicitedWrite} log. It can hold unsolicited bytes back to write them in front of the
 * next answer, in the same write. Used by the connection's thread only.
 */
final class ConnOutput {
  private final OutputStream out;
  /** Unsolicited bytes to put in front of the next write, or null. */
  private byte[] prefix;
  private UnsolicitedWrite prefixWrite;
  /** The unsolicited write whose follower's answer the next write starts, or null. */
  private UnsolicitedWrite answerOf;
  private int answerIndex;

  ConnOutput(OutputStream out) {
    this.out = out;
  }

  /** Holds {@code bytes} back to go in front of the next write. */
  void prefix(byte[] bytes, UnsolicitedWrite w) {
    prefix = bytes;
    prefixWrite = w;
  }

  boolean hasPrefix() {
    return prefix != null;
  }

  /** Makes the next write the first of follower {@code index}'s answer. */
  void expectAnswer(UnsolicitedWrite w, int index) {
    answerOf = w;
    answerIndex = index;
  }

  void write(byte[] b) throws IOException {
    write(b, 0, b.length);
  }

  /** Writes and flushes {@code len} bytes of {@code b}, behind any held-back prefix. */
  void write(byte[] b, int off, int len) throws IOException {
    if (len == 0 && prefix == null) {
      return;
    }
    byte[] data = b;
    int start = off;
    int n = len;
    if (prefix != null) {
      data = Arrays.copyOf(prefix, prefix.length + len);
      System.arraycopy(b, off, data, prefix.length, len);
      start = 0;
      n = data.length;
    }
    long before = System.nanoTime();
    try {
      out.write(data, start, n);
      out.flush();
    } finally {
      // Logged even when the write fails: the client may have read the first bytes and closed.
      long after = System.nanoTime();
      if (prefix != null) {
        prefixWrite.written(before, after);
        prefix = null;
        prefixWrite = null;
      }
      if (answerOf != null && len > 0) {
        answerOf.answered(answerIndex, after);
        answerOf = null;
      }
    }
  }

  /** Writes unsolicited {@code bytes} on their own and logs the write's times in {@code w}. */
  void writeStray(byte[] bytes, UnsolicitedWrite w) throws IOException {
    long before = System.nanoTime();
    try {
      out.write(bytes);
      out.flush();
    } finally {
      w.written(before, System.nanoTime());
    }
  }

  /** Writes a held-back prefix on its own, before the connection closes or stalls. */
  void flushPrefix() throws IOException {
    if (prefix != null) {
      write(new byte[0], 0, 0);
    }
  }
}
