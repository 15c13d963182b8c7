package io.github.reconnectingws.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundles;

/**
 * The configured connections by name, default connection first: each one's settings
 * merged with the top-level defaults and validated once, at startup.
 */
final class ConnectionDefinitions {

    static final String PREFIX = "reconnecting.websocket";

    private final Map<String, ConnectionProperties> connections;

    ConnectionDefinitions(ReconnectingWebSocketProperties properties, @Nullable SslBundles sslBundles) {
        ConnectionPropertiesValidator.validate(properties, PREFIX, sslBundles);
        Map<String, ConnectionProperties> connections = new LinkedHashMap<>();
        if (properties.getUrl() != null) {
            connections.put(ReconnectingWebSocketClientBuilder.DEFAULT_NAME,
                    properties.mergedWith(new ConnectionProperties()));
        }
        properties.getConnections().forEach((name, named) -> {
            String prefix = PREFIX + ".connections." + name;
            if (ReconnectingWebSocketClientBuilder.DEFAULT_NAME.equals(name)) {
                throw new InvalidConnectionPropertyException(prefix, null,
                        "the name '" + name + "' is reserved for the top-level connection",
                        "any other connection name; configure the default connection with reconnecting.websocket.url");
            }
            ConnectionPropertiesValidator.validate(named, prefix, sslBundles);
            ConnectionProperties merged = named.mergedWith(properties);
            if (merged.getUrl() == null) {
                throw new InvalidConnectionPropertyException(prefix + ".url", null,
                        "no URL for connection '" + name + "' (and none inherited from " + PREFIX + ".url)",
                        "a ws:// or wss:// URL with a host, e.g. wss://example.org/feed");
            }
            connections.put(name, merged);
        });
        this.connections = Collections.unmodifiableMap(connections);
    }

    /**
     * The connection names, default connection first.
     */
    Set<String> names() {
        return this.connections.keySet();
    }

    /**
     * The merged settings of a connection.
     */
    ConnectionProperties get(String name) {
        ConnectionProperties connection = this.connections.get(name);
        if (connection == null) {
            throw new IllegalArgumentException("No WebSocket connection named '" + name + "'");
        }
        return connection;
    }

}
