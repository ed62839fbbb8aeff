package dev.roundtrip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * TestResources closes what a test opened, newest first (clients before the servers they talk
 * to, so tunnels end before servers stop), checking every Transport for leaked connections first.
 */
final class TestResources {
    private final List<AutoCloseable> open = Collections.synchronizedList(new ArrayList<>());

    /** Registers {@code c} to be closed after the test, and returns it. */
    <T extends AutoCloseable> T add(T c) {
        open.add(c);
        return c;
    }

    /** Closes everything in reverse order of registration. */
    void closeAll() throws Exception {
        List<AutoCloseable> all = new ArrayList<>(open);
        open.clear();
        Collections.reverse(all);
        for (AutoCloseable c : all) {
            if (c instanceof Transport) {
                TransportTestSupport.assertNoConnectionInUse((Transport) c);
            }
            c.close();
        }
    }
}
