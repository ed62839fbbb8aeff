package dev.roundtrip.soak;

import dev.roundtrip.testserver.Fault;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * FaultMix picks a request's fault from a fixed list, each in proportion to its weight: by default
 * a weighted mix of all of a soak's faults; or, for a reproduction, an even pick among a chosen
 * few. One draw of the request's random numbers per pick.
 *
 * @param <F> the soak's fault type ({@link Fault} over HTTP/1.1, {@link H2Fault} over HTTP/2)
 */
final class FaultMix<F> {
    private final F[] faults;
    private final double[] cumulative;

    /** The mix of {@code faults}, weighted by {@code weight}. */
    FaultMix(F[] faults, ToDoubleFunction<F> weight) {
        this.faults = faults;
        cumulative = new double[faults.length];
        double sum = 0;
        for (int i = 0; i < faults.length; i++) {
            sum += weight.applyAsDouble(faults[i]);
            cumulative[i] = sum;
        }
    }

    /**
     * The HTTP/1.1 soak's mix: a fifth of the requests have no fault, unsolicited bytes are
     * frequent (they test reuse), and stalls are rare (each costs a timeout); {@code only} (null:
     * all) picks evenly among a chosen few.
     */
    static FaultMix<Fault> http1(Set<Fault> only) {
        return only == null ? new FaultMix<>(Fault.values(), FaultMix::weight)
                : new FaultMix<>(only.toArray(new Fault[0]), f -> 1);
    }

    /** The default weight of {@code f} in the HTTP/1.1 mix; the weights add up to about 100. */
    static double weight(Fault f) {
        if (f == Fault.NONE) {
            return 20;
        }
        switch (f.family()) {
            case BENIGN:
            case UNSOLICITED:
                return 2;
            case SOCKET:
                return f.effect() == Fault.Effect.STALL ? 0.2 : 1;
            default:
                return 1;
        }
    }

    F pick(SplittableRandom r) {
        double x = r.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return faults[i];
            }
        }
        return faults[faults.length - 1];
    }
}
