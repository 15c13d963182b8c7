package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.HandshakeRejectedException;
import io.github.reconnectingws.TooManyReconnectsException;
import org.jspecify.annotations.Nullable;

/**
 * What to do after a failure, as data: give up at once (fatal), give up because the
 * outage's budget is spent, or retry after a delay: the backoff, stretched by the
 * server's {@code Retry-After} and by the reconnect rate limit, and given up when either
 * would put the attempt past {@code backoff.max-elapsed-time}. The state machine acts on
 * the decision; its actor is the only caller.
 */
final class ReconnectPolicy {

    private final String connectionName;

    private final ConnectionSettings settings;

    private final BackoffSchedule backoff;

    private final ReconnectRateLimiter rateLimiter;

    ReconnectPolicy(String connectionName, ConnectionSettings settings) {
        this.connectionName = connectionName;
        this.settings = settings;
        ConnectionSettings.Backoff policy = settings.backoff();
        this.backoff = new BackoffSchedule(policy.initialInterval(), policy.multiplier(),
                policy.randomizationFactor(), policy.maxInterval(), policy.maxElapsedTime());
        this.rateLimiter = new ReconnectRateLimiter(settings.maxReconnects(), settings.maxReconnectsWindow());
    }

    /** What to do after a failure. */
    sealed interface Decision permits Fatal, GiveUp, Retry {
    }

    /** The failure says retrying cannot help. */
    record Fatal() implements Decision {
    }

    /**
     * The outage's budget is spent, or the next attempt would come after it.
     * @param message for the failure handed to the application
     * @param logged why, for the log line
     * @param cause what the last attempt failed with, or the rate limit
     */
    record GiveUp(String message, String logged, Throwable cause) implements Decision {
    }

    /**
     * Try again.
     * @param delay the delay before the attempt
     * @param reason the failure, or a {@link TooManyReconnectsException} when the rate limit
     * held the attempt back
     * @param retryAfter the server's {@code Retry-After}, if it stretched the delay
     */
    record Retry(Duration delay, Throwable reason, @Nullable Duration retryAfter) implements Decision {

        boolean rateLimited() {
            return this.reason instanceof TooManyReconnectsException;
        }

    }

    /**
     * The decision after a failure.
     * @param cause what failed
     * @param now the engine's time in nanoseconds
     * @param afterDrop whether an open connection dropped (rather than an attempt failed)
     */
    Decision next(Throwable cause, long now, boolean afterDrop) {
        if (FailureClassifier.isFatal(cause)) {
            return new Fatal();
        }
        Duration maxElapsedTime = this.settings.backoff().maxElapsedTime();
        OptionalLong backoffDelay = this.backoff.nextDelay(now, afterDrop);
        if (backoffDelay.isEmpty()) {
            return new GiveUp("Gave up reconnecting after " + maxElapsedTime + " (backoff max-elapsed-time)",
                    "gave up after max-elapsed-time " + maxElapsedTime, cause);
        }
        long delayMillis = backoffDelay.getAsLong();
        Duration retryAfter = (cause instanceof HandshakeRejectedException rejected) ? rejected.getRetryAfter() : null;
        if (retryAfter != null) {
            delayMillis = Math.max(delayMillis, retryAfter.toMillis());
        }
        long waitNanos = this.rateLimiter.delayUntilAllowed(now + TimeUnit.MILLISECONDS.toNanos(delayMillis));
        Throwable reason = cause;
        if (waitNanos > 0) {
            delayMillis += TimeUnit.NANOSECONDS.toMillis(waitNanos) + 1;
            reason = tooManyReconnects(waitNanos);
        }
        if (this.backoff.isPastMaxElapsed(now, delayMillis)) {
            return new GiveUp("Gave up reconnecting: the next attempt would come after backoff max-elapsed-time "
                    + maxElapsedTime, "gave up, the next attempt would come after max-elapsed-time " + maxElapsedTime
                            + ((reason != cause) ? " (reconnect rate limit)" : " (Retry-After)"),
                    reason);
        }
        return new Retry(Duration.ofMillis(delayMillis), reason, retryAfter);
    }

    /** A new outage: the backoff starts over with a fresh budget. */
    void startOver() {
        this.backoff.reset();
    }

    /** A reconnect attempt is being made: it counts against the rate limit. */
    void recordReconnect(long now) {
        this.rateLimiter.record(now);
    }

    /** Whether a reconnect would be allowed now. */
    boolean mayReconnect(long now) {
        return this.rateLimiter.delayUntilAllowed(now) == 0;
    }

    /**
     * Refuse a reconnect asked for now, if the rate limit does not allow it.
     * @throws TooManyReconnectsException if it does not
     */
    void checkMayReconnect(long now) {
        long wait = this.rateLimiter.delayUntilAllowed(now);
        if (wait > 0) {
            throw tooManyReconnects(wait);
        }
    }

    private TooManyReconnectsException tooManyReconnects(long waitNanos) {
        return new TooManyReconnectsException(this.connectionName, this.settings.maxReconnects(),
                this.settings.maxReconnectsWindow(), Duration.ofNanos(waitNanos));
    }

}
