package dev.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roundtrip.BodyListener.Outcome;
import dev.roundtrip.testserver.ScriptedResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@link Response#withBodyListener}: the listener sees the bytes the caller reads and is told the
 * end exactly once, however it comes (the end of the body, its length reached, an early close, a
 * failed read, a leak, at once for a response without a body), while the caller gets the body
 * unchanged and the connection is released as without a listener.
 */
class BodyListenerTest extends TransportTestSupport {

    /** Records every call. */
    static final class Recording implements BodyListener {
        final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        final List<String> ends = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void bytesRead(byte[] buffer, int offset, int count) {
            seen.write(buffer, offset, count);
        }

        @Override
        public void ended(Outcome outcome, long bytesRead, Throwable failure) {
            ends.add(outcome + " " + bytesRead);
            if (failure != null) {
                failures.add(failure);
            }
        }
    }

    private final Recording listener = new Recording();

    private Response send(String path) throws IOException {
        return transport.roundTrip(Request.get(server.url(path))).withBodyListener(listener);
    }

    @Test
    void aBodyReadToItsEndIsCompleteOnceAndSeenByteForByte() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("0123456789abcdef").chunked(5));
        try (Response r = send("/chunked")) {
            InputStream in = r.body();
            assertThat((char) in.read()).isEqualTo('0');
            assertThat(in.readAllBytes()).asString().isEqualTo("123456789abcdef");
            assertThat(listener.ends).containsExactly("COMPLETE 16");
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(listener.seen.toString()).isEqualTo("0123456789abcdef");
        assertThat(listener.ends).as("the close after the end tells nothing more").containsExactly("COMPLETE 16");
    }

    @Test
    void aBodyIsCompleteWhenItsContentLengthIsReachedWithoutAskingForTheEnd() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("hello"));
        Response r = send("/fixed");
        assertThat(r.body().readNBytes(5)).asString().isEqualTo("hello");
        assertThat(listener.ends).containsExactly("COMPLETE 5");
        assertThat(transport.stats().host(key()).idle()).as("the connection went back at the body's end").isEqualTo(1);
    }

    @Test
    void aBodyClosedEarlyIsClosedAfterTheConnectionWasReleased() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("0123456789"));
        Response r = send("/early");
        assertThat(r.body().readNBytes(3)).hasSize(3);
        CompletableFuture.runAsync(r::close).get(); // close may come from another thread
        assertThat(listener.ends).containsExactly("CLOSED 3");
        assertThat(transport.stats().host(key()).inUse()).isZero();
        r.close();
        assertThat(listener.ends).hasSize(1);
    }

    @Test
    void aFailedReadIsToldWithTheExceptionTheCallerGets() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body(new byte[50_000]).disconnectMidBody(1000));
        try (Response r = send("/mid")) {
            InputStream in = r.body();
            IOException thrown = null;
            try {
                in.readAllBytes();
            } catch (IOException e) {
                thrown = e;
            }
            assertThat(thrown).isNotNull();
            assertThat(listener.ends).singleElement().asString().startsWith("FAILED ");
            assertThat(listener.failures).containsExactly(thrown);
            long told = Long.parseLong(listener.ends.get(0).substring("FAILED ".length()));
            assertThat(told).isEqualTo(listener.seen.size()).isLessThan(50_000);
        }
        assertThat(listener.ends).hasSize(1);
    }

    @Test
    void aResponseWithoutABodyIsCompleteAtOnce() throws Exception {
        server.enqueue(ScriptedResponse.status(204));
        server.enqueue(ScriptedResponse.status(200).header("Content-Length", "5").noContentLength());
        try (Response noContent = send("/204")) {
            assertThat(listener.ends).containsExactly("COMPLETE 0");
        }
        Response head = transport.roundTrip(Request.newBuilder(server.url("/head")).HEAD().build());
        assertThat(head.withBodyListener(listener)).as("nothing to wrap").isSameAs(head);
        assertThat(listener.ends).containsExactly("COMPLETE 0", "COMPLETE 0");
        head.close();
        assertThat(listener.ends).hasSize(2);
    }

    @Test
    void aListenerThatThrowsBreaksNeitherTheBodyNorItsEnd() throws Exception {
        server.enqueue(ScriptedResponse.status(200).body("intact"));
        List<Outcome> told = new CopyOnWriteArrayList<>();
        BodyListener throwing = new BodyListener() {
            @Override
            public void bytesRead(byte[] buffer, int offset, int count) {
                throw new IllegalStateException("bytesRead fails");
            }

            @Override
            public void ended(Outcome outcome, long bytesRead, Throwable failure) {
                told.add(outcome);
                throw new IllegalStateException("ended fails");
            }
        };
        try (Response r = transport.roundTrip(Request.get(server.url("/t"))).withBodyListener(throwing)) {
            assertThat(r.bodyString()).isEqualTo("intact");
        }
        assertThat(told).containsExactly(Outcome.COMPLETE);
    }

    @Test
    void aBodyNeverClosedIsToldLeakedWhenCollected() throws Exception {
        Transport own = Transport.create(forMode(TransportConfig.defaults())); // leaks on purpose: not leak-checked
        try {
            server.enqueue(ScriptedResponse.status(200).body("z".repeat(10_000)));
            leakAfterReading(own, 4);
            boolean told = eventually(Duration.ofSeconds(20), () -> {
                System.gc();
                return !listener.ends.isEmpty();
            });
            assertThat(told).as("the leaked body was collected and told").isTrue();
            assertThat(listener.ends).containsExactly("LEAKED 4");
            assertThat(eventually(Duration.ofSeconds(20), () -> {
                System.gc();
                return own.stats().leaks() == 1;
            })).as("the Transport still reclaims the leaked connection").isTrue();
        } finally {
            own.close();
        }
    }

    private void leakAfterReading(Transport t, int n) throws IOException {
        Response r = t.roundTrip(Request.get(server.url("/leak"))).withBodyListener(listener);
        assertThat(r.body().readNBytes(n)).hasSize(n);
    }
}
