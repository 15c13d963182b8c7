package io.github.reconnectingws.autoconfigure;

import java.time.Duration;

import io.github.reconnectingws.ConnectionSettings;

/**
 * Resuming a feed after every reconnect, restart and failover from the last delivered
 * position.
 * <p>
 * A group of {@link ConnectionProperties}, mapped onto
 * {@link ConnectionSettings} by {@code ConnectionSettingsMapper}.
 */
public class ResumeProperties {

    /**
     * JSON pointer to the position in inbound JSON text messages, e.g. /seq; empty
     * turns resuming off. {position} in the URL and in header values is replaced on
     * every attempt with the last delivered position.
     */
    private String position = "";

    /**
     * Where the last delivered position is kept: memory, or jdbc (the application's
     * DataSource; survives restarts and failovers).
     */
    private ConnectionSettings.Resume.Store store = ConnectionSettings.Resume.Store.MEMORY;

    /**
     * Whether numeric positions at or below the last delivered one are dropped before
     * the listeners.
     */
    private boolean deduplicate = true;

    /**
     * How often the jdbc store writes the last delivered position: the most a crash
     * can replay.
     */
    private Duration flushInterval = Duration.ofMillis(200);

    public String getPosition() {
        return this.position;
    }

    public void setPosition(String position) {
        this.position = position;
    }

    public ConnectionSettings.Resume.Store getStore() {
        return this.store;
    }

    public void setStore(ConnectionSettings.Resume.Store store) {
        this.store = store;
    }

    public boolean isDeduplicate() {
        return this.deduplicate;
    }

    public void setDeduplicate(boolean deduplicate) {
        this.deduplicate = deduplicate;
    }

    public Duration getFlushInterval() {
        return this.flushInterval;
    }

    public void setFlushInterval(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

}
