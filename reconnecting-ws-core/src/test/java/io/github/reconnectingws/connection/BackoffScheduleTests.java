package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffScheduleTests {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void delaysGrowByTheMultiplierUpToTheMaximum() {
        BackoffSchedule schedule = new BackoffSchedule(Duration.ofMillis(100), 2.0, 0, Duration.ofMillis(500),
                Duration.ZERO);
        assertThat(delays(schedule, 5)).containsExactly(100L, 200L, 400L, 500L, 500L);
    }

    @Test
    void randomizationFactorSpreadsDelaysBothWays() {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 2000; i++) {
            BackoffSchedule schedule = new BackoffSchedule(Duration.ofMillis(1000), 2.0, 0.5, Duration.ofSeconds(30),
                    Duration.ZERO);
            long delay = schedule.nextDelay(0, false).getAsLong();
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        assertThat(min).isBetween(500L, 600L);
        assertThat(max).isBetween(1400L, 1500L);
    }

    @Test
    void aDropIsRetriedAtOnceWithinAJitterWindowInPlaceOfTheFirstStep() {
        for (int i = 0; i < 2000; i++) {
            BackoffSchedule schedule = new BackoffSchedule(Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(30),
                    Duration.ZERO);
            assertThat(schedule.nextDelay(0, true).getAsLong()).isBetween(0L, 50L);
            // then the schedule goes on from its second step (200 +/- 50%)
            assertThat(schedule.nextDelay(0, true).getAsLong()).isBetween(100L, 300L);
        }
        BackoffSchedule noJitter = new BackoffSchedule(Duration.ofMillis(100), 2.0, 0, Duration.ofSeconds(30),
                Duration.ZERO);
        assertThat(new long[] { noJitter.nextDelay(0, true).getAsLong(), noJitter.nextDelay(0, false).getAsLong() })
            .containsExactly(0L, 200L);
    }

    @Test
    void resetStartsOverFromTheInitialInterval() {
        BackoffSchedule schedule = new BackoffSchedule(Duration.ofMillis(100), 3.0, 0, Duration.ofSeconds(30),
                Duration.ZERO);
        delays(schedule, 3);
        schedule.reset();
        assertThat(schedule.nextDelay(0, false).getAsLong()).isEqualTo(100L);
    }

    @Test
    void givesUpWhenTheNextAttemptWouldExceedMaxElapsedTime() {
        BackoffSchedule schedule = new BackoffSchedule(Duration.ofSeconds(1), 2.0, 0, Duration.ofSeconds(30),
                Duration.ofSeconds(5));
        assertThat(schedule.nextDelay(0, false)).hasValue(1000L);
        assertThat(schedule.nextDelay(1 * SECOND, false)).hasValue(2000L);
        // 3 s elapsed + 4 s delay > 5 s
        assertThat(schedule.nextDelay(3 * SECOND, false)).isEqualTo(OptionalLong.empty());
    }

    @Test
    void maxElapsedTimeZeroRetriesForever() {
        BackoffSchedule schedule = new BackoffSchedule(Duration.ofMillis(1), 2.0, 0, Duration.ofMillis(10),
                Duration.ZERO);
        assertThat(schedule.nextDelay(0, false)).isPresent();
        assertThat(schedule.nextDelay(365L * 24 * 3600 * SECOND, false)).isPresent();
    }

    private static Long[] delays(BackoffSchedule schedule, int count) {
        Long[] delays = new Long[count];
        for (int i = 0; i < count; i++) {
            delays[i] = schedule.nextDelay(0, false).getAsLong();
        }
        return delays;
    }

}
