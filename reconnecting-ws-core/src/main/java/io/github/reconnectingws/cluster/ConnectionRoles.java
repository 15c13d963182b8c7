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

}
