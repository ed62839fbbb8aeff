package dev.roundtrip.bench.scale;

import dev.roundtrip.bench.run.StubStatus;
import java.io.IOException;
import java.net.URI;

/**
 * ServerProbe asks the server what it sees: connections accepted and open, requests being
 * answered. The counts exclude the probe's own reads. A probe that cannot tell returns -1.
 */
public interface ServerProbe {
    /** Returns the connections the server accepted so far. */
    long accepts() throws IOException;

    /** Returns the client connections open now. */
    long open() throws IOException;

    /** Returns the requests the server is answering now (held ones included). */
    long answering() throws IOException;

    /** Returns a probe that knows nothing (every count -1). */
    static ServerProbe none() {
        return new ServerProbe() {
            @Override
            public long accepts() {
                return -1;
            }

            @Override
            public long open() {
                return -1;
            }

            @Override
            public long answering() {
                return -1;
            }
        };
    }

    /** Returns a probe reading nginx's {@code stub_status} page at {@code status}. */
    static ServerProbe nginx(URI status) {
        StubStatus page = new StubStatus(status);
        return new ServerProbe() {
            private long ownReads;

            private synchronized StubStatus.Counters read() throws IOException {
                ownReads++;
                return page.counters();
            }

            @Override
            public synchronized long accepts() throws IOException {
                long a = read().accepts();
                return a - ownReads; // every read so far was one accepted connection
            }

            @Override
            public long open() throws IOException {
                return read().active() - 1;
            }

            @Override
            public long answering() throws IOException {
                return read().writing() - 1;
            }
        };
    }
}
