package io.github.reconnectingws.connection;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReconnectRateLimiterTests {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsUpToTheLimitWithinTheWindow() {
        ReconnectRateLimiter limiter = new ReconnectRateLimiter(3, Duration.ofSeconds(10));
        limiter.record(0);
        limiter.record(1 * SECOND);
        assertThat(limiter.delayUntilAllowed(2 * SECOND)).isZero();
        limiter.record(2 * SECOND);
        // the first attempt leaves the window at 10 s
        assertThat(limiter.delayUntilAllowed(3 * SECOND)).isEqualTo(7 * SECOND);
        assertThat(limiter.delayUntilAllowed(10 * SECOND)).isZero();
    }

    @Test
    void zeroMeansUnlimited() {
        ReconnectRateLimiter limiter = new ReconnectRateLimiter(0, Duration.ofSeconds(10));
        for (int i = 0; i < 1000; i++) {
            limiter.record(i);
        }
        assertThat(limiter.delayUntilAllowed(1000)).isZero();
    }

}
