package io.github.reconnectingws.cluster;

import org.jspecify.annotations.Nullable;

/**
 * This instance's role for each connection that a cluster shares: {@value #LEADER} on the
 * instance that holds it, {@value #STANDBY} on the others.
 */
public interface ConnectionRoles {

    /** The role of the instance that holds the connection. */
    String LEADER = "leader";

    /** The role of the instances that wait. */
    String STANDBY = "standby";

    /**
     * This instance's role for a connection.
     * @param connectionName the connection name
     * @return {@value #LEADER} or {@value #STANDBY}, or {@code null} when the connection
     * is not shared by a cluster
     */
    @Nullable String role(String connectionName);

    /**
     * Give a held connection up, so that another instance takes it over; this instance
     * competes again afterwards.
     * @param connectionName the connection name
     * @return whether this instance held the connection
     * @throws IllegalArgumentException if the connection is not shared by a cluster
     */
    boolean yieldLeadership(String connectionName);

    /**
     * The instance that holds a connection, as this instance last saw the cluster.
     * @param connectionName the connection name
     * @return the holder's member id, or {@code null} when nobody holds it (or the
     * connection is not shared by a cluster)
     */
    default @Nullable String holder(String connectionName) {
        return null;
    }

    /**
     * Give every connection this instance holds up, so that the others take them over;
     * the spread evens out again afterwards.
     * @return how many connections this instance gave up
     */
    default int yieldAll() {
        return 0;
    }

}
