package dev.roundtrip.testserver;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * UnsolicitedWrite is the {@link HostileServer}'s record of bytes it wrote on a connection that
 * no request in progress asked for (an unsolicited fault's extra response, garbage or 408, or the
 * surplus of {@link Fault#CONTENT_LENGTH_SHORT}), with what a client needs to judge what it made
 * of them.
 *
 * <p>The key fact is {@link #nextRequestArrived()}: whether any byte of the connection's next
 * request had reached the server when it wrote. If so, no client can tell the bytes from the
 * answer to that request, so the server writes them together with that answer, in one write
 * ({@link #inlineRequestId()} names the request). If not, the bytes were written on their own,
 * and the requests the server read afterwards on the connection are its {@link #followers()}.
 *
 * <p>Times are {@link System#nanoTime()} of the server's process. Values are final once the
 * server is closed; before, the write times and followers may still be filled in.
 */
public final class UnsolicitedWrite {
  /** MAX_FOLLOWERS is how many followers are recorded: 8. */
  public static final int MAX_FOLLOWERS = 8;

  /**
   * Follower is a request read on the connection after an unsolicited write.
   *
   * @param requestId the request's id
   * @param fault the request's fault
   * @param headNanos when the server had read its head
   * @param answerNanos when the first write of its answer returned, or -1 if nothing was
   *     written for it
   */
  public record Follower(String requestId, Fault fault, long headNanos, long answerNanos) {}

  private final long sequence;
  private final Fault fault;
  private final String requestId;
  private final int connectionIndex;
  private final int clientPort;
  private final boolean nextRequestArrived;
  private volatile long writeStartNanos = -1;
  private volatile long writeEndNanos = -1;
  private volatile String inlineRequestId;
  private final List<Follower> followers = new CopyOnWriteArrayList<>();

  UnsolicitedWrite(long sequence, Fault fault, String requestId, int connectionIndex,
      int clientPort, boolean nextRequestArrived) {
    this.sequence = sequence;
    this.fault = fault;
    this.requestId = requestId;
    this.connectionIndex = connectionIndex;
    this.clientPort = clientPort;
    this.nextRequestArrived = nextRequestArrived;
  }

  /**
   * Sequence returns this write's number, unique in the server, as sent in the {@value
   * HostileServer#UNSOLICITED_HEADER} header of extra responses and 408s.
   *
   * @return the sequence number, from 1
   */
  public long sequence() {
    return sequence;
  }

  /**
   * Fault returns the fault that made the write.
   *
   * @return the fault
   */
  public Fault fault() {
    return fault;
  }

  /**
   * RequestId returns the id of the request whose fault made the write (it was answered before).
   *
   * @return the id
   */
  public String requestId() {
    return requestId;
  }

  /**
   * ConnectionIndex returns the accept order of the connection, from 0.
   *
   * @return the index
   */
  public int connectionIndex() {
    return connectionIndex;
  }

  /**
   * ClientPort returns the client's port of the connection.
   *
   * @return the port
   */
  public int clientPort() {
    return clientPort;
  }

  /**
   * NextRequestArrived tells whether bytes of the connection's next request had reached the
   * server when it decided to write: such bytes cannot be told from the answer by any client.
   *
   * @return true when the write is unavoidable for the client
   */
  public boolean nextRequestArrived() {
    return nextRequestArrived;
  }

  /**
   * WriteStartNanos returns when the write began, or -1 if it never happened (the connection
   * ended first).
   *
   * @return a nanoTime or -1
   */
  public long writeStartNanos() {
    return writeStartNanos;
  }

  /**
   * WriteEndNanos returns when the write returned (the bytes were handed to the kernel), or -1.
   *
   * @return a nanoTime or -1
   */
  public long writeEndNanos() {
    return writeEndNanos;
  }

  /**
   * InlineRequestId returns, when {@link #nextRequestArrived()}, the id of the request whose
   * answer was written right behind these bytes in the same write; else null.
   *
   * @return the id or null
   */
  public String inlineRequestId() {
    return inlineRequestId;
  }

  /**
   * Followers returns the requests whose heads the server read on the connection after this
   * write (and before the next unsolicited write on it), at most {@link #MAX_FOLLOWERS}, in
   * order.
   *
   * @return an unmodifiable snapshot
   */
  public List<Follower> followers() {
    return List.copyOf(followers);
  }

  void written(long startNanos, long endNanos) {
    writeStartNanos = startNanos;
    writeEndNanos = endNanos;
  }

  void inline(String id) {
    inlineRequestId = id;
  }

  /** Adds a follower slot; returns its index, or -1 when the list is full. */
  int follow(String id, Fault f, long headNanos) {
    if (followers.size() >= MAX_FOLLOWERS) {
      return -1;
    }
    followers.add(new Follower(id, f, headNanos, -1));
    return followers.size() - 1;
  }

  void answered(int index, long nanos) {
    Follower f = followers.get(index);
    followers.set(index, new Follower(f.requestId(), f.fault(), f.headNanos(), nanos));
  }

  /**
   * ToString describes the write for failure messages.
   *
   * @return a description
   */
  @Override
  public String toString() {
    return "UnsolicitedWrite{#" + sequence + " " + fault + " after " + requestId + ", connection "
        + connectionIndex + " (client port " + clientPort + "), "
        + (nextRequestArrived ? "next request had arrived (inline with " + inlineRequestId + ")"
            : "next request had not arrived")
        + ", written " + writeStartNanos + ".." + writeEndNanos + ", followers " + followers + "}";
  }
}
