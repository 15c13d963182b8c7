package io.github.reconnectingws.autoconfigure;

import java.time.Duration;

import io.github.reconnectingws.ConnectionSettings;

/**
 * Keep-alive pings that detect half-open connections.
 * <p>
 * A group of {@link ConnectionProperties}, mapped onto
 * {@link ConnectionSettings} by {@code ConnectionSettingsMapper}.
 */
public class HeartbeatProperties {

    /**
     * How often to send a ping; 0 turns the heartbeat off.
     */
    private Duration interval = Duration.ofSeconds(20);

    /**
     * How long to wait for a pong or any other frame after a ping before the
     * connection is considered dead, dropped and reconnected.
     */
    private Duration timeout = Duration.ofSeconds(10);

    public Duration getInterval() {
        return this.interval;
    }

    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    public Duration getTimeout() {
        return this.timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

}
