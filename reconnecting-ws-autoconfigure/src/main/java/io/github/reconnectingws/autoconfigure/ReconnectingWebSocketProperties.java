package io.github.reconnectingws.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.reconnectingws.connection.OutboundOverflow;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of reconnecting WebSocket clients. The top-level settings configure the
 * default connection (which exists when {@code url} is set) and are the defaults of the
 * named connections under {@code connections}.
 */
@ConfigurationProperties("reconnecting.websocket")
public class ReconnectingWebSocketProperties extends ConnectionProperties {

    /**
     * Whether to create clients and listeners at all.
     */
    private boolean enabled = true;

    /**
     * Named connections; each inherits every setting it leaves unset from the top level.
     */
    private Map<String, ConnectionProperties> connections = new LinkedHashMap<>();

    /**
     * Create properties holding the defaults of every connection setting.
     */
    public ReconnectingWebSocketProperties() {
        setHeaders(new LinkedHashMap<>());
        setSubprotocols(List.of());
        setConnectTimeout(Duration.ofSeconds(10));
        setAutoStartup(true);
        setFailFast(false);
        setFollowRedirects(false);
        setMaxTextMessageSize(DataSize.ofKilobytes(64));
        setMaxBinaryMessageSize(DataSize.ofKilobytes(64));
        setMaxReconnects(0);
        setMaxReconnectsWindow(Duration.ofMinutes(1));
        setShutdownTimeout(Duration.ofSeconds(5));
        getBackoff().setInitialInterval(Duration.ofMillis(100));
        getBackoff().setMultiplier(2.0);
        getBackoff().setRandomizationFactor(0.5);
        getBackoff().setMaxInterval(Duration.ofSeconds(30));
        getBackoff().setMaxElapsedTime(Duration.ZERO);
        getBackoff().setStableAfter(Duration.ofSeconds(5));
        getHeartbeat().setInterval(Duration.ofSeconds(20));
        getHeartbeat().setTimeout(Duration.ofSeconds(10));
        getOutbound().setBufferSize(1000);
        getOutbound().setOverflow(OutboundOverflow.REJECT);
        getOutbound().setSendTimeLimit(Duration.ofSeconds(10));
        getOutbound().setWriteInline(false);
    }

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
