package dev.roundtrip.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WireFuzzTest is a seeded mutation fuzzer over the public parsing entry points
 * ({@code Wire.readResponse} with its body read to the end: fixed, chunked with trailers, until
 * close, gzip; the fields, trailers and {@code Set-Cookie} parsing; writing the response back).
 * {@link ParseOracle} judges each case; each runs on a worker thread under a time budget, so a
 * hang is a finding too.
 *
 * <p>In {@code mvn verify} it runs {@value #DEFAULT_ITERATIONS} cases from a fixed seed (a few
 * seconds). {@code scripts/fuzz.sh} runs it longer. System properties:
 * {@code roundtrip.fuzz.seed} (the master seed), {@code roundtrip.fuzz.iterations},
 * {@code roundtrip.fuzz.seconds} (run until this much time passed; with no iteration count, as
 * many as fit), {@code roundtrip.fuzz.case} (replay the one case with this case seed). A finding
 * prints the master seed, the case's index and seed, and the command that replays it, and saves
 * the input under {@code target/fuzz-findings/}.
 */
class WireFuzzTest {
    static final int DEFAULT_ITERATIONS = 5_000;
    static final long DEFAULT_SEED = 0x5EED_11L;
    /** The most time one case may take, generous for a loaded 2-core machine; typical cases take microseconds. */
    static final long CASE_BUDGET_SECONDS = 20;

    private static ExecutorService worker;

    @BeforeAll
    static void startWorker() {
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "wire-fuzz-worker");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopWorker() {
        worker.shutdownNow();
    }

    @Test
    void everySeedOfTheCorpusParses() {
        for (ResponseCorpus.Seed s : ResponseCorpus.seeds()) {
            ByteMutator.Case c = new ByteMutator.Case(0, s.method(), s.message());
            assertThat(ParseOracle.check(c)).as(new String(s.message(), StandardCharsets.ISO_8859_1))
                    .isEqualTo(ParseOracle.Outcome.PARSED);
        }
    }

    @Test
    void mutatedResponsesAreParsedOrRejectedWithDocumentedErrors() throws Exception {
        List<ResponseCorpus.Seed> corpus = ResponseCorpus.seeds();
        Long replay = Long.getLong("roundtrip.fuzz.case");
        if (replay != null) {
            run(ByteMutator.generate(replay, corpus), -1, -1);
            return;
        }
        long seed = Long.getLong("roundtrip.fuzz.seed", DEFAULT_SEED);
        long seconds = Long.getLong("roundtrip.fuzz.seconds", 0L);
        long iterations = Long.getLong("roundtrip.fuzz.iterations", seconds > 0 ? Long.MAX_VALUE : DEFAULT_ITERATIONS);
        long deadline = seconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
        Random master = new Random(seed);
        Map<ParseOracle.Outcome, Long> outcomes = new EnumMap<>(ParseOracle.Outcome.class);
        long start = System.nanoTime();
        long bytes = 0;
        long done = 0;
        while (done < iterations && System.nanoTime() - deadline < 0) {
            ByteMutator.Case c = ByteMutator.generate(master.nextLong(), corpus);
            outcomes.merge(run(c, seed, done), 1L, Long::sum);
            bytes += c.message().length;
            done++;
        }
        double took = (System.nanoTime() - start) / 1e9;
        System.out.printf("wire fuzz: seed %d, %d cases (%d MB) in %.1f s, %s, 0 findings%n", seed, done,
                bytes >> 20, took, outcomes);
        assertThat(done).isPositive();
    }

    private static ParseOracle.Outcome run(ByteMutator.Case c, long seed, long index) throws Exception {
        Future<ParseOracle.Outcome> f = worker.submit(() -> ParseOracle.check(c));
        try {
            return f.get(CASE_BUDGET_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw report(c, seed, index, "no result within " + CASE_BUDGET_SECONDS + " s (a hang?)", e);
        } catch (ExecutionException e) {
            throw report(c, seed, index, String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }

    private static AssertionError report(ByteMutator.Case c, long seed, long index, String what, Throwable cause) {
        Path saved = Path.of("target", "fuzz-findings", Long.toUnsignedString(c.seed(), 16) + ".bin");
        try {
            Files.createDirectories(saved.getParent());
            Files.write(saved, c.message());
        } catch (IOException e) {
            saved = null;
        }
        String message = "fuzz finding: " + what + "\n  master seed " + seed + ", case " + index + ", case seed "
                + c.seed() + ", method " + c.method() + ", " + c.message().length + " bytes"
                + (saved != null ? " saved in " + saved.toAbsolutePath() : "")
                + "\n  replay: scripts/fuzz.sh --case " + c.seed()
                + "\n  input: " + escape(c.message(), 300);
        return new AssertionError(message, cause);
    }

    private static String escape(byte[] b, int max) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < b.length && i < max; i++) {
            int c = b[i] & 0xff;
            if (c == '\r') s.append("\\r");
            else if (c == '\n') s.append("\\n");
            else if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') s.append(String.format("\\x%02x", c));
            else s.append((char) c);
        }
        return s.append(b.length > max ? "\"..." : "\"").toString();
    }
}
