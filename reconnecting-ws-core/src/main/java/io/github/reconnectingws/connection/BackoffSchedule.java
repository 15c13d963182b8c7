package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

import org.springframework.retry.backoff.BackOffContext;
import org.springframework.retry.backoff.ExponentialBackOffPolicy;

/**
 * Computes reconnect delays with spring-retry's {@link ExponentialBackOffPolicy}: the
 * policy's sleeper only records the interval, so delays are scheduled, never slept. The
 * randomization factor is applied here as +/- f (the policy's random variant only adds).
 * Delays run from the start of an outage; {@link #reset()} starts a new one.
 */
final class BackoffSchedule {

    private final ExponentialBackOffPolicy policy;

    private final double randomizationFactor;

    private final long maxElapsedNanos;

    private long lastInterval;

    private @Nullable BackOffContext context;

    private long outageStart;

    BackoffSchedule(Duration initialInterval, double multiplier, double randomizationFactor, Duration maxInterval,
            Duration maxElapsedTime) {
        ExponentialBackOffPolicy template = new ExponentialBackOffPolicy();
        template.setInitialInterval(Math.max(1, initialInterval.toMillis()));
        template.setMultiplier(multiplier);
        template.setMaxInterval(Math.max(1, maxInterval.toMillis()));
        // withSleeper returns a configured clone; the clone is the one to use
        this.policy = template.withSleeper((interval) -> this.lastInterval = interval);
        this.randomizationFactor = randomizationFactor;
        this.maxElapsedNanos = maxElapsedTime.toNanos();
    }

    /**
     * The delay before the next attempt of the current outage.
     * @param now the current time in nanoseconds
     * @param afterDrop whether the attempt follows the drop of an open connection (rather
     * than a failed attempt)
     * @return the delay in milliseconds, or empty when the maximum elapsed time would be
     * exceeded (give up)
     */
    OptionalLong nextDelay(long now, boolean afterDrop) {
        boolean first = (this.context == null);
        if (first) {
            this.context = this.policy.start(null);
            this.outageStart = now;
        }
        this.policy.backOff(this.context);
        // an outage that starts with the drop of an open connection is tried at once,
        // within a jitter window, in place of the first step: a plain drop heals at once,
        // and a long outage sees no more attempts than with the plain schedule
        long delay = (first && afterDrop) ? immediate(this.lastInterval) : jitter(this.lastInterval);
        return isPastMaxElapsed(now, delay) ? OptionalLong.empty() : OptionalLong.of(delay);
    }

    /**
     * Whether an attempt {@code delayMillis} from now would come after the outage's
     * maximum elapsed time: the one rule for giving up, whatever lengthened the delay
     * (the backoff, {@code Retry-After}, the reconnect rate limit).
     * @param now the current time in nanoseconds
     * @param delayMillis the delay before the attempt
     * @return whether to give up instead
     */
    boolean isPastMaxElapsed(long now, long delayMillis) {
        return this.maxElapsedNanos > 0 && this.context != null
                && (now - this.outageStart) + Duration.ofMillis(delayMillis).toNanos() > this.maxElapsedNanos;
    }

    /** Start the next outage from the initial interval with a fresh elapsed-time budget. */
    void reset() {
        this.context = null;
    }

    /** Within [0, interval * f]: spread, but far sooner than the first step. */
    private long immediate(long interval) {
        return Math.round(ThreadLocalRandom.current().nextDouble() * this.randomizationFactor * interval);
    }

    private long jitter(long interval) {
        if (this.randomizationFactor <= 0) {
            return interval;
        }
        double delta = this.randomizationFactor * interval;
        double min = interval - delta;
        return Math.round(min + ThreadLocalRandom.current().nextDouble() * (2 * delta));
    }

}
