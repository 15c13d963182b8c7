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
