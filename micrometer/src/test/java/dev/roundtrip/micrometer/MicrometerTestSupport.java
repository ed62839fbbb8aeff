package dev.roundtrip.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.RoundTripper;
import dev.roundtrip.Transport;
import dev.roundtrip.TransportConfig;
import dev.roundtrip.testserver.TestServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.transport.SenderContext;
import java.net.URI;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * MicrometerTestSupport gives each test a {@link TestObservationRegistry} (which validates each
 * observation's life: started once, stopped once, scopes closed in order) feeding a
 * {@link SimpleMeterRegistry} through Micrometer's {@link DefaultMeterObservationHandler}, a handler
 * that adds a header through the context's setter as a tracing handler would, a scripted loopback
 * server and a Transport. After each test it checks that no connection was left in use and that no
 * response leaked, unless the test said how many it leaks.
 */
abstract class MicrometerTestSupport {
    /** The header {@link #PROPAGATING} adds to every request, as a tracing handler adds {@code traceparent}. */
    static final String PROPAGATED = "x-observation";

    /** Adds {@value #PROPAGATED} with the observation's contextual name through the sender context's setter. */
    static final ObservationHandler<SenderContext<?>> PROPAGATING = new ObservationHandler<>() {
        @Override
        @SuppressWarnings("unchecked")
        public void onStart(SenderContext<?> context) {
            SenderContext<Object> c = (SenderContext<Object>) context;
            c.getSetter().set(c.getCarrier(), PROPAGATED, "started " + context.getName());
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof SenderContext;
        }
    };

    protected SimpleMeterRegistry meters;
    protected TestObservationRegistry observations;
    protected TestServer server;
    protected Transport transport;
    protected int expectedLeaks;

    /** Returns the observation registry of this test class; override to change its validation. */
    protected TestObservationRegistry newRegistry() {
        return TestObservationRegistry.create();
    }

    /** Returns the Transport configuration for this test class. */
    protected TransportConfig.Builder config() {
        return TransportConfig.builder();
    }

    @BeforeEach
    void startRegistriesServerAndTransport() throws Exception {
        meters = new SimpleMeterRegistry();
        observations = newRegistry();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters))
                .observationHandler(PROPAGATING);
        server = TestServer.start();
        transport = Transport.create(config().build());
    }

    @AfterEach
    void checkNoConnectionInUseAndClose() {
        try {
            boolean released = eventually(Duration.ofSeconds(5), () -> transport.stats().hosts().stream()
                    .allMatch(h -> h.inUse() == 0 && h.dialing() == 0 && h.waiting() == 0));
            assertThat(released).as("a connection is still in use (response not closed?): %s", transport.stats())
                    .isTrue();
            assertThat(transport.stats().leaks()).as("leaked responses").isEqualTo(expectedLeaks);
        } finally {
            transport.close();
            server.close();
        }
    }

    /** Returns the decorator under test, with the default convention, over the test's Transport. */
    protected ObservationRoundTripper observed() {
        return ObservationRoundTripper.create(observations, transport);
    }

    protected URI url(String path) {
        return server.url(path);
    }

    /** Sends a GET of {@code uri} through {@code rt} and returns the body, closing the response. */
    protected static String get(RoundTripper rt, URI uri) throws Exception {
        try (Response r = rt.roundTrip(Request.get(uri))) {
            return r.bodyString();
        }
    }

    /** Returns the timer {@code name} with the tags {@code keyValues} (pairs), failing if there is none. */
    protected Timer timer(String name, String... keyValues) {
        return meters.get(name).tags(keyValues).timer();
    }

    /** Polls {@code condition} every 10 ms until it holds or {@code limit} passes. */
    static boolean eventually(Duration limit, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - end > 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
