package dev.roundtrip.testserver;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * ResponseWriter writes a built or raw {@link ResponseSpec} (its {@code delay} is waited by
 * the caller) as one write of head and body (the common case), or as the head and the body
 * separately ({@code bodyDelay}, {@code throttle}), the body possibly cut ({@code
 * disconnectMidBody}).
 */
final class ResponseWriter {
  private static final byte[] EMPTY = new byte[0];
  private static final int GENERATED_BLOCK = 64 * 1024;

  private ResponseWriter() {}

  static void write(ResponseSpec r, OutputStream out, boolean headRequest)
      throws IOException, InterruptedException {
    byte[][] wire = r.wire();
    boolean raw = r.kind == ResponseSpec.Kind.RAW;
    boolean omitBody = headRequest && !raw;
    if (r.generatedLength >= 0) {
      out.write(wire[0]);
      if (!omitBody) {
        writeGenerated(out, r.generatedLength, r.bodyDelay);
      }
      out.flush();
      return;
    }
    boolean simple = r.midBodyBytes < 0 && r.bodyDelay.isZero() && r.throttleBytes == 0;
    if (simple) {
      out.write(omitBody ? wire[0] : wire[2]);
      out.flush();
      return;
    }
    byte[] head = wire[0];
    byte[] body = omitBody ? EMPTY
        : r.midBodyBytes >= 0 ? ResponseEncoder.cutBody(r, r.midBodyBytes) : wire[1];
    if (!r.bodyDelay.isZero()) {
      writePieces(out, head, raw ? r.throttleBytes : 0, r.throttlePause, false);
      sleep(r.bodyDelay);
      writePieces(out, body, r.throttleBytes, r.throttlePause, false);
    } else if (r.throttleBytes > 0 && raw) {
      byte[] all = Arrays.copyOf(head, head.length + body.length);
      System.arraycopy(body, 0, all, head.length, body.length);
      writePieces(out, all, r.throttleBytes, r.throttlePause, false);
    } else if (r.throttleBytes > 0) {
      writePieces(out, head, 0, Duration.ZERO, false);
      writePieces(out, body, r.throttleBytes, r.throttlePause, true);
    } else { // cut body only: still one write
      byte[] all = Arrays.copyOf(head, head.length + body.length);
      System.arraycopy(body, 0, all, head.length, body.length);
      writePieces(out, all, 0, Duration.ZERO, false);
    }
  }

  /**
   * Writes {@code length} bytes of {@link ScriptedResponse#generatedByte(long)} in 64 KiB writes,
   * after flushing the head and waiting {@code bodyDelay}.
   */
  private static void writeGenerated(OutputStream out, long length, Duration bodyDelay)
      throws IOException, InterruptedException {
    if (!bodyDelay.isZero()) {
      out.flush();
      sleep(bodyDelay);
    }
    byte[] block = new byte[GENERATED_BLOCK];
    for (long off = 0; off < length; off += block.length) {
      int n = (int) Math.min(block.length, length - off);
      for (int i = 0; i < n; i++) {
        block[i] = ScriptedResponse.generatedByte(off + i);
      }
      out.write(block, 0, n);
    }
  }

  /** Writes {@code bytes} in pieces of {@code per} bytes (0: one piece), pausing between them. */
  private static void writePieces(
      OutputStream out, byte[] bytes, int per, Duration pause, boolean pauseFirst)
      throws IOException, InterruptedException {
    if (per <= 0) {
      if (bytes.length > 0) {
        out.write(bytes);
        out.flush();
      }
      return;
    }
    for (int off = 0; off < bytes.length; off += per) {
      if (off > 0 || pauseFirst) {
        sleep(pause);
      }
      out.write(bytes, off, Math.min(per, bytes.length - off));
      out.flush();
    }
  }

  static void sleep(Duration d) throws InterruptedException {
    if (!d.isZero()) {
      TimeUnit.NANOSECONDS.sleep(d.toNanos());
    }
  }
}
