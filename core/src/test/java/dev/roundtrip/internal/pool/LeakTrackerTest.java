package dev.roundtrip.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roundtrip.internal.util.CloseCause;
import org.junit.jupiter.api.Test;

/** LeakTracker: responses collected while their exchange was still open show up in poll(). */
class LeakTrackerTest extends PoolTestSupport {
    private final LeakTracker tracker = new LeakTracker();

    @Test
    void trackStoresTheReferenceOnTheEntry() {
        PoolEntry<FakeConn> e = new PoolEntry<>(KEY);
        Object response = new Object();
        Throwable where = new Throwable("created here");
        LeakTracker.LeakRef ref = tracker.track(response, e, "GET http://a.test/", where);

        assertThat(e.leakRef()).isSameAs(ref);
        assertThat(ref.entry()).isSameAs(e);
        assertThat(ref.description()).isEqualTo("GET http://a.test/");
        assertThat(ref.createdAt()).isSameAs(where);
        assertThat(ref.stillOpen()).isTrue();
        assertThat(tracker.poll()).isNull();
        assertThat(response).isNotNull(); // keep it reachable up to here
    }

    @Test
    void finishedClearsTheReference() {
        PoolEntry<FakeConn> e = new PoolEntry<>(KEY);
        Object response = new Object();
        LeakTracker.LeakRef ref = tracker.track(response, e, "GET /", null);

        LeakTracker.finished(e);
        assertThat(e.leakRef()).isNull();
        assertThat(ref.stillOpen()).isFalse();
        assertThat(ref.refersTo(null)).as("cleared, so it is never enqueued").isTrue();
        LeakTracker.finished(e); // no exchange: no-op
        assertThat(e.leakRef()).isNull();
    }

    @Test
    void nextExchangeOnTheSameEntryReplacesTheOldReference() {
        PoolEntry<FakeConn> e = new PoolEntry<>(KEY);
        Object first = new Object();
        Object second = new Object();
        LeakTracker.LeakRef r1 = tracker.track(first, e, "GET /1", null);
        LeakTracker.LeakRef r2 = tracker.track(second, e, "GET /2", null);
        assertThat(r1.stillOpen()).isFalse();
        assertThat(r2.stillOpen()).isTrue();
    }

    @Test
    void closingTheConnectionEndsItsExchange() {
        newPool(limits(0, 10, 0, 0));
        PoolEntry<FakeConn> e = dialNew(KEY, "A");
        Object response = new Object();
        LeakTracker.LeakRef ref = tracker.track(response, e, "GET /", null);
        pool.discard(e, CloseCause.EXCHANGE_FAILED);
        assertThat(e.leakRef()).isNull();
        assertThat(ref.stillOpen()).isFalse();
    }

    @Test
    void unreachableResponseShowsUpInPoll() throws InterruptedException {
        PoolEntry<FakeConn> open = new PoolEntry<>(KEY);
        PoolEntry<FakeConn> done = new PoolEntry<>(KEY);
        LeakTracker.LeakRef leaked = trackUnreachable(open, "GET /leaked");
        LeakTracker.LeakRef finished = trackUnreachable(done, "GET /finished");
        LeakTracker.finished(done);

        LeakTracker.LeakRef polled = null;
        for (int i = 0; i < 50 && polled == null; i++) {
            System.gc();
            polled = tracker.poll();
            if (polled == null) {
                Thread.sleep(10);
            }
        }
        assertThat(polled).as("collected response reported within 50 GCs").isSameAs(leaked);
        assertThat(polled.stillOpen()).isTrue();
        assertThat(polled.entry()).isSameAs(open);
        assertThat(polled.description()).isEqualTo("GET /leaked");
        assertThat(tracker.poll()).as("a finished exchange is never reported").isNull();
        assertThat(finished.stillOpen()).isFalse();
    }

    /** Tracks a response that is unreachable as soon as this method returns. */
    private LeakTracker.LeakRef trackUnreachable(PoolEntry<FakeConn> e, String description) {
        return tracker.track(new byte[1024], e, description, null);
    }
}
