package dev.roundtrip.soak;

import dev.roundtrip.testserver.Fault;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tally adds up the outcomes of a run per fault (successes, failures by type, wrong answers,
 * defects) and keeps the first few examples of each defect and the wrong answers for the judge.
 * Its rows are the constants of a fault enum: {@link Fault} for the HTTP/1.1 soak, {@link H2Fault}
 * for the HTTP/2 one. Thread-safe.
 */
final class Tally {
    /** How many examples of each defect the report shows. */
    static final int EXAMPLES = 5;

    /** Row is one fault's counts. */
    static final class Row {
        final LongAdder requests = new LongAdder();
        final LongAdder successes = new LongAdder();
        final LongAdder wrongAnswers = new LongAdder();
        final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        final Map<Defect, LongAdder> defects = new ConcurrentHashMap<>();
    }

    private final Map<Enum<?>, Row> rows = new LinkedHashMap<>(); // filled once, then only read
    private final Map<Defect, ConcurrentLinkedQueue<String>> examples = new ConcurrentHashMap<>();
    private final Map<Defect, AtomicInteger> exampleCount = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Outcome.WrongAnswer> wrongAnswers = new ConcurrentLinkedQueue<>();
    private final Map<Defect, LongAdder> runDefects = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> notes = new ConcurrentHashMap<>();

    /** A tally of the HTTP/1.1 soak: one row per {@link Fault}. */
    Tally() {
        this(Fault.values());
    }

    /** A tally with one row per fault of {@code faults}, in their order. */
    Tally(Enum<?>[] faults) {
        for (Enum<?> f : faults) {
            rows.put(f, new Row());
        }
    }

    void add(RequestPlan p, Outcome o, long seed) {
        add(p.fault(), o, () -> p.describe(seed));
    }

    /** Counts outcome {@code o} of a request with {@code fault}; {@code describe} says what it was, for an example. */
    void add(Enum<?> fault, Outcome o, java.util.function.Supplier<String> describe) {
        Row row = rows.get(fault);
        row.requests.increment();
        if (o.success()) {
            row.successes.increment();
        }
        if (o.failureType() != null) {
            row.failures.computeIfAbsent(o.failureType(), k -> new LongAdder()).increment();
        }
        if (o.wrong() != null) {
            row.wrongAnswers.increment();
            wrongAnswers.add(o.wrong());
        }
        if (o.defect() != null) {
            row.defects.computeIfAbsent(o.defect(), k -> new LongAdder()).increment();
            example(o.defect(), describe.get() + "\n      -> " + o.detail());
        }
    }

    /** Counts a defect found after the run (pool, descriptors, server) or by the judge. */
    void runDefect(Defect d, long count, String example) {
        if (count <= 0) {
            return;
        }
        runDefects.computeIfAbsent(d, k -> new LongAdder()).add(count);
        if (example != null) {
            example(d, example);
        }
    }

    /** Counts a defect the judge found, in the row of the fault that caused it. */
    void judgedDefect(Enum<?> root, Defect d, String example) {
        rows.get(root).defects.computeIfAbsent(d, k -> new LongAdder()).increment();
        example(d, example);
    }

    /** Keeps one of the first {@link #EXAMPLES} examples of {@code d}. */
    void example(Defect d, String text) {
        if (exampleCount.computeIfAbsent(d, k -> new AtomicInteger()).getAndIncrement() < EXAMPLES) {
            examples.computeIfAbsent(d, k -> new ConcurrentLinkedQueue<>()).add(text);
        }
    }

    /** Counts something worth reporting that is not a defect by itself. */
    void note(String what) {
        note(what, 1);
    }

    /** Adds {@code n} to the count of {@code what}, something worth reporting. */
    void note(String what, long n) {
        notes.computeIfAbsent(what, k -> new LongAdder()).add(n);
    }

    Map<String, Long> notes() {
        Map<String, Long> out = new TreeMap<>();
        notes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    Map<Enum<?>, Row> rows() {
        return rows;
    }

    List<Outcome.WrongAnswer> wrongAnswers() {
        return new ArrayList<>(wrongAnswers);
    }

    /** Every defect's total: per-request ones plus those found after the run. */
    Map<Defect, Long> defectTotals() {
        Map<Defect, Long> totals = new TreeMap<>();
        for (Row r : rows.values()) {
            r.defects.forEach((d, n) -> totals.merge(d, n.sum(), Long::sum));
        }
        runDefects.forEach((d, n) -> totals.merge(d, n.sum(), Long::sum));
        return totals;
    }

    List<String> examples(Defect d) {
        ConcurrentLinkedQueue<String> q = examples.get(d);
        return q == null ? List.of() : new ArrayList<>(q);
    }
}
