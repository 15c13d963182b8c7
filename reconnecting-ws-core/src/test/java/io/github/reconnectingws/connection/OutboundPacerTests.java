package io.github.reconnectingws.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pacing in the writer's own clock: writes spaced evenly, so that whichever second a
 * server counts, it sees the limit.
 */
class OutboundPacerTests {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aBurstLeavesEvenlySpaced() {
        List<Long> writes = writeAll(new OutboundPacer(20), 100, 0);
        assertThat(writes).hasSize(100);
        for (int i = 1; i < writes.size(); i++) {
            assertThat(writes.get(i) - writes.get(i - 1)).isEqualTo(SECOND / 20);
        }
        assertThat(busiestWindow(writes, false)).isEqualTo(20);
        // a second counted from one write to the next, both included
        assertThat(busiestWindow(writes, true)).isEqualTo(21);
    }

    @Test
    void anIdleWriterWritesAtOnce() {
        OutboundPacer pacer = new OutboundPacer(20);
        assertThat(pacer.tryAcquire(0)).isZero();
        assertThat(pacer.tryAcquire(SECOND / 40)).isEqualTo(SECOND / 40);
        assertThat(pacer.tryAcquire(5 * SECOND)).isZero();
        assertThat(pacer.tryAcquire(5 * SECOND)).isEqualTo(SECOND / 20);
    }

    @Test
    void noLimitNeverWaits() {
        OutboundPacer pacer = new OutboundPacer(0);
        for (int i = 0; i < 1000; i++) {
            assertThat(pacer.tryAcquire(0)).isZero();
        }
    }

    /** A writer that takes a write as soon as it may, from {@code start} on. */
    private static List<Long> writeAll(OutboundPacer pacer, int count, long start) {
        List<Long> writes = new ArrayList<>();
        long now = start;
        while (writes.size() < count) {
            long wait = pacer.tryAcquire(now);
            if (wait == 0) {
                writes.add(now);
            }
            now += wait;
        }
        return writes;
    }

    private static int busiestWindow(List<Long> times, boolean closed) {
        int busiest = 0;
        int first = 0;
        for (int last = 0; last < times.size(); last++) {
            while (closed ? times.get(last) - times.get(first) > SECOND : times.get(last) - times.get(first) >= SECOND) {
                first++;
            }
            busiest = Math.max(busiest, last - first + 1);
        }
        return busiest;
    }

}
