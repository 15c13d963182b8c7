package io.github.reconnectingws.autoconfigure;

import java.time.Duration;

import io.github.reconnectingws.ConnectionSettings;

/**
 * Exponential backoff between connection attempts (knob names of the Go
 * {@code cenkalti/backoff} package).
 * <p>
 * A group of {@link ConnectionProperties}, mapped onto
 * {@link ConnectionSettings} by {@code ConnectionSettingsMapper}.
 */
public class BackoffProperties {

    /**
     * Delay before the first attempt after a drop.
     */
    private Duration initialInterval = Duration.ofMillis(100);

    /**
     * Factor by which the delay grows after each failed attempt; at least 1.
     */
    private double multiplier = 2.0;

    /**
     * Jitter: each delay d is drawn from [d*(1-f), d*(1+f)]; between 0 and 1.
     */
    private double randomizationFactor = 0.5;

    /**
     * Largest delay between attempts.
     */
    private Duration maxInterval = Duration.ofSeconds(30);

    /**
     * Give up (state FAILED) when an outage lasts longer than this; 0 retries
     * forever.
     */
    private Duration maxElapsedTime = Duration.ZERO;

    /**
     * How long a connection must stay up for the backoff to start over from
     * initial-interval at the next drop.
     */
    private Duration stableAfter = Duration.ofSeconds(5);

    public Duration getInitialInterval() {
        return this.initialInterval;
    }

    public void setInitialInterval(Duration initialInterval) {
        this.initialInterval = initialInterval;
    }

    public double getMultiplier() {
        return this.multiplier;
    }

    public void setMultiplier(double multiplier) {
        this.multiplier = multiplier;
    }

    public double getRandomizationFactor() {
        return this.randomizationFactor;
    }

    public void setRandomizationFactor(double randomizationFactor) {
        this.randomizationFactor = randomizationFactor;
    }

    public Duration getMaxInterval() {
        return this.maxInterval;
    }

    public void setMaxInterval(Duration maxInterval) {
        this.maxInterval = maxInterval;
    }

    public Duration getMaxElapsedTime() {
        return this.maxElapsedTime;
    }

    public void setMaxElapsedTime(Duration maxElapsedTime) {
        this.maxElapsedTime = maxElapsedTime;
    }

    public Duration getStableAfter() {
        return this.stableAfter;
    }

    public void setStableAfter(Duration stableAfter) {
        this.stableAfter = stableAfter;
    }

}
