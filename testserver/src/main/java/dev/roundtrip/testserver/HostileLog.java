package dev.roundtrip.testserver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HostileLog is what a {@link HostileServer} records across its connections: the unsolicited
 * writes, the ids of requests that got an incomplete or malformed answer (to spot retries that
 * the retry rule forbids), and the client violations seen.
 */
final class HostileLog {
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong nextSequence = new AtomicLong();
  private final Map<Long, UnsolicitedWrite> writes = new ConcurrentHashMap<>();
  private final Set<String> abnormal = ConcurrentHashMap.newKeySet();
  private final ConcurrentLinkedQueue<ClientViolation> violations = new ConcurrentLinkedQueue<>();

  long requestRead() {
    return requests.incrementAndGet();
  }

  long requests() {
    return requests.get();
  }

  long nextSequence() {
    return nextSequence.incrementAndGet();
  }

  UnsolicitedWrite newWrite(long seq, Fault f, String requestId, int connection, int port,
      boolean arrived) {
    UnsolicitedWrite w = new UnsolicitedWrite(seq, f, requestId, connection, port, arrived);
    writes.put(seq, w);
    return w;
  }

  UnsolicitedWrite write(long seq) {
    return writes.get(seq);
  }

  List<UnsolicitedWrite> writes() {
    List<UnsolicitedWrite> all = new ArrayList<>(writes.values());
    all.sort(Comparator.comparingLong(UnsolicitedWrite::sequence));
    return all;
  }

  /** Notes that bytes of an incomplete or malformed answer to {@code id} reached the client. */
  void answeredAbnormally(String id) {
    if (!id.equals("-")) {
      abnormal.add(id);
    }
  }

  boolean wasAnsweredAbnormally(String id) {
    return abnormal.contains(id);
  }

  void violation(ClientViolation v) {
    violations.add(v);
  }

  List<ClientViolation> violations() {
    return new ArrayList<>(violations);
  }
}
