package io.github.reconnectingws.test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How the {@code await} methods of the test kit wait: they poll, in steps of 10 ms, and
 * fail the test with an {@link AssertionError} when time is up.
 */
final class Polling {

    private Polling() {
    }

    /** Polls a condition, in steps of 10 ms, for at most {@code timeout}. */
    static void await(BooleanSupplier condition, Duration timeout, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(failure.get() + " (waited " + timeout + ")");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting: " + failure.get(), ex);
            }
        }
    }

}
