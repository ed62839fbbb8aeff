package dev.roundtrip.h2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.Http2Config;
import dev.roundtrip.Request;
import dev.roundtrip.Response;
import dev.roundtrip.Transport;
import dev.roundtrip.error.Http2Exception;
import dev.roundtrip.testserver.h2.H2Frame;
import dev.roundtrip.testserver.h2.H2Options;
import dev.roundtrip.testserver.h2.H2Response;
import dev.roundtrip.testserver.h2.H2TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * H2StreamLimitOrderTest: a stream this client resets frees its slot only with its RST_STREAM
 * already queued, so that the RST_STREAM reaches the server before the HEADERS of the stream that
 * takes the slot: a server at its SETTINGS_MAX_CONCURRENT_STREAMS never sees one stream too many
 * (RFC 9113 §5.1.2), and refuses none. Found by the HTTP/2 fault soak (a malformed response on a
 * server allowing one stream per connection: the reader freed the slot, then queued the reset).
 */
@Timeout(90)
class H2StreamLimitOrderTest extends H2FaultSupport {
    /** Senders sharing the one slot: one holds it, the others wait for it. */
    private static final int SENDERS = 4;
    /** Requests per sender, at most; half get a malformed response. */
    private static final int ROUNDS = 400;
    /** The sending stops after this long, whatever the rounds. */
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aStreamResetForAMalformedResponseNeverLetsTheNextStreamPassTheServersLimit(Mode mode) throws Exception {
        H2TestServer server = server(mode, H2Options.defaults().settings(3, 1)); // MAX_CONCURRENT_STREAMS=1
        server.setDispatcher(ex -> {
            if (ex.request().path().startsWith("/bad")) {
                ex.connection().sendFrame(H2Frame.DATA, 0, ex.streamId(), new byte[0]); // DATA before the head
            } else {
                ex.respond(H2Response.status(200).body("ok"));
            }
        });
        Transport t = faultTransport(Http2Config.builder().strictMaxConcurrentStreams(true).build());
        AtomicInteger malformed = new AtomicInteger();
        long end = System.nanoTime() + LIMIT.toNanos();
        List<Future<Integer>> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            senders.add(async(() -> {
                int sent = 0;
                for (int i = 0; i < ROUNDS && System.nanoTime() - end < 0; i++, sent++) {
                    boolean bad = (i + sender) % 2 == 0;
                    Request r = get(server, (bad ? "/bad/" : "/ok/") + sender + "/" + i);
                    try (Response resp = t.roundTrip(r)) {
                        assertThat(bad).as("a 200 for %s", r.uri()).isFalse();
                        assertThat(resp.bodyString()).isEqualTo("ok");
                    } catch (Http2Exception e) {
                        assertThat(bad).as("%s failed: %s", r.uri(), describe(e)).isTrue();
                        assertThat(e.scope()).isEqualTo(Http2Exception.Scope.STREAM);
                        assertThat(e.errorCode()).isEqualTo(1); // PROTOCOL_ERROR, this client's
                        malformed.incrementAndGet();
                    } catch (IOException e) {
                        throw new AssertionError(r.uri() + " failed: " + describe(e), e);
                    }
                }
                return sent;
            }));
        }
        int sent = all(senders).stream().mapToInt(Integer::intValue).sum();
        assertThat(server.streamLimitViolations()).as("streams opened past the limit of 1, in %d requests (%d"
                + " malformed responses)", sent, malformed.get()).isZero();
        assertThat(t.stats().retries()).as("no stream refused, so none retried").isZero();
        record("MAX_CONCURRENT_STREAMS=1, " + SENDERS + " senders waiting for the slot, every other response malformed"
                + " (DATA before the head)", mode, sent + " requests, " + malformed.get() + " stream PROTOCOL_ERRORs,"
                + " no stream past the limit");
    }
}
