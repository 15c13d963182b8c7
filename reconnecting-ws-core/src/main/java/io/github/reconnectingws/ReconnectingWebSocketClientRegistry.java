package io.github.reconnectingws;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Looks up the application's {@link ReconnectingWebSocketClient}s by connection name
 * ({@code default} for the default connection).
 */
public interface ReconnectingWebSocketClientRegistry {

    /**
     * The client of a connection.
     * @param connectionName the connection name
     * @return the client, or {@code null} if there is no such connection
     */
    @Nullable ReconnectingWebSocketClient getClient(String connectionName);

    /**
     * All clients by connection name, in configuration order (default connection first).
     * @return an unmodifiable map
     */
    Map<String, ReconnectingWebSocketClient> getClients();

    /**
     * A registry of the given clients, e.g. for clients built with the plain builder.
     * @param clients the clients, in order
     * @return the registry
     * @throws IllegalStateException if two clients have the same name
     */
    static ReconnectingWebSocketClientRegistry of(List<ReconnectingWebSocketClient> clients) {
        return new SimpleReconnectingWebSocketClientRegistry(clients);
    }

}
