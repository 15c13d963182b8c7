package io.github.reconnectingws.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of reconnecting WebSocket clients. The top-level settings configure the
 * default connection (which exists when {@code url} is set) and are the defaults of the
 * named connections under {@code connections}.
 */
@ConfigurationProperties(ReconnectingWebSocketProperties.PREFIX)
public class ReconnectingWebSocketProperties extends ConnectionProperties {

    /** The prefix of every property. */
    public static final String PREFIX = "reconnecting.websocket";

    /**
     * Whether to create clients and listeners at all.
     */
    private boolean enabled = true;

    /**
     * Named connections; each inherits every setting it leaves unset from the top level.
     */
    private Map<String, ConnectionProperties> connections = new LinkedHashMap<>();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Map<String, ConnectionProperties> getConnections() {
        return this.connections;
    }

    public void setConnections(Map<String, ConnectionProperties> connections) {
        this.connections = connections;
    }

}
