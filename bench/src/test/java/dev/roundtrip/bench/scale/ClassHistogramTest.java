package dev.roundtrip.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Class histograms as jcmd prints them: parsed, subtracted, described per connection. */
class ClassHistogramTest {
    private static final String BEFORE = """
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          1000         100000  [B (java.base@25.0.3)
               2:            10            400  java.lang.String (java.base@25.0.3)
            Total          1010         100400
            """;
    private static final String AFTER = """
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          1200         920000  [B (java.base@25.0.3)
               2:           100          11200  sun.nio.ch.SocketChannelImpl (java.base@25.0.3)
               3:            10            400  java.lang.String (java.base@25.0.3)
            Total          1310         931600
            """;

    @Test
    void theDifferencePerConnectionNamesTheClassesThatGrew() throws Exception {
        ClassHistogram d = ClassHistogram.parse(AFTER).minus(ClassHistogram.parse(BEFORE));
        assertThat(d.totalBytes()).isEqualTo(831200);
        assertThat(d.describe(100, 5)).isEqualTo("8200 B / 2.00 x [B; 112 B / 1.00 x sun.nio.ch.SocketChannelImpl;"
                + " total 8312 B");
    }

    @Test
    void takesThisJvmsHistogram() throws Exception {
        assertThat(ClassHistogram.take().totalBytes()).isPositive();
    }
}
