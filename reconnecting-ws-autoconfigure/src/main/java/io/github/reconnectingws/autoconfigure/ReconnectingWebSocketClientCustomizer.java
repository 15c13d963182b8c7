package io.github.reconnectingws.autoconfigure;

import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;

/**
 * Callback to adjust the builder of each auto-configured client before it is built, e.g.
 * to add an observer, a handshake customizer or a different transport. Applied in
 * {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface ReconnectingWebSocketClientCustomizer {

    /**
     * Customize the builder of one connection.
     * @param connectionName the connection name ({@code default} for the default one)
     * @param builder the builder, already configured from the properties
     */
    void customize(String connectionName, ReconnectingWebSocketClientBuilder builder);

}
