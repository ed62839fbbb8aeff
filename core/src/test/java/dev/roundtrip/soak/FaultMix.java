package dev.roundtrip.soak;

import dev.roundtrip.testserver.Fault;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * FaultMix picks a request's fault: by default a weighted mix in which a fifth of the requests
 * have no fault, unsolicited bytes are frequent (they test reuse), and stalls are rare (each
 * costs a timeout); or, for a reproduction, an even pick among a chosen few.
 */
final class FaultMix {
    private final Fault[] faults;
    private final double[] cumulative;

    FaultMix(Set<Fault> only) {
        faults = only == null ? Fault.values() : only.toArray(new Fault[0]);
        cumulative = new double[faults.length];
        double sum = 0;
        for (int i = 0; i < faults.length; i++) {
            sum += only == null ? weight(faults[i]) : 1;
            cumulative[i] = sum;
        }
    }

    /** The default weight of {@code f}; the weights add up to about 100. */
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

    Fault pick(SplittableRandom r) {
        double x = r.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return faults[i];
            }
        }
        return faults[faults.length - 1];
    }
}
