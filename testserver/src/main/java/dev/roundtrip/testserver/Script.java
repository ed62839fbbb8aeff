package dev.roundtrip.testserver;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Script is the server's conversation state shared by all connections: the FIFO of scripted
 * responses, the dispatcher and fallbacks that answer when it is empty, and the recorded
 * requests.
 */
final class Script {
  static final ScriptedResponse DEFAULT_RESPONSE = ScriptedResponse.status(200).body("ok");

  private final ScriptedResponse fastStatic; // null: none
  private final boolean recordRequests;
  private final LinkedBlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
  private final AtomicInteger requestCount = new AtomicInteger();
  private volatile Function<RecordedRequest, ScriptedResponse> dispatcher;
  private final ReentrantLock lock = new ReentrantLock();
  /** Guarded by {@link #lock}. */
  private final ArrayDeque<ScriptedResponse> queue = new ArrayDeque<>();

  Script(Options options) {
    byte[] fast = options.fastStaticResponse();
    this.fastStatic = fast == null ? null : ScriptedResponse.raw(fast);
    this.recordRequests = options.recordRequests();
  }

  void enqueue(ScriptedResponse r) {
    lock.lock();
    try {
      queue.addLast(r);
    } finally {
      lock.unlock();
    }
  }

  void setDispatcher(Function<RecordedRequest, ScriptedResponse> d) {
    dispatcher = d;
  }

  /** Removes and returns the head of the queue if it is of {@code kind}, else null. */
  ResponseSpec pollIf(ResponseSpec.Kind kind) {
    lock.lock();
    try {
      ScriptedResponse head = queue.peekFirst();
      return head != null && head.spec.kind == kind ? queue.pollFirst().spec : null;
    } finally {
      lock.unlock();
    }
  }

  /** Removes and returns the head of the queue if it is marked {@code noContinue}, else null. */
  ResponseSpec pollNoContinue() {
    lock.lock();
    try {
      ScriptedResponse head = queue.peekFirst();
      return head != null && head.spec.noContinue ? queue.pollFirst().spec : null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the response for {@code r}: the queue's head, else the dispatcher's answer, else the
   * fast-path bytes, else {@link #DEFAULT_RESPONSE}. A dispatcher's exception propagates.
   */
  ResponseSpec responseFor(RecordedRequest r) {
    ScriptedResponse next;
    lock.lock();
    try {
      next = queue.pollFirst();
    } finally {
      lock.unlock();
    }
    if (next == null) {
      Function<RecordedRequest, ScriptedResponse> d = dispatcher;
      if (d != null) {
        next = d.apply(r);
      } else {
        next = fastStatic;
      }
    }
    return (next != null ? next : DEFAULT_RESPONSE).spec;
  }

  void record(RecordedRequest r) {
    requestCount.incrementAndGet();
    if (recordRequests) {
      requests.add(r);
    }
  }

  RecordedRequest take(Duration timeout) throws InterruptedException {
    return requests.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  int requestCount() {
    return requestCount.get();
  }
}
