package io.github.reconnectingws.sample.status;

/**
 * Counts events per second over the last {@value #SECONDS} seconds, in one bucket per
 * second: memory does not grow with the rate.
 */
final class RateMeter {

    static final int SECONDS = 10;

    private final long[] counts = new long[SECONDS];

    private final long[] stamps = new long[SECONDS];

    private long total;

    synchronized void increment(long nowMillis) {
        long second = nowMillis / 1000;
        int slot = (int) (second % SECONDS);
        if (this.stamps[slot] != second) {
            this.stamps[slot] = second;
            this.counts[slot] = 0;
        }
        this.counts[slot]++;
        this.total++;
    }

    /** The average per second over the last {@code span} complete seconds. */
    synchronized double perSecond(long nowMillis, int span) {
        long current = nowMillis / 1000;
        long sum = 0;
        for (int i = 0; i < SECONDS; i++) {
            long age = current - this.stamps[i];
            if (age >= 1 && age <= span) {
                sum += this.counts[i];
            }
        }
        return (double) sum / span;
    }

    synchronized long total() {
        return this.total;
    }

}
