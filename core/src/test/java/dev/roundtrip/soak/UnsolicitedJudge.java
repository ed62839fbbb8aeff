package dev.roundtrip.soak;

import dev.roundtrip.testserver.Fault;
import dev.roundtrip.testserver.UnsolicitedWrite;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * UnsolicitedJudge decides, after a run, which reuses of a connection holding unsolicited bytes
 * and which wrong-request answers a client could have avoided, from the server's log of
 * unsolicited writes and the client's {@link AttemptLog} (both {@code System.nanoTime()} of the
 * same process).
 *
 * <p>A request that meets bytes left on a connection (unsolicited bytes, or the late answer of the
 * request before it, which the client took the unsolicited bytes for) is judged by when those
 * bytes were written, {@code ref}, against bounds of the moment the client chose the connection
 * for it: at the earliest when the request asked for one ({@code getConn}) and the previous request
 * began to give the connection back; at the latest when it got it ({@code gotConn}) or, for a
 * hand-off, when the previous request's {@code putIdleConn} fired.
 *
 * <ul>
 *   <li>{@link Verdict#ARRIVED}: the request had reached the server before it wrote the bytes: no
 *       client can tell them from the answer (the server wrote them inline with the answer);
 *   <li>{@link Verdict#WINDOW}: written after the latest bound: they came in the instant between
 *       choosing the connection and sending, which no client closes (Go leaves it too);
 *   <li>{@link Verdict#AVOIDABLE}: written more than the grace before the earliest bound: they were
 *       on the connection when the client chose it, and a check at that moment sees them;
 *   <li>{@link Verdict#AMBIGUOUS}: in between; counted, never a defect;
 *   <li>{@link Verdict#UNKNOWN}: not in the logs (more than {@link AttemptLog#MAX} attempts, or more
 *       than {@link UnsolicitedWrite#MAX_FOLLOWERS} followers).
 * </ul>
 *
 * <p>Another request's answer on a connection that never carried unsolicited bytes is always
 * {@link Verdict#AVOIDABLE}: no client in step with its connection can receive one.
 */
final class UnsolicitedJudge {
    enum Verdict { AVOIDABLE, AMBIGUOUS, WINDOW, ARRIVED, UNKNOWN }

    /** Figures are the judge's counts for the report. */
    record Figures(long writes, long writesWithNextRequestThere, Map<Verdict, Long> reuses,
                   Map<Verdict, Long> wrongAnswers, long unavoidableVictims, long keptAfterUnavoidable,
                   Map<Verdict, List<String>> samples) {}

    /** Bytes a request left on a connection: its answer, when it took unsolicited bytes for it. */
    private record Leftover(UnsolicitedWrite write, String requestId, long writtenNanos) {}

    private final AttemptLog attempts;
    private final long graceNanos;
    private final LongFunction<String> describePlan;
    private final Map<Long, UnsolicitedWrite> bySequence = new HashMap<>();
    /** Client ports of the connections that carried an unsolicited write. */
    private final java.util.Set<Integer> dirtyPorts = new java.util.HashSet<>();
    /** Per request id: where its answer was written after an unsolicited write. */
    private final Map<String, List<Leftover>> answers = new HashMap<>();
    /** Per request id: the request before it on the connection, after an unsolicited write. */
    private final Map<String, String> previous = new HashMap<>();
    private final Map<Verdict, Long> reuses = new EnumMap<>(Verdict.class);
    private final Map<Verdict, Long> wrong = new EnumMap<>(Verdict.class);
    private final Map<Verdict, List<String>> samples = new EnumMap<>(Verdict.class);

    UnsolicitedJudge(AttemptLog attempts, long graceNanos, LongFunction<String> describePlan) {
        this.attempts = attempts;
        this.graceNanos = graceNanos;
        this.describePlan = describePlan;
    }

    Figures judge(List<UnsolicitedWrite> writes, List<Outcome.WrongAnswer> wrongAnswers, Tally tally) {
        long arrived = 0;
        long victims = 0;
        long kept = 0;
        for (UnsolicitedWrite w : writes) {
            bySequence.put(w.sequence(), w);
            dirtyPorts.add(w.clientPort());
            if (w.writeEndNanos() < 0) {
                continue; // never written: the connection ended first
            }
            List<UnsolicitedWrite.Follower> fs = w.followers();
            String prev = w.requestId();
            long ref = w.writeEndNanos();
            if (w.nextRequestArrived()) {
                arrived++;
                if (w.inlineRequestId() != null) {
                    victims++;
                    kept += fs.size();
                    prev = w.inlineRequestId();
                    answers.computeIfAbsent(prev, k -> new ArrayList<>(1)).add(new Leftover(w, prev, ref));
                }
            }
            for (int j = 0; j < fs.size() && ref >= 0; j++) {
                UnsolicitedWrite.Follower f = fs.get(j);
                previous.put(f.requestId(), prev);
                Verdict v = classify(RequestPlan.indexOf(f.requestId()), w.clientPort(), ref, prev);
                reuses.merge(v, 1L, Long::sum);
                if (j == 0 && !w.nextRequestArrived() && v == Verdict.WINDOW) {
                    victims++;
                    kept += fs.size() - 1;
                }
                if (v == Verdict.AVOIDABLE) {
                    tally.judgedDefect(w.fault(), Defect.DIRTY_REUSE, describePlan.apply(RequestPlan.indexOf(f.requestId()))
                            + "\n      -> was sent on a connection that already held "
                            + (prev.equals(w.requestId()) || prev.equals(w.inlineRequestId()) ? "the bytes of " + w
                            : "the answer of " + prev + " (after " + w + ")")
                            + "; its attempts " + attempts.describe(RequestPlan.indexOf(f.requestId())));
                }
                answers.computeIfAbsent(f.requestId(), k -> new ArrayList<>(1))
                        .add(new Leftover(w, f.requestId(), f.answerNanos()));
                prev = f.requestId();
                ref = f.answerNanos();
            }
        }
        for (Outcome.WrongAnswer a : wrongAnswers) {
            judgeAnswer(a, tally);
        }
        return new Figures(writes.size(), arrived, reuses, wrong, victims, kept, samples);
    }

    private void judgeAnswer(Outcome.WrongAnswer a, Tally tally) {
        String victim = "r" + a.victimIndex();
        Verdict v;
        Fault root;
        String why;
        if (a.unsolicitedSequence() > 0) {
            UnsolicitedWrite w = bySequence.get(a.unsolicitedSequence());
            if (w == null || w.writeEndNanos() < 0) {
                v = Verdict.UNKNOWN;
                root = Fault.NONE;
                why = "no such unsolicited write";
            } else {
                root = w.fault();
                why = w.toString();
                // Judged by the stray bytes themselves: the victim need not be a recorded follower
                // (after a 408 the server drains, and never reads, the request that got it).
                v = w.nextRequestArrived() && victim.equals(w.inlineRequestId()) ? Verdict.ARRIVED
                        : classify(a.victimIndex(), w.clientPort(), w.writeEndNanos(),
                                previous.getOrDefault(victim, w.requestId()));
            }
        } else {
            Leftover owner = leftover(a.ownerId());
            if (owner == null || owner.writtenNanos() < 0) {
                // Without unsolicited bytes on its connection, no client can be one answer behind;
                // with some, the link may be past the followers the server records.
                boolean clean = attempts.ports(a.victimIndex()).stream().noneMatch(dirtyPorts::contains);
                v = clean ? Verdict.AVOIDABLE : Verdict.UNKNOWN;
                root = Fault.NONE;
                why = "no recorded unsolicited write precedes " + a.ownerId() + " on its connection";
            } else {
                root = owner.write().fault();
                why = "the answer of " + a.ownerId() + " (written at " + owner.writtenNanos() + ", after "
                        + owner.write() + ")";
                v = classify(a.victimIndex(), owner.write().clientPort(), owner.writtenNanos(), a.ownerId());
            }
        }
        wrong.merge(v, 1L, Long::sum);
        List<String> sample = samples.computeIfAbsent(v, k -> new ArrayList<>());
        if (sample.size() < 3) {
            sample.add(victim + " got " + a.describe() + "; " + why + "; victim's attempts "
                    + attempts.describe(a.victimIndex()));
        }
        if (v == Verdict.AVOIDABLE) {
            tally.judgedDefect(root, Defect.WRONG_ANSWER_AVOIDABLE, describePlan.apply(a.victimIndex())
                    + "\n      -> got " + a.describe() + "; " + why + "; its attempts "
                    + attempts.describe(a.victimIndex()));
        }
    }

    /**
     * Judges request {@code index}'s use of the connection on local port {@code port}, which held
     * bytes written at {@code ref}, the request before it on the connection being {@code prevId}.
     */
    private Verdict classify(long index, int port, long ref, String prevId) {
        AttemptLog.Attempt a = attempts.on(index, port);
        if (a == null) {
            return Verdict.UNKNOWN;
        }
        long prev = RequestPlan.indexOf(prevId);
        long earliest = Math.max(a.getConnNanos(), attempts.releasedFrom(prev));
        long latest = a.gotConnNanos();
        long put = attempts.putIdleAt(prev);
        if (a.handoff() && put != 0) {
            latest = Math.min(latest, put);
        }
        if (ref + graceNanos < earliest) {
            return Verdict.AVOIDABLE;
        }
        return ref > latest ? Verdict.WINDOW : Verdict.AMBIGUOUS;
    }

    private Leftover leftover(String id) {
        List<Leftover> l = answers.get(id);
        return l == null || l.isEmpty() ? null : l.get(l.size() - 1);
    }
}
