package dev.roundtrip.testserver;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32;

/**
 * HostileConnection serves one accepted socket of a {@link HostileServer} on its own thread.
 *
 * <p>Lifecycle, in order:
 *
 * <ol>
 *   <li>Wait for the first byte of a request; after an {@link Fault#IDLE_408} or {@link
 *       Fault#IDLE_CLOSE} answer, for at most {@link Fault#IDLE_NANOS}, then misbehave.
 *   <li>Read the head; note client violations and, after an unsolicited write, the follower.
 *   <li>Carry out the request's fault ({@link SocketFaults} for socket faults); an unsolicited
 *       fault then waits its delay and writes its bytes, or holds them back for the next answer
 *       when the next request has already arrived.
 *   <li>Close: by the fault, at end of stream, on an I/O error, or when the server closes.
 * </ol>
 */
final class HostileConnection extends Connections.Member {
  /** How long a close waits for the client's end of stream, reading and discarding: 250 ms. */
  static final int LINGER_MILLIS = 250;

  private final Connections<HostileConnection> book;
  final HostileLog log;
  final Socket socket;
  final int index;
  private final int clientPort;
  private final int maxHeadBytes;
  private final AtomicBoolean closed = new AtomicBoolean();

  // Owned by the connection's thread.
  RequestReader reader;
  ConnOutput out;
  private InputStream in;
  /** The last unsolicited write on this connection: later requests are its followers. */
  private UnsolicitedWrite lastWrite;
  /** The request whose answer told the client to close (the server kept it open), or null. */
  private String closeAnnouncedBy;
  /** The idle fault to carry out before the next request, or null. */
  private Fault idleFault;
  /** A 408 is held back to go in front of the next answer: close after that answer. */
  private boolean closeAfterAnswer;
  /** Close with RST at the end. */
  boolean reset;

  HostileConnection(Connections<HostileConnection> book, HostileLog log, Socket socket, int index,
      int maxHeadBytes) {
    this.book = book;
    this.log = log;
    this.socket = socket;
    this.index = index;
    this.clientPort = socket.getPort();
    this.maxHeadBytes = maxHeadBytes;
  }

  @Override
  public void run() {
    try {
      in = socket.getInputStream();
      out = new ConnOutput(socket.getOutputStream());
      reader = new RequestReader(in, maxHeadBytes);
      while (serveOne()) {
        // next request
      }
    } catch (EOFException | SocketException | InterruptedException e) {
      // The client went away or the server closed the socket: normal here.
    } catch (IOException e) {
      if (!closed.get()) {
        System.err.println("hostile server: connection " + index + ": " + e);
      }
    } catch (RuntimeException | Error e) {
      System.err.println("hostile server: connection " + index + " failed");
      e.printStackTrace();
    } finally {
      finish();
      book.threadDone(this);
    }
  }

  /** Serves one request; false when the connection is to be closed. */
  private boolean serveOne() throws IOException, InterruptedException {
    reader.startMessage();
    if (!reader.hasBuffered() && !awaitRequest()) {
      return false;
    }
    RequestHead head;
    try {
      head = reader.readHead();
    } catch (BadRequestException e) {
      out.write(FaultResponses.error(e.status, null, e.getMessage()));
      return closeGracefully();
    }
    if (head == null) {
      return false;
    }
    HostileExchange x = new HostileExchange(head, System.nanoTime());
    note(x);
    if (x.fault == null) {
      out.write(FaultResponses.error(400, x.id, "unknown fault in "
          + HostileServer.FAULT_HEADER + "; names are those of enum Fault"));
      return closeGracefully();
    }
    boolean closeNow = closeAfterAnswer; // a 408 went out in front of this answer
    closeAfterAnswer = false;
    boolean keep = serve(x);
    return keep && closeNow ? closeGracefully() : keep;
  }

