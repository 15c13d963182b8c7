package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When a connection is replaced make-before-break ({@code max-connection-age}), as data:
 * the state machine runs the replacement, this says when.
 * <ul>
 * <li>first at 90–95 % of the age (drawn per connection, so connections opened together
 * do not rotate together), well before a server's own age limit;</li>
 * <li>a failed replacement is tried again every 2 % of the age, at least every second,
 * while the old connection carries on;</li>
 * <li>after the switch, the old connection keeps delivering for twice the replacement's
 * handshake time, at least {@link #MIN_OVERLAP}: what the server sent there just before it
 * knew the new one is still on its way.</li>
 * </ul>
 */
final class RotationSchedule {

    /** The least time the replaced connection keeps delivering after the switch. */
    static final Duration MIN_OVERLAP = Duration.ofMillis(250);

    private static final Duration MIN_RETRY = Duration.ofSeconds(1);

    private final Duration maxAge;

    private final DoubleSupplier random;

    /**
     * @param maxAge the {@code max-connection-age}; zero: no rotation
     * @param random uniform in [0, 1)
     */
    RotationSchedule(Duration maxAge, DoubleSupplier random) {
        this.maxAge = maxAge;
        this.random = random;
    }

    boolean isEnabled() {
        return !this.maxAge.isZero();
    }

    /** How long after connecting to start the replacement. */
    Duration firstReplacement() {
        double share = 0.90 + 0.05 * this.random.getAsDouble();
        return Duration.ofNanos((long) (this.maxAge.toNanos() * share));
    }

    /** How long after a failed replacement to try again. */
    Duration retry() {
        Duration share = this.maxAge.dividedBy(50);
        return (share.compareTo(MIN_RETRY) > 0) ? share : MIN_RETRY;
    }

    /** How long the replaced connection keeps delivering after the switch. */
    static Duration overlap(Duration handshake) {
        Duration twice = handshake.multipliedBy(2);
        return (twice.compareTo(MIN_OVERLAP) > 0) ? twice : MIN_OVERLAP;
    }

}
