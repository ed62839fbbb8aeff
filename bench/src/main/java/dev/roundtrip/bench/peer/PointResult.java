package dev.roundtrip.bench.peer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PointResult is what one client measured at one benchmark point, printed as one line of flat
 * JSON (every figure a number, names a string).
 *
 * @param client         the client's name
 * @param threads        {@code platform} or {@code virtual}
 * @param path           the URL path (which body)
 * @param concurrency    workers, each with one request in flight
 * @param seconds        the measured window's length
 * @param requests       requests completed in the window
 * @param rps            requests per second in the window
 * @param p50Micros      median latency, µs (HdrHistogram, 3 significant digits: within 0.1%)
 * @param p99Micros      99th percentile, µs
 * @param p999Micros     99.9th percentile, µs
 * @param maxMicros      the largest latency, µs
 * @param cpuMicrosPerRequest the client JVM's CPU time (all its threads: workers, client I/O
 *                       threads, GC, JIT) in the window, per request
 * @param allocBytesPerRequest bytes allocated by all of the JVM's threads in the window
 *                       ({@code ThreadMXBean.getTotalThreadAllocatedBytes()} delta), per request
 * @param workerAllocBytesPerRequest bytes allocated by the worker threads alone
 *                       ({@code getThreadAllocatedBytes(ids)} deltas), per request; -1 for
 *                       virtual threads, which that counter does not cover
 * @param errors         failed requests (whole point, window or not)
 * @param firstError     the first failure, or empty
 * @param dials          connections the client dialed during the point (roundtrip only; else -1)
 * @param gcs            garbage collections in the window
 * @param jitMillis      time the JIT compilers spent in the window (non-zero: not fully warmed up)
 */
public record PointResult(String client, String threads, String path, int concurrency, double seconds,
                          long requests, double rps, double p50Micros, double p99Micros, double p999Micros,
                          double maxMicros, double cpuMicrosPerRequest, double allocBytesPerRequest,
                          double workerAllocBytesPerRequest, long errors, String firstError, long dials, long gcs,
                          long jitMillis) {

    /** Returns the figures as an ordered map (the JSON's fields). */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client", client);
        m.put("threads", threads);
        m.put("path", path);
        m.put("c", concurrency);
        m.put("seconds", round(seconds, 3));
        m.put("requests", requests);
        m.put("rps", round(rps, 1));
        m.put("p50_us", round(p50Micros, 1));
        m.put("p99_us", round(p99Micros, 1));
        m.put("p999_us", round(p999Micros, 1));
        m.put("max_us", round(maxMicros, 1));
        m.put("cpu_us_per_req", round(cpuMicrosPerRequest, 2));
        m.put("alloc_b_per_req", round(allocBytesPerRequest, 0));
        m.put("worker_alloc_b_per_req", round(workerAllocBytesPerRequest, 0));
        m.put("errors", errors);
        m.put("dials", dials);
        m.put("gcs", gcs);
        m.put("jit_ms", jitMillis);
        m.put("first_error", firstError == null ? "" : firstError);
        return m;
    }

    /** Returns the result as one line of JSON. */
    public String toJson() {
        return Json.object(fields());
    }

    private static Object round(double v, int digits) {
        return Json.round(v, digits);
    }
}
