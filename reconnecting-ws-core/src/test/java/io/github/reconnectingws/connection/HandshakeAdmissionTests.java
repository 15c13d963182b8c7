package io.github.reconnectingws.connection;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handshake budget per endpoint: a burst at once, then the steady rate.
 */
class HandshakeAdmissionTests {

    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private final Origin feed = new Origin("ws", "127.0.0.1", 8080);

    @Test
    void aBurstGoesAtOnceAndTheRestAtTheSteadyRate() {
        HandshakeAdmission admission = new HandshakeAdmission();
        for (int i = 0; i < HandshakeAdmission.BURST; i++) {
            assertThat(admission.admit(this.feed, 0)).isZero();
        }
        long spacing = TimeUnit.SECONDS.toNanos(1) / HandshakeAdmission.HANDSHAKES_PER_SECOND;
        assertThat(admission.admit(this.feed, 0)).isEqualTo(spacing);
        assertThat(admission.admit(this.feed, 0)).isEqualTo(2 * spacing);
    }

    @Test
    void tenThousandAtOnceSpreadOverTenSecondsAtTheRate() {
        HandshakeAdmission admission = new HandshakeAdmission();
        int[] perSecond = new int[20];
        for (int i = 0; i < 10_000; i++) {
            long wait = admission.admit(this.feed, 0);
            perSecond[(int) (wait / TimeUnit.SECONDS.toNanos(1))]++;
        }
        assertThat(perSecond[0]).isEqualTo(HandshakeAdmission.HANDSHAKES_PER_SECOND + HandshakeAdmission.BURST - 1);
        for (int second = 1; second < 9; second++) {
            assertThat(perSecond[second]).isEqualTo(HandshakeAdmission.HANDSHAKES_PER_SECOND);
        }
        assertThat(perSecond[10]).isZero();
    }

    @Test
    void aHandshakeThatFoundNothingListeningGivesItsSlotBack() {
        HandshakeAdmission admission = new HandshakeAdmission();
        for (int i = 0; i < 1_050; i++) {
            admission.admit(this.feed, 0);
        }
        long spacing = TimeUnit.SECONDS.toNanos(1) / HandshakeAdmission.HANDSHAKES_PER_SECOND;
        assertThat(admission.admit(this.feed, 0)).isEqualTo(1_001 * spacing);
        // 500 of them were refused: the next handshake moves 500 slots ahead
        for (int i = 0; i < 500; i++) {
            admission.refund(this.feed, 0);
        }
        assertThat(admission.admit(this.feed, 0)).isEqualTo(502 * spacing);
    }

    @Test
    void connectTasksThatQueuedForTheirThreadsStillStartAtTheSteadyRate() {
        VirtualTime time = new VirtualTime();
        HandshakeAdmission admission = new HandshakeAdmission();
        java.util.List<Long> started = new java.util.ArrayList<>();
        java.util.Deque<Runnable> queued = new java.util.ArrayDeque<>();
        java.util.concurrent.Executor sending = admission.atSend(queued::add, this.feed, time);
        // 2,000 tasks that queued for the connect threads while the server was slow, now drained at once
        for (int i = 0; i < 2_000; i++) {
            sending.execute(() -> started.add(time.nanoTime()));
        }
        for (int step = 0; step < 5_000 && started.size() < 2_000; step++) {
            while (!queued.isEmpty()) {
                queued.poll().run();
            }
            time.advance(java.time.Duration.ofMillis(1));
        }
        assertThat(started).hasSize(2_000);
        long second = TimeUnit.SECONDS.toNanos(1);
        for (long from = 0; from < started.get(started.size() - 1); from += 100 * MILLI) {
            long windowStart = from;
            long inWindow = started.stream().filter((at) -> at >= windowStart && at < windowStart + second).count();
            assertThat(inWindow).as("tasks started in the second from %d ms", from / MILLI)
                .isLessThanOrEqualTo(HandshakeAdmission.HANDSHAKES_PER_SECOND + HandshakeAdmission.BURST);
        }
    }

    @Test
    void eachEndpointHasItsOwnBudgetAndAQuietOneIsFull() {
        HandshakeAdmission admission = new HandshakeAdmission();
        for (int i = 0; i < 500; i++) {
            admission.admit(this.feed, 0);
        }
        assertThat(admission.admit(new Origin("ws", "localhost", 8080), 0)).isZero();
        assertThat(admission.admit(this.feed, 0)).isPositive();
        assertThat(admission.admit(this.feed, 2000 * MILLI)).isZero();
    }

}
