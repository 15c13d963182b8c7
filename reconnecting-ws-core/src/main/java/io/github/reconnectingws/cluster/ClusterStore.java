package io.github.reconnectingws.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Where the instances of a clustered application meet: each instance's lease (a check-in
 * renewed every heartbeat, valid for the lease's time to live by the store's clock), and
 * each connection's holder and epoch. Every operation is atomic in the store; a claim
 * succeeds only for a connection that no live instance holds, so two instances never
 * hold one connection at once. Applications sharing a store are kept apart by their name.
 * <p>
 * Per heartbeat an instance makes one {@link #checkIn}, whatever the number of
 * connections; claims and releases happen only when connections move.
 */
public interface ClusterStore {

    /**
     * Register the connections an instance may hold, so that they can be claimed;
     * registering a connection twice changes nothing.
     * @param application the application
     * @param connections the connections' keys
     */
    void register(String application, Collection<String> connections);

    /**
     * Renew (or create) an instance's lease and read the cluster as the store sees it now.
     * @param application the application
     * @param member the instance
     * @param ttl how long the lease lasts without another check-in, by the store's clock
     * @return the live instances and the connections' holders
     */
    View checkIn(String application, String member, Duration ttl);

    /**
     * Take connections that no live instance holds, each only if its epoch is still the
     * one the instance saw (compare and set): of two instances that claim one connection
     * at once, one wins.
     * @param application the application
     * @param member the instance that takes them: it must have checked in, and its lease
     * must be valid
     * @param epochs each connection to take, with the epoch of its {@link Holding} seen
     * @return the connections taken, each with its new epoch (the one seen plus one)
     */
    Map<String, Long> claim(String application, String member, Map<String, Long> epochs);

    /**
     * Give connections up; only those this instance holds are released.
     * @param application the application
     * @param member the instance
     * @param connections the connections
     */
    void release(String application, String member, Collection<String> connections);

    /**
     * End an instance's lease and release everything it holds, so that the others take
     * its connections over at their next heartbeat instead of when the lease expires.
     * @param application the application
     * @param member the instance
     */
    void leave(String application, String member);

    /**
     * The cluster as one check-in saw it.
     * @param members the live instances
     * @param holdings each registered connection's holding
     */
    record View(Set<String> members, Map<String, Holding> holdings) {

        /**
         * The live holder of a connection.
         * @param connection the connection's key
         * @return the instance that holds it, or {@code null} when it is free, unknown,
         * or its holder's lease expired
         */
        public @Nullable String holder(String connection) {
            Holding holding = this.holdings.get(connection);
            String holder = (holding != null) ? holding.holder() : null;
            return (holder != null && this.members.contains(holder)) ? holder : null;
        }

    }

    /**
     * Who holds a connection, and its epoch: the number of times it was taken.
     * @param holder the instance that holds or last held it, {@code null} when released
     * @param epoch the fencing token of the current holder
     */
    record Holding(@Nullable String holder, long epoch) {
    }

}
