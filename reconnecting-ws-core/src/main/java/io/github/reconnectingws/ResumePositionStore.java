package io.github.reconnectingws;

import org.jspecify.annotations.Nullable;

/**
 * Where a connection keeps the position of the last message its listeners have handled
 * ({@code resume.position}), so that the next connection, after a reconnect, a restart or
 * a failover to another instance, resumes after it.
 */
public interface ResumePositionStore {

    /**
     * The last delivered position of a connection.
     * @param key the connection's key in the store
     * @return the position, or {@code null} when none was stored
     */
    @Nullable String load(String key);

    /**
     * Record a delivered position. Called once per delivered message, on the thread that
     * reads the connection: must be cheap (keep the latest, write it later).
     * @param key the connection's key in the store
     * @param position the position
     */
    void save(String key, String position);

    /**
     * Write what {@link #save} kept, now. Called when the connection stops or goes on
     * standby, before another instance may take it over.
     * @param key the connection's key in the store
     */
    default void flush(String key) {
    }

    /**
     * Positions of {@code key} written from now on carry {@code epoch}, the fencing token
     * a cluster hands out each time an instance takes the connection over. A store that
     * can refuses to overwrite a position written under a higher epoch, so that an
     * instance that lost the connection never overwrites the position of the one that
     * holds it now. Does nothing by default.
     * @param key the connection's key in the store
     * @param epoch the holder's epoch, higher with every takeover
     */
    default void fence(String key, long epoch) {
    }

}