  /** Records the request in the log: violations, and its place after an unsolicited write. */
  private void note(HostileExchange x) {
    log.requestRead();
    if (closeAnnouncedBy != null) {
      log.violation(new ClientViolation(ClientViolation.Kind.REUSED_AFTER_CLOSE, x.id, x.fault,
          index, closeAnnouncedBy, "request " + x.id + " arrived on connection " + index
              + " after the answer to " + closeAnnouncedBy + ", which closes it"));
    }
    if (log.wasAnsweredAbnormally(x.id)) {
      log.violation(new ClientViolation(ClientViolation.Kind.RETRIED_AFTER_RESPONSE_BYTES, x.id,
          x.fault, index, x.id, "request " + x.id + " (" + x.fault + ") arrived again on connection "
              + index + " after bytes of an answer to it had been sent"));
    }
    if (out.hasPrefix()) {
      lastWrite.inline(x.id); // its answer goes out right behind the unsolicited bytes
    } else if (lastWrite != null) {
      int slot = lastWrite.follow(x.id, x.fault, x.headNanos);
      if (slot >= 0) {
        out.expectAnswer(lastWrite, slot);
      }
    }
  }

  private boolean serve(HostileExchange x) throws IOException, InterruptedException {
    switch (x.fault.family()) {
      case SOCKET:
        return SocketFaults.carryOut(this, x);
      case UNSOLICITED:
        readBody(x);
        out.write(FaultResponses.normal(x, false).all());
        return unsolicited(x);
      case MALFORMED:
        return malformed(x);
      default:
        return BenignFaults.carryOut(this, x);
    }
  }

  /** Notes that {@code id}'s answer told the client to close, while the server keeps it open. */
  void announceClose(String id) {
    closeAnnouncedBy = id;
  }

  private boolean malformed(HostileExchange x) throws IOException {
    readBody(x);
    switch (x.fault) {
      case CONTENT_LENGTH_SHORT: {
        FaultResponses.Answer a = FaultResponses.wrongLength(x, -Fault.SHORT_BY);
        if (a.body.length == 0) {
          out.write(a.all());
          return true;
        }
        // The bytes past Content-Length are unsolicited: logged, and nobody's answer.
        out.write(a.head, 0, a.head.length);
        lastWrite = log.newWrite(log.nextSequence(), x.fault, x.id, index, clientPort, false);
        out.writeStray(a.body, lastWrite);
        return true;
      }
      case GZIP_CORRUPT:
      case GZIP_TRUNCATED:
        out.write(FaultResponses.gzip(x, x.fault == Fault.GZIP_CORRUPT,
            x.fault == Fault.GZIP_TRUNCATED).all());
        log.answeredAbnormally(x.id);
        return true;
      default:
        break;
    }
    byte[] bytes;
    switch (x.fault) {
      case GARBAGE_HEAD:
        bytes = FaultResponses.garbageHead(x);
        break;
      case OVERSIZED_HEAD:
        bytes = FaultResponses.oversizedHead(x).all();
        break;
      case INFORMATIONAL_OVERFLOW:
        out.write(FaultResponses.informationalOverflow());
        bytes = FaultResponses.normal(x, false).all();
        break;
      case CONTENT_LENGTH_LONG:
        bytes = FaultResponses.wrongLength(x, Fault.SHORT_BY).all();
        break;
      default: // the chunked ones and OVERSIZED_TRAILERS
        bytes = FaultResponses.badChunks(x, x.fault).all();
        break;
    }
    log.answeredAbnormally(x.id);
    out.write(bytes);
    return closeGracefully();
  }

  /** After the answer: the unsolicited write of {@code x}'s fault, or the idle one later. */
  private boolean unsolicited(HostileExchange x) throws IOException, InterruptedException {
    if (x.fault.delayNanos() < 0) {
      idleFault = x.fault;
      return true;
    }
    pause(x.fault.delayNanos());
    return strayWrite(x.fault, x.id);
  }

