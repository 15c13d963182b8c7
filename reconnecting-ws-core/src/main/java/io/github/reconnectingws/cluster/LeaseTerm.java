package io.github.reconnectingws.cluster;

import java.lang.management.ManagementFactory;
import java.util.UUID;

import io.github.reconnectingws.ConnectionLease;

/**
 * One unbroken run of check-ins under one member id, and the lease that the clients
 * this instance starts in it hold: valid until {@code end}; once lapsed, never valid
 * again (a later check-in starts a new term). A check-in renews it only if its answer
 * comes before the lease in force ends: so a holder that wakes from a long pause cannot
 * deliver what its sockets buffered by renewing first, and claims made under the lapsed
 * member id are free for every instance. {@code end} and {@code lapsed} change
 * under the term's own lock, so that a late check-in never revives a lapsed lease.
 */
final class LeaseTerm implements ConnectionLease {

    final String member;

    /** The end of the lease by {@link System#nanoTime()}, once {@code checkedIn}. */
    volatile long end;

    volatile boolean checkedIn;

    volatile boolean lapsed;

    LeaseTerm(String member) {
        this.member = member;
    }

    @Override
    public boolean isValid() {
        return this.checkedIn && !this.lapsed && System.nanoTime() - this.end < 0;
    }


    static String newMemberId() {
        return ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

}
