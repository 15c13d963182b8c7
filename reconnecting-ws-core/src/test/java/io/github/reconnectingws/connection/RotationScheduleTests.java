package io.github.reconnectingws.connection;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When connections are replaced: the first replacement at 90–95 % of the age, retries
 * every 2 % (at least 1 s), the old connection's overlap twice the handshake (at least
 * 250 ms).
 */
class RotationScheduleTests {

    @Test
    void theFirstReplacementComesAtNinetyToNinetyFivePercentOfTheAge() {
        Duration age = Duration.ofMinutes(10);
        assertThat(new RotationSchedule(age, () -> 0.0).firstReplacement()).isEqualTo(Duration.ofSeconds(540));
        assertThat(new RotationSchedule(age, () -> 0.999999).firstReplacement())
            .isBetween(Duration.ofMillis(569_999), Duration.ofSeconds(570));
        assertThat(new RotationSchedule(Duration.ZERO, () -> 0.5).isEnabled()).isFalse();
    }

    @Test
    void aFailedReplacementIsRetriedEveryTwoPercentOfTheAgeAndAtLeastEverySecond() {
        assertThat(new RotationSchedule(Duration.ofMinutes(10), () -> 0.5).retry()).isEqualTo(Duration.ofSeconds(12));
        assertThat(new RotationSchedule(Duration.ofSeconds(20), () -> 0.5).retry()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theOldConnectionOverlapsForTwiceTheHandshakeAndAtLeastAQuarterSecond() {
        assertThat(RotationSchedule.overlap(Duration.ofMillis(40))).isEqualTo(Duration.ofMillis(250));
        assertThat(RotationSchedule.overlap(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(600));
    }

}