  /**
   * Writes the stray bytes of {@code f} now, or holds them back for the next answer when its
   * request has already arrived; false when the connection is to be closed.
   */
  private boolean strayWrite(Fault f, String afterId) throws IOException {
    long seq = log.nextSequence();
    byte[] bytes = FaultResponses.stray(f.stray(), seq);
    boolean arrived = reader.hasBuffered() || in.available() > 0;
    lastWrite = log.newWrite(seq, f, afterId, index, clientPort, arrived);
    boolean closes = f.stray() == Fault.Stray.TIMEOUT_408;
    if (arrived) {
      out.prefix(bytes, lastWrite);
      closeAfterAnswer = closes;
      return true;
    }
    out.writeStray(bytes, lastWrite);
    return !closes || closeGracefully();
  }

  /** Waits for the first byte of a request (running an idle fault); false to close. */
  private boolean awaitRequest() throws IOException {
    Fault f = idleFault;
    idleFault = null;
    if (f == null) {
      return reader.fillIfEmpty();
    }
    socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(Fault.IDLE_NANOS)));
    try {
      return reader.fillIfEmpty();
    } catch (SocketTimeoutException e) {
      if (f == Fault.IDLE_CLOSE) {
        return closeGracefully();
      }
      String after = lastWrite == null ? "-" : lastWrite.requestId();
      return strayWrite(f, after) && reader.fillIfEmpty();
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout(0);
      }
    }
  }

  /** Reads the request body (after {@code 100 Continue} if asked) and notes its CRC-32. */
  void readBody(HostileExchange x) throws IOException {
    if (x.head.expectContinue) {
      out.write(FaultResponses.CONTINUE_100);
    }
    byte[] body;
    try {
      body = reader.readBody(x.head, true, new ArrayList<>(1));
    } catch (BadRequestException e) {
      out.write(FaultResponses.error(e.status, x.id, e.getMessage()));
      closeGracefully();
      throw new EOFException("malformed request body: " + e.getMessage());
    }
    CRC32 crc = new CRC32();
    crc.update(body);
    x.bodyCrc = Long.toHexString(crc.getValue()).toUpperCase(Locale.ROOT);
  }

  /**
   * Closes the way a polite server does: held-back bytes out, FIN, then read and discard until
   * the client's end of stream or {@link #LINGER_MILLIS}, then close. Returns false.
   */
  boolean closeGracefully() {
    try {
      out.flushPrefix();
      socket.shutdownOutput();
      discardInput(LINGER_MILLIS);
    } catch (IOException e) {
      // closing anyway
    }
    close();
    return false;
  }

  /** Reads and discards input until end of stream or {@code millis} pass; never throws. */
  void discardInput(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    byte[] scratch = new byte[8192];
    try {
      while (true) {
        long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        if (left <= 0) {
          return;
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        if (in.read(scratch) < 0) {
          return;
        }
      }
    } catch (IOException e) {
      // timed out, reset or closed: done either way
    }
  }

  /** Parks for {@code nanos}; an interrupt (server close) ends the connection. */
  static void pause(long nanos) throws InterruptedException {
    if (nanos <= 0) {
      return;
    }
    long end = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = end - System.nanoTime()) {
      if (left >= 2_000_000) {
        TimeUnit.NANOSECONDS.sleep(left);
      } else {
        java.util.concurrent.locks.LockSupport.parkNanos(left);
      }
      if (Thread.interrupted()) {
        throw new InterruptedException("server closing");
      }
    }
  }

  /** Closes the socket now; called by this and other threads. Idempotent. */
  @Override
  void close() {
    if (closed.compareAndSet(false, true)) {
      book.closed(this);
    }
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  private void finish() {
    if (reset && !socket.isClosed()) {
      try {
        socket.setSoLinger(true, 0);
      } catch (IOException e) {
        // closing anyway
      }
    }
    close();
  }
}
